"""The record store's contract (shared/ports/records.py). A subclass provides the `records` fixture:
an object with `store` (RecordStore), `settings` (SyncSettingsStore) and `schedule` (SyncSchedule),
all empty."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from shared.domain.ledger import BatchMember, InFlightBatch, LedgerEvent, Outcome, SyncState, XeroEffect, XeroVersion
from shared.domain.ledger_changes import RecordMovedError
from shared.domain.records import Entity
from shared.domain.reference_data import ReferenceData, XeroAccount, XeroTaxRate
from shared.domain.sync_settings import EntitySettings, TenantSyncSettings, XeroDocumentStatus
from shared.ports.state import InvalidCursorError

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TENANT = "tenant-1"
CONTACT = Entity.CONTACT


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def a_contact(name: str = "Acme Ltd", **fields: Any) -> dict[str, Any]:
    return {"name": name, "email": "accounts@acme.example", "is_customer": True, **fields}


def an_invoice(number: str = "INV-1", lines: int = 2) -> dict[str, Any]:
    return {
        "contact_id": "c-1",
        "number": number,
        "date": "2026-01-05",
        "lines": [
            {"description": f"Labour, visit {line} — ünïcode", "quantity": "1.5", "unit_amount": "0.1"}
            for line in range(lines)
        ],
    }


def a_xero_invoice(number: str, lines: int = 50) -> dict[str, Any]:
    """An invoice as the sync worker sends it to Xero: fifty lines with account, tax and tracking."""
    line = {
        "Description": "Labour on site, per the job sheet — ünïcode",
        "Quantity": "1.5",
        "UnitAmount": "80.00",
        "AccountCode": "200",
        "TaxType": "OUTPUT",
        "Tracking": [{"Name": "Region", "Option": "North"}],
    }
    return {"Type": "ACCREC", "InvoiceNumber": number, "Contact": {"ContactID": "x-c-1"}, "LineItems": [line] * lines}


def synced(xero_id: str = "xero-1", **fields: Any) -> Outcome:
    return Outcome(state=SyncState.SYNCED, xero_id=xero_id, **{"xero_status": "ACTIVE", **fields})


def failed(message: str = "A validation exception occurred") -> Outcome:
    return Outcome(state=SyncState.FAILED, message=message)


def not_through() -> Outcome:
    return Outcome(state=SyncState.PENDING, message="Xero answered 503")


def a_batch(key: str = "key-1", created_at: datetime = T0, tenant_id: str = TENANT, invoices: int = 1) -> InFlightBatch:
    return InFlightBatch(
        tenant_id=tenant_id,
        key=key,
        entity=Entity.INVOICE,
        step="create",
        method="POST",
        path="/Invoices",
        params={"summarizeErrors": "false"},
        payload={"Invoices": [a_xero_invoice(f"INV-{n}") for n in range(invoices)]},
        members=[BatchMember(platform_id=f"inv-{n}", version=1) for n in range(invoices)],
        created_at=created_at,
    )


def some_settings(sales_account: str = "200") -> TenantSyncSettings:
    return TenantSyncSettings(
        enabled=True,
        sales_account=sales_account,
        expense_account="400",
        tax_rates={"GST": "OUTPUT"},
        invoice_status=XeroDocumentStatus.DRAFT,
        entities={Entity.BILL: EntitySettings(to_xero=False)},
    )


def some_reference(accounts: int = 3) -> ReferenceData:
    return ReferenceData(
        organisation_name="Demo Company (AU)",
        base_currency="AUD",
        period_lock_date=date(2025, 12, 31),
        accounts=[
            XeroAccount(account_id=f"acc-{n}", code=str(200 + n), name=f"Sales {n}", type="REVENUE")
            for n in range(accounts)
        ],
        tax_rates=[XeroTaxRate(tax_type="OUTPUT", name="GST on Income", effective_rate=Decimal("10.0000"))],
        fetched_at=T0,
    )


class RecordWritesContract:
    def test_a_new_record_is_version_1_and_pending(self, records: Any) -> None:
        # Given an empty store / When a contact is written
        written = records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        # Then it is version 1, waiting to be sent since the write, and reads back the same
        assert (written.version, written.state, written.state_at, written.updated_at) == (1, SyncState.PENDING, T0, T0)
        assert records.store.get(TENANT, CONTACT, "c-1") == written

    def test_a_body_reads_back_exactly_as_written(self, records: Any) -> None:
        # Given an invoice with decimal strings, nested lines and non-ASCII text
        records.store.write(TENANT, Entity.INVOICE, "inv-1", an_invoice(), T0)
        # When it is read / Then its body is the very same data
        assert records.store.get(TENANT, Entity.INVOICE, "inv-1").body == an_invoice()

    def test_decimals_and_dates_are_kept_as_their_json_strings(self, records: Any) -> None:
        # Given a body holding a Decimal and a date, as a model dumped in Python mode gives them
        records.store.write(TENANT, Entity.ITEM, "i-1", {"sale_price": Decimal("12.50"), "on": date(2026, 1, 5)}, T0)
        # When it is read / Then both are exact strings, as pydantic's JSON mode would write them
        assert records.store.get(TENANT, Entity.ITEM, "i-1").body == {"sale_price": "12.50", "on": "2026-01-05"}

    def test_the_same_body_again_changes_nothing(self, records: Any) -> None:
        # Given a written contact
        first = records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        # When the platform retries the same write later
        again = records.store.write(TENANT, CONTACT, "c-1", a_contact(), at(5))
        # Then the record is returned as it was, and its history has only the creation
        assert again == first
        assert len(records.store.history(TENANT, CONTACT, "c-1", 10)) == 1

    def test_a_changed_body_is_a_new_pending_version(self, records: Any) -> None:
        # Given a contact Xero has
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced(), now=at(1))
        # When the platform changes it
        changed = records.store.write(TENANT, CONTACT, "c-1", a_contact(phone="0400 000 000"), at(2))
        # Then it is version 2, pending since the change, with the new body, Xero's version still 1
        assert (changed.version, changed.state, changed.state_at, changed.synced_version) == (
            2,
            SyncState.PENDING,
            at(2),
            1,
        )
        assert changed.body["phone"] == "0400 000 000"

    def test_a_change_while_pending_keeps_the_record_s_place_in_the_queue(self, records: Any) -> None:
        # Given a contact waiting since T0
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        # When it is changed before it is sent
        changed = records.store.write(TENANT, CONTACT, "c-1", a_contact("Acme Pty"), at(3))
        # Then it is a new version still waiting since T0
        assert (changed.version, changed.state_at, changed.updated_at) == (2, T0, at(3))

    def test_write_many_writes_each_record_in_order(self, records: Any) -> None:
        # Given one contact already stored
        records.store.write(TENANT, CONTACT, "c-1", a_contact("One"), T0)
        # When a bulk write repeats it, adds one, and writes the new one twice with different bodies
        written = records.store.write_many(
            TENANT,
            CONTACT,
            [("c-1", a_contact("One")), ("c-2", a_contact("Two")), ("c-2", a_contact("Two Ltd"))],
            at(1),
        )
        # Then each answer is the record after its own write, in order
        assert [(r.platform_id, r.version, r.body["name"]) for r in written] == [
            ("c-1", 1, "One"),
            ("c-2", 1, "Two"),
            ("c-2", 2, "Two Ltd"),
        ]
        assert records.store.get(TENANT, CONTACT, "c-2") == written[2]

    def test_write_many_records_a_history_line_per_change(self, records: Any) -> None:
        # Given a bulk write that creates a contact and changes it
        records.store.write_many(TENANT, CONTACT, [("c-1", a_contact("One")), ("c-1", a_contact("Uno"))], T0)
        # When its history is read / Then both versions are there, newest first
        history = records.store.history(TENANT, CONTACT, "c-1", 10)
        assert [(event.version, event.state) for event in history] == [(2, SyncState.PENDING), (1, SyncState.PENDING)]

    def test_write_many_changes_more_records_than_one_batch_of_reads_holds(self, records: Any) -> None:
        # Given 120 stored contacts (DynamoDB reads 100 keys a batch and writes 25 items a batch)
        records.store.write_many(TENANT, CONTACT, [(f"c-{n:03}", a_contact(f"Contact {n}")) for n in range(120)], T0)
        # When every one of them is changed in one bulk write
        changed = records.store.write_many(
            TENANT, CONTACT, [(f"c-{n:03}", a_contact(f"Contact {n} Ltd")) for n in range(120)], at(1)
        )
        # Then each is at version 2 with its new body, and the last keeps both lines of its history
        assert {(r.version, r.body["name"]) for r in changed} == {(2, f"Contact {n} Ltd") for n in range(120)}
        assert len(records.store.history(TENANT, CONTACT, "c-119", 10)) == 2

    def test_a_delete_keeps_the_body_as_a_new_pending_version(self, records: Any) -> None:
        # Given a contact Xero has
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced(), now=at(1))
        # When the platform deletes it
        gone = records.store.delete(TENANT, CONTACT, "c-1", at(2))
        # Then it is a deleted version 2, pending, its body kept for the void
        assert (gone.deleted, gone.version, gone.state, gone.body) == (True, 2, SyncState.PENDING, a_contact())

    def test_deleting_an_unknown_record_gives_none(self, records: Any) -> None:
        # Given an empty store / When a record is deleted / Then there is nothing and nothing is created
        assert records.store.delete(TENANT, CONTACT, "c-1", T0) is None
        assert records.store.get(TENANT, CONTACT, "c-1") is None

    def test_deleting_a_deleted_record_changes_nothing(self, records: Any) -> None:
        # Given a deleted contact
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        gone = records.store.delete(TENANT, CONTACT, "c-1", at(1))
        # When it is deleted again / Then it is returned unchanged
        assert records.store.delete(TENANT, CONTACT, "c-1", at(2)) == gone

    def test_a_deleted_record_written_again_is_revived_as_a_new_version(self, records: Any) -> None:
        # Given a deleted contact
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.delete(TENANT, CONTACT, "c-1", at(1))
        # When the platform writes the same body again
        revived = records.store.write(TENANT, CONTACT, "c-1", a_contact(), at(2))
        # Then it lives again as version 3, pending
        assert (revived.deleted, revived.version, revived.state) == (False, 3, SyncState.PENDING)

    def test_an_unknown_record_is_none(self, records: Any) -> None:
        # Given an empty store / When a record is read / Then there is none
        assert records.store.get(TENANT, CONTACT, "nobody") is None

    def test_get_many_gives_the_records_that_exist(self, records: Any) -> None:
        # Given two stored contacts
        records.store.write(TENANT, CONTACT, "c-1", a_contact("One"), T0)
        records.store.write(TENANT, CONTACT, "c-2", a_contact("Two"), T0)
        # When three are asked for, one unknown
        found = records.store.get_many(TENANT, CONTACT, ["c-1", "c-2", "c-3"])
        # Then the two known are given by platform id
        assert {key: record.body["name"] for key, record in found.items()} == {"c-1": "One", "c-2": "Two"}

    def test_the_same_platform_id_under_two_entities_is_two_records(self, records: Any) -> None:
        # Given a contact and an item with the same platform id
        records.store.write(TENANT, CONTACT, "x-1", a_contact(), T0)
        records.store.write(TENANT, Entity.ITEM, "x-1", {"code": "X1", "name": "Widget"}, T0)
        # When the contact is deleted / Then the item is untouched
        records.store.delete(TENANT, CONTACT, "x-1", at(1))
        assert records.store.get(TENANT, Entity.ITEM, "x-1").deleted is False


class SettleContract:
    def test_a_synced_outcome_records_what_xero_holds(self, records: Any) -> None:
        # Given a contact sent after one failed attempt
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, not_through(), now=at(1))
        # When Xero accepts version 1
        settled = records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-1"), now=at(2))
        # Then it is synced at version 1 with Xero's id and status, and the attempts start again
        assert (settled.state, settled.synced_version, settled.xero_id, settled.xero_status) == (
            SyncState.SYNCED,
            1,
            "xero-1",
            "ACTIVE",
        )
        assert (settled.attempts, settled.last_synced_at, settled.state_at) == (0, at(2), at(2))
        assert records.store.get(TENANT, CONTACT, "c-1") == settled

    def test_an_outcome_for_an_older_version_lands_but_the_newer_version_stays_pending(self, records: Any) -> None:
        # Given version 1 sent, and version 2 written while the call was in flight
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, Outcome(state=SyncState.IN_FLIGHT), now=at(1))
        records.store.write(TENANT, CONTACT, "c-1", a_contact("Acme Pty"), at(2))
        # When Xero's acceptance of version 1 is recorded
        settled = records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-1", linked={"a": "b"}), now=at(3))
        # Then what Xero holds landed, yet version 2 still waits to be sent
        assert (settled.version, settled.state, settled.state_at) == (2, SyncState.PENDING, at(2))
        assert (settled.xero_id, settled.xero_status, settled.linked) == ("xero-1", "ACTIVE", {"a": "b"})
        assert (settled.synced_version, settled.last_synced_at) == (1, at(3))

    def test_a_late_outcome_for_an_older_version_does_not_undo_a_newer_sync(self, records: Any) -> None:
        # Given version 2 synced as AUTHORISED while Xero's answer for version 1 was still on its way
        records.store.write(TENANT, Entity.INVOICE, "inv-1", an_invoice(), T0)
        records.store.write(TENANT, Entity.INVOICE, "inv-1", an_invoice("INV-1b"), at(1))
        records.store.settle(TENANT, Entity.INVOICE, "inv-1", 2, synced("x-1", xero_status="AUTHORISED"), now=at(2))
        # When version 1's answer lands
        late = Outcome(state=SyncState.SYNCED, xero_id="x-1", xero_status="DRAFT")
        settled = records.store.settle(TENANT, Entity.INVOICE, "inv-1", 1, late, now=at(3))
        # Then the record still says version 2 is synced, as AUTHORISED
        assert (settled.state, settled.synced_version, settled.xero_status, settled.last_synced_at) == (
            SyncState.SYNCED,
            2,
            "AUTHORISED",
            at(2),
        )

    def test_a_send_that_did_not_get_through_counts_an_attempt(self, records: Any) -> None:
        # Given a pending contact
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        # When two sends end without a verdict
        records.store.settle(TENANT, CONTACT, "c-1", 1, not_through(), now=at(1))
        settled = records.store.settle(TENANT, CONTACT, "c-1", 1, not_through(), now=at(2))
        # Then it is still pending, after two attempts, with the last reason
        assert (settled.state, settled.attempts, settled.message) == (SyncState.PENDING, 2, "Xero answered 503")

    def test_a_failure_keeps_xero_s_message_and_resets_the_attempts(self, records: Any) -> None:
        # Given a contact with one attempt that did not get through
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, not_through(), now=at(1))
        # When Xero refuses it
        settled = records.store.settle(TENANT, CONTACT, "c-1", 1, failed("Name already used"), now=at(2))
        # Then it is failed with Xero's own message, the attempts back at 0
        assert (settled.state, settled.message, settled.attempts) == (SyncState.FAILED, "Name already used", 0)

    def test_a_record_in_flight_is_neither_pending_nor_settled(self, records: Any) -> None:
        # Given a pending contact
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        # When it goes into a call to Xero
        settled = records.store.settle(TENANT, CONTACT, "c-1", 1, Outcome(state=SyncState.IN_FLIGHT), now=at(1))
        # Then it is in flight since then, and no longer sendable
        assert (settled.state, settled.state_at) == (SyncState.IN_FLIGHT, at(1))
        assert records.store.sendable(TENANT, CONTACT, 10) == []

    def test_settle_many_settles_each_as_settle_would(self, records: Any) -> None:
        # Given three pending contacts, one of them with a second version written meanwhile
        for n in range(3):
            records.store.write(TENANT, CONTACT, f"c-{n}", a_contact(f"Acme {n}"), T0)
        records.store.write(TENANT, CONTACT, "c-2", a_contact("Acme 2b"), at(1))
        # When one answer's outcomes land at once, for a record that does not exist too
        outcomes = [("c-0", 1, synced("x-0")), ("c-1", 1, failed("Name already used")), ("c-2", 1, synced("x-2"))]
        settled = records.store.settle_many(TENANT, CONTACT, [*outcomes, ("nobody", 1, synced("x-9"))], now=at(2))
        # Then each is settled as `settle` settles it, and kept so
        assert {pid: (r.state, r.xero_id, r.synced_version) for pid, r in settled.items()} == {
            "c-0": (SyncState.SYNCED, "x-0", 1),
            "c-1": (SyncState.FAILED, None, None),
            "c-2": (SyncState.PENDING, "x-2", 1),
        }
        assert all(records.store.get(TENANT, CONTACT, pid) == record for pid, record in settled.items())
        # And the Xero ids map back, the history has a line each, and the last success is noted
        assert records.store.find_by_xero_id(TENANT, CONTACT, "x-2").platform_id == "c-2"
        assert [e.state for e in records.store.history(TENANT, CONTACT, "c-0", 10)] == [
            SyncState.SYNCED,
            SyncState.PENDING,
        ]
        assert records.store.status(TENANT, CONTACT).last_synced_at == at(2)

    def test_settle_many_settles_a_record_named_twice_in_order(self, records: Any) -> None:
        # Given a pending contact
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        # When one batch of outcomes names it twice: a send that did not get through, then Xero's acceptance
        outcomes = [("c-1", 1, not_through()), ("c-1", 1, synced("x-1"))]
        settled = records.store.settle_many(TENANT, CONTACT, outcomes, now=at(1))
        # Then both happened, in that order
        assert (settled["c-1"].state, settled["c-1"].xero_id, settled["c-1"].attempts) == (SyncState.SYNCED, "x-1", 0)
        assert len(records.store.history(TENANT, CONTACT, "c-1", 10)) == 3

    def test_linked_ids_are_merged(self, records: Any) -> None:
        # Given a payment whose discount credit note is already in Xero
        records.store.write(TENANT, Entity.PAYMENT, "p-1", {"amount": "90.00"}, T0)
        records.store.settle(TENANT, Entity.PAYMENT, "p-1", 1, synced("pay-1", linked={"discount": "cn-1"}), now=at(1))
        # When its fee bill is recorded
        settled = records.store.settle(
            TENANT, Entity.PAYMENT, "p-1", 1, synced("pay-1", linked={"fee": "b-1"}), now=at(2)
        )
        # Then both links are kept
        assert settled.linked == {"discount": "cn-1", "fee": "b-1"}

    def test_settling_an_unknown_record_gives_none(self, records: Any) -> None:
        # Given an empty store / When an outcome is recorded / Then nothing is there and nothing is created
        assert records.store.settle(TENANT, CONTACT, "c-1", 1, synced(), now=T0) is None
        assert records.store.get(TENANT, CONTACT, "c-1") is None

    def test_every_change_adds_a_history_line_newest_first(self, records: Any) -> None:
        # Given a contact created, refused, changed and accepted
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, failed("Bad email"), now=at(1))
        records.store.write(TENANT, CONTACT, "c-1", a_contact(email="ok@acme.example"), at(2))
        records.store.settle(TENANT, CONTACT, "c-1", 2, synced("xero-1"), now=at(3))
        # When its history is read
        history = records.store.history(TENANT, CONTACT, "c-1", 10)
        # Then it tells each step, newest first
        assert history == [
            LedgerEvent(at=at(3), version=2, state=SyncState.SYNCED, xero_id="xero-1"),
            LedgerEvent(at=at(2), version=2, state=SyncState.PENDING, message="changed"),
            LedgerEvent(at=at(1), version=1, state=SyncState.FAILED, message="Bad email"),
            LedgerEvent(at=T0, version=1, state=SyncState.PENDING, message="created"),
        ]

    def test_history_lines_at_the_same_instant_keep_their_order(self, records: Any) -> None:
        # Given two attempts and a verdict recorded at one instant
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        for outcome in (not_through(), not_through(), failed("Refused")):
            records.store.settle(TENANT, CONTACT, "c-1", 1, outcome, now=at(1))
        # When the two newest lines are read / Then the verdict comes first
        history = records.store.history(TENANT, CONTACT, "c-1", 2)
        assert [event.state for event in history] == [SyncState.FAILED, SyncState.PENDING]

    def test_a_record_is_found_by_its_xero_id_once_it_has_one(self, records: Any) -> None:
        # Given a contact Xero gave the id xero-7
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-7"), now=at(1))
        # When it is looked up by that id / Then it is found
        assert records.store.find_by_xero_id(TENANT, CONTACT, "xero-7").platform_id == "c-1"

    def test_an_unknown_xero_id_finds_nothing(self, records: Any) -> None:
        # Given a contact without a Xero id / When an id is looked up / Then nothing is found
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        assert records.store.find_by_xero_id(TENANT, CONTACT, "xero-7") is None

    def test_a_replaced_xero_id_no_longer_finds_the_record(self, records: Any) -> None:
        # Given a contact whose Xero id changed from xero-1 to xero-2 (recreated after a delete in Xero)
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-1"), now=at(1))
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-2"), now=at(2))
        # When both ids are looked up / Then only the new one finds it
        assert records.store.find_by_xero_id(TENANT, CONTACT, "xero-1") is None
        assert records.store.find_by_xero_id(TENANT, CONTACT, "xero-2").platform_id == "c-1"

    def test_applied_changes_neither_version_nor_state(self, records: Any) -> None:
        # Given a synced invoice
        records.store.write(TENANT, Entity.INVOICE, "inv-1", an_invoice(), T0)
        before = records.store.settle(TENANT, Entity.INVOICE, "inv-1", 1, synced(), now=at(1))
        # When a payment is applied to it in Xero
        records.store.set_applied(TENANT, Entity.INVOICE, "inv-1", True)
        # Then only has_applied changed
        assert records.store.get(TENANT, Entity.INVOICE, "inv-1") == before.model_copy(update={"has_applied": True})

    def test_applied_on_an_unknown_record_creates_nothing(self, records: Any) -> None:
        # Given an empty store / When an unknown invoice is marked applied / Then no record appears
        records.store.set_applied(TENANT, Entity.INVOICE, "inv-1", True)
        assert records.store.get(TENANT, Entity.INVOICE, "inv-1") is None


def stored_in_states(records: Any, states: dict[str, SyncState]) -> None:
    """Contacts c-<n>, written a minute apart, then given each state (PENDING ones left as written)."""
    outcomes = {
        SyncState.SYNCED: synced(),
        SyncState.FAILED: failed(),
        SyncState.SKIPPED: Outcome(state=SyncState.SKIPPED, message="contacts are not sent"),
        SyncState.PARKED: Outcome(state=SyncState.PARKED, message="dated before the lock date"),
        SyncState.IN_FLIGHT: Outcome(state=SyncState.IN_FLIGHT),
    }
    for minute, (platform_id, state) in enumerate(states.items()):
        records.store.write(TENANT, CONTACT, platform_id, a_contact(platform_id), at(minute))
        if state is not SyncState.PENDING:
            outcome = outcomes[state].model_copy(
                update={"xero_id": f"x-{platform_id}"} if state is SyncState.SYNCED else {}
            )
            records.store.settle(TENANT, CONTACT, platform_id, 1, outcome, now=at(minute + 0.5))


class QueueContract:
    def test_sendable_gives_pending_records_the_longest_waiting_first(self, records: Any) -> None:
        # Given pending contacts written in an order unlike their ids, and two that tie
        for platform_id, minute in [("c", 0), ("a", 2), ("b", 1), ("d", 2)]:
            records.store.write(TENANT, CONTACT, platform_id, a_contact(platform_id), at(minute))
        # When three are asked for / Then the oldest come first, a tie broken by platform id
        assert [r.platform_id for r in records.store.sendable(TENANT, CONTACT, 3)] == ["c", "b", "a"]

    def test_sendable_leaves_out_every_state_but_pending(self, records: Any) -> None:
        # Given a contact in each state
        stored_in_states(records, {f"c-{state.value}": state for state in SyncState})
        # When the sendable records are asked for / Then only the pending one is given
        assert [r.platform_id for r in records.store.sendable(TENANT, CONTACT, 10)] == ["c-pending"]

    def test_status_counts_each_state(self, records: Any) -> None:
        # Given two pending, one synced and one failed contact
        stored_in_states(
            records,
            {"c-1": SyncState.PENDING, "c-2": SyncState.SYNCED, "c-3": SyncState.FAILED, "c-4": SyncState.PENDING},
        )
        # When the status is asked for / Then every state is counted, zero where none
        counts = records.store.status(TENANT, CONTACT).counts
        assert counts == dict.fromkeys(SyncState, 0) | {
            SyncState.PENDING: 2,
            SyncState.SYNCED: 1,
            SyncState.FAILED: 1,
        }

    def test_status_gives_the_last_success_and_the_oldest_unsent_change(self, records: Any) -> None:
        # Given contacts synced at 0.5 and 2.5 minutes, and pending since minutes 1 and 3
        stored_in_states(
            records,
            {"c-1": SyncState.SYNCED, "c-2": SyncState.PENDING, "c-3": SyncState.SYNCED, "c-4": SyncState.PENDING},
        )
        # When the status is asked for
        status = records.store.status(TENANT, CONTACT)
        # Then the last success and the lag's start are those instants
        assert (status.last_synced_at, status.oldest_pending_at) == (at(2.5), at(1))

    def test_a_success_stays_the_last_one_after_the_record_changes(self, records: Any) -> None:
        # Given a synced contact changed since
        stored_in_states(records, {"c-1": SyncState.SYNCED})
        records.store.write(TENANT, CONTACT, "c-1", a_contact("Changed"), at(5))
        # When the status is asked for / Then the last success is still the sync's
        assert records.store.status(TENANT, CONTACT).last_synced_at == at(0.5)

    def test_status_of_an_entity_without_records_is_all_zero(self, records: Any) -> None:
        # Given an empty store / When the status is asked for
        status = records.store.status(TENANT, Entity.BILL)
        # Then every count is zero and there is no last success or lag
        assert (status.entity, set(status.counts.values()), status.last_synced_at, status.oldest_pending_at) == (
            Entity.BILL,
            {0},
            None,
            None,
        )

    def test_a_listing_pages_through_every_record_once(self, records: Any) -> None:
        # Given five contacts
        records.store.write_many(TENANT, CONTACT, [(f"c-{n}", a_contact(f"C{n}")) for n in range(5)], T0)
        # When they are listed two at a time until no cursor is given
        seen, cursor = records.store.listing(TENANT, CONTACT, None, 2)
        pages = 1
        while cursor is not None:
            page, cursor = records.store.listing(TENANT, CONTACT, None, 2, cursor)
            seen += page
            pages += 1
        # Then three pages held the five, each once
        assert (pages, sorted(r.platform_id for r in seen)) == (3, [f"c-{n}" for n in range(5)])

    def test_a_page_that_ends_the_listing_has_no_cursor(self, records: Any) -> None:
        # Given exactly two contacts / When a page of two is listed / Then no cursor leads to an empty page
        records.store.write_many(TENANT, CONTACT, [("c-1", a_contact("One")), ("c-2", a_contact("Two"))], T0)
        page, cursor = records.store.listing(TENANT, CONTACT, None, 2)
        assert (len(page), cursor) == (2, None)

    def test_a_listing_by_state_gives_only_that_state_page_by_page(self, records: Any) -> None:
        # Given three failed contacts among others
        stored_in_states(
            records,
            {
                "c-1": SyncState.FAILED,
                "c-2": SyncState.SYNCED,
                "c-3": SyncState.FAILED,
                "c-4": SyncState.PENDING,
                "c-5": SyncState.FAILED,
            },
        )
        # When the failed ones are listed two at a time
        first, cursor = records.store.listing(TENANT, CONTACT, SyncState.FAILED, 2)
        second, end = records.store.listing(TENANT, CONTACT, SyncState.FAILED, 2, cursor)
        # Then the pages hold the three failed, oldest failure first
        assert ([r.platform_id for r in first + second], end) == (["c-1", "c-3", "c-5"], None)

    def test_a_cursor_of_another_tenant_s_listing_is_refused(self, records: Any) -> None:
        # Given a cursor handed out for tenant-1's contacts
        records.store.write_many(TENANT, CONTACT, [(f"c-{n}", a_contact(f"C{n}")) for n in range(3)], T0)
        records.store.write_many("tenant-2", CONTACT, [(f"c-{n}", a_contact(f"C{n}")) for n in range(3)], T0)
        _, cursor = records.store.listing(TENANT, CONTACT, None, 1)
        # When tenant-2's listing is asked to continue from it / Then it refuses
        with pytest.raises(InvalidCursorError):
            records.store.listing("tenant-2", CONTACT, None, 1, cursor)

    def test_a_cursor_of_another_state_s_listing_is_refused(self, records: Any) -> None:
        # Given a cursor handed out for the pending contacts
        records.store.write_many(TENANT, CONTACT, [(f"c-{n}", a_contact(f"C{n}")) for n in range(3)], T0)
        _, cursor = records.store.listing(TENANT, CONTACT, SyncState.PENDING, 1)
        # When the full listing is asked to continue from it / Then it refuses
        with pytest.raises(InvalidCursorError):
            records.store.listing(TENANT, CONTACT, None, 1, cursor)

    def test_a_forged_cursor_is_refused(self, records: Any) -> None:
        # Given a contact / When the listing is asked to continue from garbage / Then it refuses
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        with pytest.raises(InvalidCursorError):
            records.store.listing(TENANT, CONTACT, None, 1, "eyJwayI6ICJTRVNTSU9OI3gifQ==")

    def test_retrying_one_failed_record_makes_it_pending(self, records: Any) -> None:
        # Given a failed contact
        stored_in_states(records, {"c-1": SyncState.FAILED})
        # When it is retried
        changed = records.store.retry(TENANT, CONTACT, "c-1", at(9))
        # Then it is pending since the retry, without the old message, and its history says so
        record = records.store.get(TENANT, CONTACT, "c-1")
        assert (changed, record.state, record.state_at, record.message) == (1, SyncState.PENDING, at(9), None)
        assert records.store.history(TENANT, CONTACT, "c-1", 1)[0].message == "retried"

    def test_retrying_all_makes_failed_skipped_and_parked_records_pending(self, records: Any) -> None:
        # Given a contact in each state
        stored_in_states(records, {f"c-{state.value}": state for state in SyncState})
        # When all contacts are retried
        changed = records.store.retry(TENANT, CONTACT, None, at(9))
        # Then the three with a verdict against them are pending again; the others are untouched
        assert changed == 3
        assert records.store.status(TENANT, CONTACT).counts == dict.fromkeys(SyncState, 0) | {
            SyncState.PENDING: 4,
            SyncState.SYNCED: 1,
            SyncState.IN_FLIGHT: 1,
        }

    def test_retrying_a_synced_record_changes_nothing(self, records: Any) -> None:
        # Given a synced contact / When it is retried / Then nothing changes
        stored_in_states(records, {"c-1": SyncState.SYNCED})
        before = records.store.get(TENANT, CONTACT, "c-1")
        assert (records.store.retry(TENANT, CONTACT, "c-1", at(9)), records.store.get(TENANT, CONTACT, "c-1")) == (
            0,
            before,
        )

    def test_retrying_an_unknown_record_changes_nothing(self, records: Any) -> None:
        # Given an empty store / When an unknown record is retried / Then nothing changed
        assert records.store.retry(TENANT, CONTACT, "c-1", T0) == 0


class BatchContract:
    def test_open_batches_are_given_oldest_first(self, records: Any) -> None:
        # Given two requests begun in an order unlike their keys
        records.store.begin_batch(a_batch("key-b", T0))
        records.store.begin_batch(a_batch("key-a", at(1)))
        # When the open ones are asked for / Then the older comes first
        assert [batch.key for batch in records.store.open_batches(TENANT)] == ["key-b", "key-a"]

    def test_a_batch_reads_back_byte_for_byte(self, records: Any) -> None:
        # Given a request of fifty invoices of fifty lines (over DynamoDB's 400 KB item size as plain JSON)
        batch = a_batch(invoices=50)
        assert len(batch.model_dump_json()) > 400_000
        # When it is begun and read back / Then it is the same request
        records.store.begin_batch(batch)
        assert records.store.open_batches(TENANT) == [batch]

    def test_an_ended_batch_is_forgotten(self, records: Any) -> None:
        # Given two open requests
        records.store.begin_batch(a_batch("key-1", T0))
        records.store.begin_batch(a_batch("key-2", at(1)))
        # When one ends / Then only the other is open
        records.store.end_batch(TENANT, "key-1")
        assert [batch.key for batch in records.store.open_batches(TENANT)] == ["key-2"]


class SettingsContract:
    def test_a_tenant_without_settings_has_none(self, records: Any) -> None:
        # Given an empty store / When settings are read / Then there are none
        assert records.settings.get(TENANT) is None

    def test_stored_settings_read_back_unchanged(self, records: Any) -> None:
        # Given settings with accounts, tax rates, a status and per-entity settings
        records.settings.put(TENANT, some_settings(), T0)
        # When they are read / Then they equal what was stored
        assert records.settings.get(TENANT) == some_settings()

    def test_settings_put_again_replace_the_earlier(self, records: Any) -> None:
        # Given stored settings / When new ones are put / Then the new ones are read
        records.settings.put(TENANT, some_settings("200"), T0)
        records.settings.put(TENANT, some_settings("260"), at(1))
        assert records.settings.get(TENANT).sales_account == "260"

    def test_reference_data_reads_back_unchanged(self, records: Any) -> None:
        # Given a chart of two hundred accounts, a tax rate with a decimal rate and a lock date
        records.settings.put_reference(TENANT, some_reference(200))
        # When it is read / Then it equals what was stored
        assert records.settings.reference(TENANT) == some_reference(200)

    def test_a_tenant_without_reference_data_has_none(self, records: Any) -> None:
        # Given an empty store / When reference data is read / Then there is none
        assert records.settings.reference(TENANT) is None


class ScheduleContract:
    def test_a_deferred_tenant_says_until_when_and_why(self, records: Any) -> None:
        # Given a tenant deferred for the daily limit / When asked / Then it tells when and why
        records.schedule.defer(TENANT, at(60), "daily limit")
        assert records.schedule.deferred_until(TENANT) == (at(60), "daily limit")

    def test_a_later_deferral_replaces_the_earlier(self, records: Any) -> None:
        # Given a tenant deferred twice / When asked / Then the second deferral holds
        records.schedule.defer(TENANT, at(60), "daily limit")
        records.schedule.defer(TENANT, at(1), "minute limit")
        assert records.schedule.deferred_until(TENANT) == (at(1), "minute limit")

    def test_a_tenant_never_deferred_waits_for_nothing(self, records: Any) -> None:
        # Given an empty schedule / When asked / Then nothing is deferred
        assert records.schedule.deferred_until(TENANT) is None

    def test_due_gives_tenants_whose_wait_has_ended_the_longest_waiting_first(self, records: Any) -> None:
        # Given four tenants deferred until minutes 3, 1, 2 (two of them) and 10
        for tenant_id, minute in [("t-3", 3), ("t-1", 1), ("t-2b", 2), ("t-2a", 2), ("t-10", 10)]:
            records.schedule.defer(tenant_id, at(minute), "minute limit")
        # When those due at minute 3 are asked for
        due = list(records.schedule.due(at(3)))
        # Then the longest waiting come first (a tie by tenant id); minute 10 is not yet due
        assert due == ["t-1", "t-2a", "t-2b", "t-3"]

    def test_a_tenant_is_due_from_the_instant_its_wait_ends(self, records: Any) -> None:
        # Given a tenant deferred until minute 5 / When asked at exactly minute 5 / Then it is due
        records.schedule.defer(TENANT, at(5), "minute limit")
        assert list(records.schedule.due(at(5))) == [TENANT]

    def test_a_cleared_tenant_is_no_longer_deferred_or_due(self, records: Any) -> None:
        # Given a deferred tenant / When its sync has run and it is cleared / Then it waits for nothing
        records.schedule.defer(TENANT, at(1), "minute limit")
        records.schedule.clear(TENANT)
        assert (records.schedule.deferred_until(TENANT), list(records.schedule.due(at(2)))) == (None, [])


class PushLeaseContract:
    def test_a_second_owner_cannot_take_a_held_lease(self, records: Any) -> None:
        # Given the worker holds the tenant's push lease for 5 minutes
        assert records.schedule.acquire(TENANT, "worker", at(0), timedelta(minutes=5))
        # When an export asks for it a minute later / Then it is refused
        assert not records.schedule.acquire(TENANT, "export", at(1), timedelta(minutes=5))

    def test_an_expired_lease_can_be_taken_over(self, records: Any) -> None:
        # Given a lease whose holder died / When its time is up / Then another owner takes it
        records.schedule.acquire(TENANT, "worker", at(0), timedelta(minutes=5))
        assert records.schedule.acquire(TENANT, "export", at(5), timedelta(minutes=5))

    def test_a_released_lease_is_free_at_once(self, records: Any) -> None:
        # Given the worker took and released the lease / When an export asks / Then it gets it
        records.schedule.acquire(TENANT, "worker", at(0), timedelta(minutes=5))
        records.schedule.release(TENANT, "worker")
        assert records.schedule.acquire(TENANT, "export", at(1), timedelta(minutes=5))

    def test_releasing_someone_elses_lease_leaves_it_held(self, records: Any) -> None:
        # Given the export took over an expired lease / When the old holder releases late
        records.schedule.acquire(TENANT, "worker", at(0), timedelta(minutes=5))
        records.schedule.acquire(TENANT, "export", at(6), timedelta(minutes=5))
        records.schedule.release(TENANT, "worker")
        # Then the export still holds it
        assert not records.schedule.acquire(TENANT, "worker", at(7), timedelta(minutes=5))

    def test_leases_of_two_tenants_are_independent(self, records: Any) -> None:
        # Given one tenant's lease is held / When another tenant's is asked for / Then it is granted
        records.schedule.acquire(TENANT, "worker", at(0), timedelta(minutes=5))
        assert records.schedule.acquire("tenant-other", "worker-2", at(0), timedelta(minutes=5))


class TenantIsolationContract:
    def test_a_tenant_sees_none_of_another_tenant_s_records(self, records: Any) -> None:
        # Given tenant-1 with a synced contact, a pending one, a failed one and an open request
        stored_in_states(records, {"c-1": SyncState.SYNCED, "c-2": SyncState.PENDING, "c-3": SyncState.FAILED})
        records.store.begin_batch(a_batch())
        other = "tenant-2"
        # When tenant-2 reads by every way there is / Then it finds nothing
        assert records.store.get(other, CONTACT, "c-1") is None
        assert records.store.get_many(other, CONTACT, ["c-1", "c-2"]) == {}
        assert records.store.listing(other, CONTACT, None, 10) == ([], None)
        assert records.store.sendable(other, CONTACT, 10) == []
        assert records.store.history(other, CONTACT, "c-1", 10) == []
        assert records.store.find_by_xero_id(other, CONTACT, "x-c-1") is None
        assert set(records.store.status(other, CONTACT).counts.values()) == {0}
        assert records.store.open_batches(other) == []

    def test_a_tenant_cannot_change_another_tenant_s_records(self, records: Any) -> None:
        # Given tenant-1's failed contact, an open request and a deferral
        stored_in_states(records, {"c-1": SyncState.FAILED})
        records.store.begin_batch(a_batch("key-1"))
        records.schedule.defer(TENANT, at(1), "minute limit")
        before = records.store.get(TENANT, CONTACT, "c-1")
        other = "tenant-2"
        # When tenant-2 deletes, settles, retries, marks applied, ends and clears under the same ids
        records.store.delete(other, CONTACT, "c-1", at(5))
        records.store.settle(other, CONTACT, "c-1", 1, synced(), now=at(5))
        records.store.retry(other, CONTACT, None, at(5))
        records.store.set_applied(other, CONTACT, "c-1", True)
        records.store.end_batch(other, "key-1")
        records.schedule.clear(other)
        # Then tenant-1's contact, request and deferral are as they were
        assert records.store.get(TENANT, CONTACT, "c-1") == before
        assert [batch.key for batch in records.store.open_batches(TENANT)] == ["key-1"]
        assert records.schedule.deferred_until(TENANT) == (at(1), "minute limit")

    def test_a_tenant_sees_none_of_another_tenant_s_settings_or_schedule(self, records: Any) -> None:
        # Given tenant-1's settings, reference data and deferral
        records.settings.put(TENANT, some_settings(), T0)
        records.settings.put_reference(TENANT, some_reference())
        records.schedule.defer(TENANT, at(1), "minute limit")
        # When tenant-2 reads them / Then it has none
        other = "tenant-2"
        assert (records.settings.get(other), records.settings.reference(other)) == (None, None)
        assert records.schedule.deferred_until(other) is None


def from_xero(effect: XeroEffect, expected_version: int | None, stamp_minutes: float = 0, **fields: Any) -> XeroVersion:
    """A decision about Xero's version of xero-c-1, stamped by Xero at at(stamp_minutes)."""
    values: dict[str, Any] = {
        "xero_id": "xero-c-1",
        "xero_status": "ACTIVE",
        "xero_updated_at": at(stamp_minutes),
        **fields,
    }
    return XeroVersion(effect=effect, expected_version=expected_version, **values)


class FromXeroContract:
    def test_a_record_new_in_xero_is_created_synced_with_its_xero_id(self, records: Any) -> None:
        # Given no record / When Xero's contact is taken
        taken = from_xero(XeroEffect.TAKE, None, body=a_contact("Bayside Club"), message="created in Xero")
        record = records.store.apply_from_xero(TENANT, CONTACT, "xero-xero-c-1", taken, now=at(1))
        # Then it is version 1, already synced (nothing goes back to Xero), found by its Xero id
        assert (record.version, record.state, record.synced_version, record.xero_id) == (
            1,
            SyncState.SYNCED,
            1,
            "xero-c-1",
        )
        assert (record.xero_updated_at, record.last_synced_at, record.body) == (at(0), at(1), a_contact("Bayside Club"))
        assert records.store.find_by_xero_id(TENANT, CONTACT, "xero-c-1") == record
        assert [e.message for e in records.store.history(TENANT, CONTACT, "xero-xero-c-1", 10)] == ["created in Xero"]
        assert records.store.sendable(TENANT, CONTACT, 10) == []

    def test_xero_s_new_version_is_a_synced_version_of_the_record(self, records: Any) -> None:
        # Given a synced contact
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1"), now=at(1))
        # When Xero's renamed version is taken
        taken = from_xero(XeroEffect.TAKE, 1, 5, body=a_contact("Acme Holdings"))
        record = records.store.apply_from_xero(TENANT, CONTACT, "c-1", taken, now=at(6))
        # Then it is version 2, synced at once, holding Xero's body and stamp
        assert (record.version, record.state, record.synced_version, record.body["name"]) == (
            2,
            SyncState.SYNCED,
            2,
            "Acme Holdings",
        )
        assert (record.xero_updated_at, record.updated_at) == (at(5), at(6))
        assert records.store.history(TENANT, CONTACT, "c-1", 1)[0].message == "changed in Xero"

    def test_a_tombstone_deletes_the_record_as_a_synced_version(self, records: Any) -> None:
        # Given a synced contact / When Xero archived it
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1"), now=at(1))
        taken = from_xero(XeroEffect.DELETE, 1, 5, xero_status="ARCHIVED")
        record = records.store.apply_from_xero(TENANT, CONTACT, "c-1", taken, now=at(6))
        # Then it is deleted in a synced version 2 that keeps its body, and nothing is sent back
        assert (record.version, record.deleted, record.state, record.xero_status) == (
            2,
            True,
            SyncState.SYNCED,
            "ARCHIVED",
        )
        assert record.body == a_contact()
        assert records.store.sendable(TENANT, CONTACT, 10) == []

    def test_a_decision_on_a_version_the_platform_has_replaced_changes_nothing(self, records: Any) -> None:
        # Given a synced contact the platform changes again after the decision read version 1
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1"), now=at(1))
        records.store.write(TENANT, CONTACT, "c-1", a_contact("Edited here"), at(2))
        before = records.store.get(TENANT, CONTACT, "c-1")
        # When Xero's version is applied to version 1 / Then it is refused and the record is as it was
        with pytest.raises(RecordMovedError):
            records.store.apply_from_xero(
                TENANT, CONTACT, "c-1", from_xero(XeroEffect.TAKE, 1, 5, body=a_contact("Xero")), now=at(6)
            )
        assert records.store.get(TENANT, CONTACT, "c-1") == before

    def test_a_record_created_since_the_decision_read_none_is_not_overwritten(self, records: Any) -> None:
        # Given the record exists (created after the decision found none)
        records.store.write(TENANT, CONTACT, "xero-xero-c-1", a_contact(), T0)
        # When Xero's contact is taken as new / Then it is refused
        with pytest.raises(RecordMovedError):
            records.store.apply_from_xero(
                TENANT, CONTACT, "xero-xero-c-1", from_xero(XeroEffect.TAKE, None, body=a_contact()), now=at(1)
            )
        assert records.store.get(TENANT, CONTACT, "xero-xero-c-1").state is SyncState.PENDING

    def test_an_echo_moves_the_stamp_without_a_history_line(self, records: Any) -> None:
        # Given a synced contact whose write Xero stamped at(1)
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1", xero_updated_at=at(1)), now=at(1))
        lines = records.store.history(TENANT, CONTACT, "c-1", 10)
        # When a read stamped at(3) is noted as nothing new
        record = records.store.apply_from_xero(TENANT, CONTACT, "c-1", from_xero(XeroEffect.NOTE, 1, 3), now=at(4))
        # Then only the stamp moved: same version, same history
        assert (record.version, record.xero_updated_at) == (1, at(3))
        assert records.store.history(TENANT, CONTACT, "c-1", 10) == lines

    def test_a_stale_read_moves_neither_the_stamp_nor_the_status_back(self, records: Any) -> None:
        # Given a contact whose Xero copy is known as ARCHIVED at at(5)
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1", xero_updated_at=at(1)), now=at(1))
        records.store.apply_from_xero(
            TENANT, CONTACT, "c-1", from_xero(XeroEffect.NOTE, 1, 5, xero_status="ARCHIVED"), now=at(6)
        )
        # When an older read (ACTIVE, at(2)) is noted
        record = records.store.apply_from_xero(
            TENANT, CONTACT, "c-1", from_xero(XeroEffect.NOTE, 1, 2, xero_status="ACTIVE"), now=at(7)
        )
        # Then the ledger still knows the newer one
        assert (record.xero_status, record.xero_updated_at) == ("ARCHIVED", at(5))

    def test_a_note_with_words_adds_a_history_line_to_the_same_version(self, records: Any) -> None:
        # Given a contact the platform changed since its sync
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1"), now=at(1))
        records.store.write(TENANT, CONTACT, "c-1", a_contact("Edited here"), at(2))
        # When a conflict the platform won is noted
        taken = from_xero(XeroEffect.NOTE, 2, 3, message="conflict: the platform's version wins")
        record = records.store.apply_from_xero(TENANT, CONTACT, "c-1", taken, now=at(4))
        # Then the record still waits to be sent, and its history says why Xero's edit did not land
        assert (record.version, record.state) == (2, SyncState.PENDING)
        newest = records.store.history(TENANT, CONTACT, "c-1", 1)[0]
        assert (newest.version, newest.state, newest.message) == (
            2,
            SyncState.PENDING,
            "conflict: the platform's version wins",
        )

    def test_a_restated_synced_record_is_a_new_version_xero_holds_already(self, records: Any) -> None:
        # Given a synced contact
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1", xero_updated_at=at(1)), now=at(1))
        # When a change of Xero's status alone is restated
        taken = from_xero(XeroEffect.RESTATE, 1, 5, xero_status="SUSPENDED", message="Xero status SUSPENDED")
        record = records.store.apply_from_xero(TENANT, CONTACT, "c-1", taken, now=at(6))
        # Then it is version 2 of the same body, still synced (the synced version moved with it): nothing to send
        assert (record.version, record.body, record.state, record.synced_version) == (
            2,
            a_contact(),
            SyncState.SYNCED,
            2,
        )
        assert (record.xero_status, record.xero_updated_at, record.updated_at) == ("SUSPENDED", at(5), at(6))
        assert records.store.sendable(TENANT, CONTACT, 10) == []
        newest = records.store.history(TENANT, CONTACT, "c-1", 1)[0]
        assert (newest.version, newest.state, newest.message) == (2, SyncState.SYNCED, "Xero status SUSPENDED")

    def test_a_restated_record_whose_newer_version_waits_still_waits_in_its_place(self, records: Any) -> None:
        # Given a synced contact the platform changed since (version 2, waiting to be sent)
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1"), now=at(1))
        waiting = records.store.write(TENANT, CONTACT, "c-1", a_contact("Edited here"), at(2))
        # When a change of Xero's status alone is restated
        taken = from_xero(XeroEffect.RESTATE, 2, 5, xero_status="SUSPENDED")
        record = records.store.apply_from_xero(TENANT, CONTACT, "c-1", taken, now=at(6))
        # Then version 3 holds the platform's body and waits where version 2 waited; Xero still holds version 1
        assert (record.version, record.body["name"], record.state, record.state_at) == (
            3,
            "Edited here",
            SyncState.PENDING,
            waiting.state_at,
        )
        assert (record.synced_version, record.synced_body) == (1, a_contact())
        assert [(r.platform_id, r.version) for r in records.store.sendable(TENANT, CONTACT, 10)] == [("c-1", 3)]

    def test_the_body_xero_accepted_is_kept_while_the_platform_has_a_newer_one(self, records: Any) -> None:
        # Given a synced contact
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1"), now=at(1))
        # When the platform changes it / Then the synced body is kept beside the new one
        changed = records.store.write(TENANT, CONTACT, "c-1", a_contact("Edited here"), at(2))
        assert (changed.synced_body, changed.synced_deleted) == (a_contact(), False)
        # And once Xero accepts the new version it is no longer kept
        after = records.store.settle(TENANT, CONTACT, "c-1", 2, synced("xero-c-1"), now=at(3))
        assert after.synced_body is None

    def test_a_write_s_stamp_is_kept_and_never_moves_back(self, records: Any) -> None:
        # Given a contact synced with Xero's stamp at(5)
        records.store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
        records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1", xero_updated_at=at(5)), now=at(5))
        # When a late answer stamped at(2) is settled / Then the stamp stays at(5)
        after = records.store.settle(TENANT, CONTACT, "c-1", 1, synced("xero-c-1", xero_updated_at=at(2)), now=at(6))
        assert after.xero_updated_at == at(5)

    def test_a_payment_s_parts_in_xero_find_the_payment(self, records: Any) -> None:
        # Given a payment whose discount credit note and fee bill are in Xero
        records.store.write(
            TENANT, Entity.PAYMENT, "p-1", {"date": "2026-01-05", "amount": "10", "bank_account": "a"}, T0
        )
        parts = {"payment": "x-pay", "discount_credit_note": "x-cn", "fee_bill": "x-bill", "for_version": "1"}
        records.store.settle(
            TENANT, Entity.PAYMENT, "p-1", 1, Outcome(state=SyncState.PENDING, linked=parts), now=at(1)
        )
        # When each part's Xero id is looked up / Then the payment holds it; a version is not an id
        assert {records.store.find_part(TENANT, xero_id).platform_id for xero_id in ("x-pay", "x-cn", "x-bill")} == {
            "p-1"
        }
        assert records.store.find_part(TENANT, "1") is None
        assert records.store.find_part("tenant-2", "x-cn") is None

    def test_a_part_removed_from_xero_no_longer_finds_the_payment(self, records: Any) -> None:
        # Given a payment whose fee bill was taken out of Xero
        records.store.write(
            TENANT, Entity.PAYMENT, "p-1", {"date": "2026-01-05", "amount": "10", "bank_account": "a"}, T0
        )
        records.store.settle(
            TENANT, Entity.PAYMENT, "p-1", 1, Outcome(state=SyncState.PENDING, linked={"fee_bill": "x-bill"}), now=at(1)
        )
        records.store.settle(
            TENANT, Entity.PAYMENT, "p-1", 1, Outcome(state=SyncState.PENDING, linked={"fee_bill": ""}), now=at(2)
        )
        # When its Xero id is looked up / Then nothing holds it
        assert records.store.find_part(TENANT, "x-bill") is None


class RecordsContract(
    RecordWritesContract,
    FromXeroContract,
    SettleContract,
    QueueContract,
    BatchContract,
    SettingsContract,
    ScheduleContract,
    PushLeaseContract,
    TenantIsolationContract,
):
    """All three ports: subclass it and provide the `records` fixture."""
