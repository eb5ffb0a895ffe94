"""The sync from Xero over fakes: Xero's changes reach the platform's records, the change feed and the
bus once each; echoes, parts and filtered kinds do not; conflicts keep both versions; nothing is lost
when Xero cannot be read."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

import pytest

from shared.domain.inbound.settings import Direction, InboundEntitySettings, Side
from shared.domain.ledger import BatchMember, InFlightBatch, Outcome, SyncState
from shared.domain.rate_limits import LimitName
from shared.domain.records import Entity
from shared.ports.records import RecordStore
from shared.ports.xero_accounting import XeroApiError, XeroRateLimitedError
from shared.ports.xero_identity import XeroUnavailableError
from tests.unit.mapping.mapping_world import settings
from tests.unit.pull.pull_world import (
    NOW,
    ORG,
    TENANT,
    PullWorld,
    inbound,
    notice,
    xero_contact,
    xero_invoice,
    xero_payment,
)

LATER = NOW + timedelta(seconds=30)


def a_contact_body(name: str = "Bayside Club") -> dict[str, Any]:
    return {"name": name}


# --- records new in Xero ----------------------------------------------------------------------------------


def test_a_contact_new_in_xero_is_on_the_platform_synced_in_the_feed_and_on_the_bus() -> None:
    # Given a contact a Xero user created
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    # When its webhook's notice is pulled
    report = world.run(notice("x-c1"))
    # Then the platform has it, already synced, under an id that names its Xero id
    record = world.record(Entity.CONTACT, "xero-x-c1")
    assert (record.state, record.version, record.synced_version, record.xero_id) == (SyncState.SYNCED, 1, 1, "x-c1")
    assert record.body["name"] == "Bayside Club"
    assert world.changes() == [("created", "contact", "xero-x-c1")]
    assert world.event_types() == ["record.created"]
    assert (report.calls, report.fetched) == (1, 1)


class DiesBeforeTheRecord:
    """The record store of a worker that dies after a change's feed line and before its record write."""

    def __init__(self, inner: RecordStore) -> None:
        self._inner = inner

    def apply_from_xero(self, *args: Any, **kwargs: Any) -> None:
        raise SystemExit("the worker died")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_a_change_taken_again_after_the_worker_died_before_the_record_is_told_once() -> None:
    # Given a contact a Xero user created, and a worker that died between the feed line and the record
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    dying = dataclasses.replace(world.pull, records=cast(RecordStore, DiesBeforeTheRecord(world.records.store)))
    with pytest.raises(SystemExit):
        dying.run(TENANT, [notice("x-c1")])
    # When SQS delivers the notice again a minute later, to a worker that lives
    world.clock.advance(timedelta(minutes=1))
    world.run(notice("x-c1"))
    # Then the platform has the contact, and the feed and the bus tell it once, at its first instant
    assert world.record(Entity.CONTACT, "xero-x-c1").version == 1
    assert world.changes() == [("created", "contact", "xero-x-c1")]
    assert [change.at for change in world.feed.everything(TENANT)] == [NOW]
    assert world.event_types() == ["record.created"]


def test_an_invoice_whose_contact_is_unknown_brings_the_contact_first() -> None:
    # Given a new invoice in Xero for a new contact
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    world.xero.put("Invoices", xero_invoice("x-i1", "x-c1", "100.00", NOW))
    # When only the invoice's notice is pulled
    world.run(notice("x-i1", "INVOICE"))
    # Then the contact came first and the invoice names it by its platform id
    assert world.changes() == [("created", "contact", "xero-x-c1"), ("created", "invoice", "xero-x-i1")]
    invoice = world.record(Entity.INVOICE, "xero-x-i1")
    assert (invoice.body["contact_id"], invoice.body["lines"][0]["tax_code"]) == ("xero-x-c1", "GST")


def test_duplicated_and_reordered_notices_of_one_record_are_one_fetch_and_one_change() -> None:
    # Given a contact whose notices arrive three times, the newest first
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    notices = [notice("x-c1", at=NOW + timedelta(seconds=2)), notice("X-C1", at=NOW), notice("x-c1", at=NOW)]
    # When they are pulled, and the same batch is delivered again
    world.run(*notices)
    world.run(*notices)
    # Then one call per run and one change in all
    assert len(world.xero.calls) == 2
    assert world.changes() == [("created", "contact", "xero-x-c1")]


def test_fifty_records_are_read_in_one_call() -> None:
    # Given 60 new contacts
    world = PullWorld()
    for n in range(60):
        world.xero.put("Contacts", xero_contact(f"x-c{n:02d}", f"Customer {n}", NOW))
    # When their notices are pulled / Then two calls read them all
    report = world.run(*(notice(f"x-c{n:02d}") for n in range(60)))
    assert (report.calls, report.fetched, len(world.changes())) == (2, 60, 60)


# --- changes to the platform's records --------------------------------------------------------------------


def test_a_contact_renamed_in_xero_is_a_new_synced_version() -> None:
    # Given a contact the platform wrote and the push sent (Xero stamped our write at NOW)
    world = PullWorld()
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    # When a Xero user renames it
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Sports Club", LATER))
    world.run(notice("x-c1", at=LATER))
    # Then the platform's record takes the name, synced at once (nothing goes back to Xero)
    record = world.record(Entity.CONTACT, "c-1")
    assert (record.version, record.state, record.body["name"], record.xero_updated_at) == (
        2,
        SyncState.SYNCED,
        "Bayside Sports Club",
        LATER,
    )
    assert world.changes() == [("updated", "contact", "c-1")]
    assert world.records.store.sendable(TENANT, Entity.CONTACT, 10) == []


def test_the_echo_of_the_push_s_own_write_is_not_even_read() -> None:
    # Given a contact the push wrote, Xero answering with its stamp
    world = PullWorld()
    before = world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    # When the webhook of that write comes back (its event dated as the write)
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    report = world.run(notice("x-c1", at=NOW))
    # Then Xero is not called, nothing changed and nobody is told
    assert (world.xero.calls, report.echoes) == ([], 1)
    assert world.record(Entity.CONTACT, "c-1") == before
    assert (world.changes(), world.event_types()) == ([], [])


def test_a_read_no_newer_than_the_push_s_write_is_an_echo_too() -> None:
    # Given a contact the push wrote at LATER, and a webhook of an earlier event whose read is stale
    world = PullWorld()
    before = world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", LATER)
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club (old)", NOW))
    # When a notice announcing something newer (its date unreadable, so never taken for an echo) is pulled
    late = notice("x-c1").model_copy(update={"event_date_utc": "not a date"})
    report = world.run(late)
    # Then Xero is read, its version is no newer than our write, and nothing changes
    assert (len(world.xero.calls), report.counts) == (1, {"ignore_echo": 1})
    assert world.record(Entity.CONTACT, "c-1") == before


def test_an_echo_and_an_edit_of_one_record_in_one_batch_read_the_edit() -> None:
    # Given a contact the push wrote at NOW and a Xero user renamed at LATER
    world = PullWorld()
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Sports Club", LATER))
    # When both webhooks come in one batch, the echo last
    world.run(notice("x-c1", at=LATER), notice("x-c1", at=NOW))
    # Then the rename is read and taken
    assert world.record(Entity.CONTACT, "c-1").body["name"] == "Bayside Sports Club"


def test_an_invoice_voided_in_xero_is_deleted_on_the_platform() -> None:
    # Given a synced invoice
    world = PullWorld()
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    world.xero.put("Invoices", xero_invoice("x-i1", "x-c1", "100.00", NOW))
    world.run(notice("x-i1", "INVOICE"))
    # When a Xero user voids it
    world.xero.put("Invoices", xero_invoice("x-i1", "x-c1", "100.00", LATER, status="VOIDED"))
    world.run(notice("x-i1", "INVOICE", at=LATER))
    # Then the platform's record is deleted, synced, and the platform hears it
    record = world.record(Entity.INVOICE, "xero-x-i1")
    assert (record.deleted, record.state, record.xero_status) == (True, SyncState.SYNCED, "VOIDED")
    assert world.changes()[-1] == ("deleted", "invoice", "xero-x-i1")
    assert world.event_types()[-1] == "record.deleted"


def test_a_payment_in_xero_becomes_a_receipt_and_the_invoice_is_paid() -> None:
    # Given an invoice on the platform, from Xero, when a Xero user records its payment in full
    world = PullWorld()
    paid_in_xero(world)
    world.run(notice("x-i1", "INVOICE", at=LATER))
    # Then the invoice is paid on the platform (a version of its own) and the payment is a receipt against it
    invoice = world.record(Entity.INVOICE, "xero-x-i1")
    receipt = world.record(Entity.PAYMENT, "xero-x-p1")
    assert (invoice.xero_status, invoice.has_applied, invoice.version) == ("PAID", True, 2)
    assert (receipt.body["invoice_id"], Decimal(receipt.body["amount"]), receipt.body["bank_account"]) == (
        "xero-x-i1",
        Decimal("110.00"),
        "main",
    )
    assert world.changes()[-2:] == [("updated", "invoice", "xero-x-i1"), ("created", "payment", "xero-x-p1")]


def test_an_invoice_paid_by_the_push_s_own_payment_tells_the_platform_nothing() -> None:
    # Given an invoice and its payment, both written by the platform and sent by the push
    world = PullWorld()
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    world.xero.put("Invoices", xero_invoice("x-i1", "x-c1", "100.00", NOW))
    world.run(notice("x-i1", "INVOICE"))
    payment = {"invoice_id": "xero-x-i1", "date": "2026-03-02", "amount": "110.00", "bank_account": "main"}
    world.records.store.write(TENANT, Entity.PAYMENT, "p-1", payment, NOW)
    outcome = Outcome(state=SyncState.SYNCED, xero_id="x-p1", linked={"payment": "x-p1", "for_version": "1"})
    world.records.store.settle(TENANT, Entity.PAYMENT, "p-1", 1, outcome, now=NOW)
    changes = world.changes()
    # When Xero's invoice comes back PAID by that payment
    paid = xero_invoice("x-i1", "x-c1", "100.00", LATER, status="PAID", Payments=[{"PaymentID": "x-p1"}])
    world.xero.put("Invoices", paid)
    world.run(notice("x-i1", "INVOICE", at=LATER))
    # Then the ledger knows it is paid, the payment is not imported, and the platform hears nothing new
    assert world.record(Entity.INVOICE, "xero-x-i1").xero_status == "PAID"
    assert world.records.store.get(TENANT, Entity.PAYMENT, "xero-x-p1") is None
    assert world.changes() == changes


def paid_in_xero(world: PullWorld) -> None:
    """Invoice x-i1 taken from Xero (version 1), then paid in full there by a Xero user's payment x-p1."""
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    world.xero.put("Invoices", xero_invoice("x-i1", "x-c1", "100.00", NOW))
    world.run(notice("x-i1", "INVOICE"))
    world.xero.put("Payments", xero_payment("x-p1", "x-i1", "110.00", LATER))
    paid = xero_invoice("x-i1", "x-c1", "100.00", LATER, status="PAID", Payments=[{"PaymentID": "x-p1"}])
    world.xero.put("Invoices", paid)


def invoice_changes(world: PullWorld) -> list[tuple[str, str | None, int]]:
    """(kind, Xero status, version) of every change told of invoice xero-x-i1, in feed order."""
    told = world.feed.everything(TENANT)
    return [(c.kind.value, c.xero_status, c.version) for c in told if c.platform_id == "xero-x-i1"]


def test_a_status_changed_in_xero_alone_is_told_under_a_new_version() -> None:
    # Given an invoice on the platform, from Xero, since paid there
    world = PullWorld()
    paid_in_xero(world)
    # When the invoice's notice is pulled
    world.run(notice("x-i1", "INVOICE", at=LATER))
    # Then the payment is told under version 2, after the creation's version 1, in the feed and on the bus
    assert invoice_changes(world) == [("created", "AUTHORISED", 1), ("updated", "PAID", 2)]
    told = [e.data["version"] for e in world.events.events if e.data.get("platform_id") == "xero-x-i1"]
    assert told == [1, 2]
    assert world.record(Entity.INVOICE, "xero-x-i1").version == 2


def test_a_status_changed_in_xero_alone_leaves_the_record_synced_with_its_body() -> None:
    # Given an invoice on the platform, from Xero, since paid there
    world = PullWorld()
    paid_in_xero(world)
    body = world.record(Entity.INVOICE, "xero-x-i1").body
    # When the invoice's notice is pulled
    world.run(notice("x-i1", "INVOICE", at=LATER))
    # Then its new version holds the same body, and Xero holds that version already
    record = world.record(Entity.INVOICE, "xero-x-i1")
    assert (record.body, record.state, record.synced_version, record.xero_status) == (
        body,
        SyncState.SYNCED,
        2,
        "PAID",
    )
    newest = world.records.store.history(TENANT, Entity.INVOICE, "xero-x-i1", 1)[0]
    assert (newest.version, newest.state, newest.message) == (2, SyncState.SYNCED, "Xero status PAID")


def test_a_status_changed_in_xero_alone_gives_the_push_nothing_to_send() -> None:
    # Given an invoice on the platform, from Xero, since paid there
    world = PullWorld()
    paid_in_xero(world)
    # When the invoice's notice is pulled
    world.run(notice("x-i1", "INVOICE", at=LATER))
    # Then the push's pending list stays empty
    assert world.records.store.sendable(TENANT, Entity.INVOICE, 10) == []


def test_the_same_status_change_taken_twice_makes_one_version() -> None:
    # Given an invoice paid in Xero whose change the platform was told of
    world = PullWorld()
    paid_in_xero(world)
    world.run(notice("x-i1", "INVOICE", at=LATER))
    # When Xero's webhook is delivered again, and once more with a date that forces a read
    world.run(notice("x-i1", "INVOICE", at=LATER))
    unreadable = notice("x-i1", "INVOICE", at=LATER).model_copy(update={"event_date_utc": "not a date"})
    world.run(unreadable)
    # Then the record is still at version 2, and the payment was told once
    assert world.record(Entity.INVOICE, "xero-x-i1").version == 2
    assert invoice_changes(world) == [("created", "AUTHORISED", 1), ("updated", "PAID", 2)]


def test_a_status_changed_in_xero_while_the_platform_s_version_waits_keeps_it_waiting() -> None:
    # Given an invoice from Xero that the platform changed (version 2, not sent yet), since paid in Xero
    world = PullWorld()
    paid_in_xero(world)
    edited = {**world.record(Entity.INVOICE, "xero-x-i1").body, "reference": "PO-7"}
    world.records.store.write(TENANT, Entity.INVOICE, "xero-x-i1", edited, NOW)
    # When the invoice's notice is pulled
    world.run(notice("x-i1", "INVOICE", at=LATER))
    # Then the payment is told under version 3, which holds the platform's body and still waits to be sent
    assert invoice_changes(world)[-1] == ("updated", "PAID", 3)
    record = world.record(Entity.INVOICE, "xero-x-i1")
    assert (record.version, record.body, record.state, record.synced_version) == (3, edited, SyncState.PENDING, 1)
    assert [(r.platform_id, r.version) for r in world.records.store.sendable(TENANT, Entity.INVOICE, 10)] == [
        ("xero-x-i1", 3)
    ]


def test_a_part_of_a_platform_payment_is_never_a_record_of_its_own() -> None:
    # Given a payment whose fee became a bill in Xero
    world = PullWorld()
    payment = {"date": "2026-03-02", "amount": "10.00", "bank_account": "main", "fee": "3.00"}
    world.records.store.write(TENANT, Entity.PAYMENT, "p-1", payment, NOW)
    linked = {"fee_bill": "x-fee", "for_version": "1"}
    world.records.store.settle(
        TENANT, Entity.PAYMENT, "p-1", 1, Outcome(state=SyncState.PENDING, linked=linked), now=NOW
    )
    # When the fee bill's webhook is pulled
    world.xero.put("Invoices", xero_invoice("x-fee", "x-supplier", "3.00", NOW, Type="ACCPAY"))
    report = world.run(notice("x-fee", "INVOICE"))
    # Then it is skipped as the payment's part: no bill, no supplier, no change
    assert world.records.store.get(TENANT, Entity.BILL, "xero-x-fee") is None
    assert (world.changes(), report.counts) == ([], {"skipped": 1})


# --- settings ---------------------------------------------------------------------------------------------


def test_a_kind_the_tenant_sends_to_xero_only_is_not_taken() -> None:
    # Given contacts go to Xero only
    world = PullWorld()
    world.use_settings(settings(inbound=inbound(contact=InboundEntitySettings(direction=Direction.TO_XERO))))
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    # When a Xero contact's notice is pulled / Then the platform has nothing of it
    world.run(notice("x-c1"))
    assert (world.records.store.get(TENANT, Entity.CONTACT, "xero-x-c1"), world.changes()) == (None, [])


def test_only_unpaid_invoices_come_from_xero_when_the_tenant_says_so() -> None:
    # Given a tenant that takes only unpaid invoices, and a paid one in Xero
    world = PullWorld()
    world.use_settings(settings(inbound=inbound(invoice=InboundEntitySettings(only_unpaid=True))))
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    world.xero.put("Invoices", xero_invoice("x-i1", "x-c1", "100.00", NOW, status="PAID"))
    # When it is pulled / Then it is not created
    world.run(notice("x-i1", "INVOICE"))
    assert world.records.store.get(TENANT, Entity.INVOICE, "xero-x-i1") is None


def test_a_sync_switched_off_takes_nothing_and_keeps_nothing() -> None:
    # Given the platform switched the tenant's sync off
    world = PullWorld()
    world.use_settings(settings(enabled=False))
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    # When a notice is pulled / Then Xero is not called and nothing is kept
    report = world.run(notice("x-c1"))
    assert (world.xero.calls, world.pending.listing(TENANT), report.stopped) == (
        [],
        [],
        "sync is not enabled for the tenant",
    )


# --- conflicts --------------------------------------------------------------------------------------------


def edited_on_both_sides(world: PullWorld) -> None:
    """Contact c-1 synced as Bayside Club; renamed on the platform (not sent yet) and in Xero."""
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    world.records.store.write(TENANT, Entity.CONTACT, "c-1", a_contact_body("Bayside Club (platform)"), NOW)
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club (Xero)", LATER))


def test_a_record_changed_on_both_sides_is_a_conflict_the_platform_wins_by_default() -> None:
    # Given a contact edited on both sides since the last sync
    world = PullWorld()
    edited_on_both_sides(world)
    # When Xero's edit is pulled
    world.run(notice("x-c1", at=LATER))
    # Then the platform's body stays and waits to be sent, under the version the conflict is told with;
    # the conflict keeps both versions
    record = world.record(Entity.CONTACT, "c-1")
    assert (record.version, record.state, record.body["name"]) == (3, SyncState.PENDING, "Bayside Club (platform)")
    [conflict] = world.feed.read(TENANT, None, 10, until="~", conflicts_only=True)
    assert (conflict.version, conflict.conflict is not None) == (3, True)
    assert conflict.conflict is not None
    assert (conflict.conflict.platform_body["name"], conflict.conflict.xero_body["name"], conflict.conflict.winner) == (
        "Bayside Club (platform)",
        "Bayside Club (Xero)",
        Side.PLATFORM,
    )
    assert world.event_types() == ["record.conflict"]
    assert "conflict with Xero" in str(world.records.store.history(TENANT, Entity.CONTACT, "c-1", 1)[0].message)


def test_a_conflict_xero_wins_by_the_tenant_s_rule_takes_xero_s_version() -> None:
    # Given a tenant whose contacts' conflicts Xero wins, and a contact edited on both sides
    world = PullWorld()
    world.use_settings(settings(inbound=inbound(contact=InboundEntitySettings(conflict_winner=Side.XERO))))
    edited_on_both_sides(world)
    # When Xero's edit is pulled
    world.run(notice("x-c1", at=LATER))
    # Then the record takes Xero's name, synced, and the conflict is recorded
    record = world.record(Entity.CONTACT, "c-1")
    assert (record.version, record.state, record.body["name"]) == (3, SyncState.SYNCED, "Bayside Club (Xero)")
    assert world.changes() == [("conflict", "contact", "c-1")]


class WritesBeforeApplying:
    """The record store, except that the platform writes contact c-1 again just before the first
    decision about it is applied (a write racing the sync from Xero)."""

    def __init__(self, inner: RecordStore) -> None:
        self._inner = inner
        self.raced = False

    def apply_from_xero(self, *args: Any, **kwargs: Any) -> Any:
        if not self.raced:
            self.raced = True
            self._inner.write(TENANT, Entity.CONTACT, "c-1", a_contact_body("Written meanwhile"), NOW)
        return self._inner.apply_from_xero(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_a_platform_write_racing_xero_s_change_makes_it_a_conflict_not_an_overwrite() -> None:
    # Given a synced contact renamed in Xero, and the platform writing it while the change is applied
    world = PullWorld()
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club (Xero)", LATER))
    racing = WritesBeforeApplying(world.records.store)
    pull = world.pull.__class__(**{**world.pull.__dict__, "records": racing})
    # When the notice is pulled
    pull.run(TENANT, [notice("x-c1", at=LATER)])
    # Then the platform's write stands and the change became a conflict (the update never reached the feed)
    assert world.record(Entity.CONTACT, "c-1").body["name"] == "Written meanwhile"
    assert world.changes() == [("conflict", "contact", "c-1")]


# --- nothing lost -----------------------------------------------------------------------------------------


def test_a_record_xero_answers_without_is_kept_and_asked_for_again_never_deleted() -> None:
    # Given a synced contact whose webhook comes while Xero's read does not show it yet
    world = PullWorld()
    before = world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    report = world.run(notice("x-c1", at=LATER))
    # Then the record is untouched, the notice kept for a minute, and the tenant deferred to then
    assert world.record(Entity.CONTACT, "c-1") == before
    [kept] = world.pending.listing(TENANT)
    assert (kept.retry_at, kept.not_found, report.deferred_until) == (NOW + timedelta(minutes=1), 1, kept.retry_at)
    assert world.records.schedule.deferred_until(TENANT) is not None
    # And when the minute has passed and Xero answers, the change is taken and the notice forgotten
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Sports Club", LATER))
    world.clock.advance(timedelta(minutes=1))
    world.run()
    assert world.record(Entity.CONTACT, "c-1").body["name"] == "Bayside Sports Club"
    assert world.pending.listing(TENANT) == []


def test_a_record_xero_never_answers_is_given_up_once_its_four_retries_are_spent() -> None:
    # Given a notice of a record Xero never answers
    world = PullWorld()
    world.run(notice("x-ghost"))
    # When every retry comes due in turn
    for _ in range(4):
        world.clock.advance(timedelta(hours=2))
        world.run()
    # Then it was asked for five times in all and is kept no more
    assert (len(world.xero.calls), world.pending.listing(TENANT)) == (5, [])


def test_a_rate_limit_keeps_every_notice_until_xero_s_window_resets() -> None:
    # Given Xero answers 429 for the minute
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    world.xero.put("Invoices", xero_invoice("x-i1", "x-c1", "100.00", NOW))
    world.xero.failures.append(XeroRateLimitedError(40, "minute"))
    # When both notices are pulled
    report = world.run(notice("x-c1"), notice("x-i1", "INVOICE"))
    # Then nothing is taken, both are kept until the window resets, and the tenant waits until then
    until = NOW + timedelta(seconds=40)
    assert {fetch.retry_at for fetch in world.pending.listing(TENANT)} == {until}
    assert len(world.pending.listing(TENANT)) == 2
    assert (report.deferred_until, report.stopped) == (until, f"waiting for Xero's {LimitName.MINUTE} limit")
    # And once it has, the next nudge takes both
    world.clock.advance(timedelta(seconds=40))
    world.run()
    assert world.changes() == [("created", "contact", "xero-x-c1"), ("created", "invoice", "xero-x-i1")]
    assert world.pending.listing(TENANT) == []


def test_xero_failing_again_and_again_loses_nothing() -> None:
    # Given Xero answers 503 to three reads in a row
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    world.xero.failures.extend(XeroUnavailableError("503 maintenance") for _ in range(3))
    # When the notice is pulled / Then it is kept for a minute
    report = world.run(notice("x-c1"))
    assert (len(world.pending.listing(TENANT)), report.stopped) == (1, "Xero unavailable: 503 maintenance")
    # And a minute later it is taken
    world.clock.advance(timedelta(minutes=1))
    world.run()
    assert world.changes() == [("created", "contact", "xero-x-c1")]


def test_one_503_is_read_again_at_once() -> None:
    # Given Xero answers one 503 / When a notice is pulled / Then the read is made again and succeeds
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    world.xero.failures.append(XeroUnavailableError("503"))
    assert world.run(notice("x-c1")).calls == 2
    assert world.changes() == [("created", "contact", "xero-x-c1")]


def test_a_running_push_makes_the_notices_wait_unread() -> None:
    # Given the push holds the tenant's lease
    world = PullWorld()
    world.records.schedule.acquire(TENANT, "push", NOW, timedelta(minutes=5))
    # When a notice is pulled / Then Xero is not read, and the notice is kept for the pull after the push
    report = world.run(notice("x-c1"))
    assert (world.xero.calls, report.stopped) == ([], "the tenant's push is running")
    assert [fetch.retry_at for fetch in world.pending.listing(TENANT)] == [NOW]
    assert world.records.schedule.deferred_until(TENANT) == (NOW, "changes from Xero to fetch again")


def test_an_open_call_of_the_push_makes_the_notices_wait_for_it() -> None:
    # Given a push died between Xero's write and the ledger's (its call is still open)
    world = PullWorld()
    world.records.store.begin_batch(
        InFlightBatch(
            tenant_id=TENANT,
            key="xs-open",
            entity=Entity.CONTACT,
            step="contact.save",
            method="POST",
            path="/Contacts",
            payload={"Contacts": [{}]},
            members=[BatchMember(platform_id="c-1", version=1)],
            created_at=NOW,
        )
    )
    # When a notice is pulled / Then nothing is read: the contact Xero created would look new
    report = world.run(notice("x-c1"))
    assert (world.xero.calls, report.stopped, len(world.pending.listing(TENANT))) == (
        [],
        "a call of the push is still open",
        1,
    )


def test_a_category_this_version_does_not_read_is_counted_and_let_go() -> None:
    # Given a PREPAYMENT notice / When pulled / Then it is counted, not read, not kept
    world = PullWorld()
    report = world.run(notice("x-pp1", "PREPAYMENT"))
    assert (report.unknown, world.xero.calls, world.pending.listing(TENANT)) == ({"PREPAYMENT": 1}, [], [])


def test_a_notice_of_another_organisation_is_let_go() -> None:
    # Given a notice of an organisation the tenant no longer connects
    world = PullWorld()
    # When pulled / Then Xero is not read and nothing is kept
    world.run(notice("x-c1", org="org-other"))
    assert (world.xero.calls, world.pending.listing(TENANT)) == ([], [])
    assert ORG != "org-other"


def test_nothing_due_reads_nothing() -> None:
    # Given a notice kept for later / When a run comes before it is due / Then Xero is not called
    world = PullWorld()
    world.run(notice("x-c1"))  # answered without it: kept for a minute
    calls = len(world.xero.calls)
    world.run()
    assert len(world.xero.calls) == calls


def test_a_credit_note_new_in_xero_is_read_by_a_where_and_names_its_invoice() -> None:
    # Given a credit note a Xero user allocated to an invoice the platform has from Xero
    world = PullWorld()
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    world.xero.put("Invoices", xero_invoice("x-i1", "x-c1", "100.00", NOW))
    world.run(notice("x-i1", "INVOICE"))
    credit = xero_invoice("x-cn1", "x-c1", "20.00", LATER, Type="ACCRECCREDIT", CreditNoteID="x-cn1")
    del credit["InvoiceID"]
    credit["Allocations"] = [{"Invoice": {"InvoiceID": "x-i1"}, "Amount": 22.0, "Date": credit["Date"]}]
    world.xero.put("CreditNotes", credit)
    # When its notice is pulled
    world.run(notice("x-cn1", "CREDITNOTE", at=LATER))
    # Then it was asked for by CreditNoteID (GET /CreditNotes takes no IDs=) and allocates the platform's invoice
    assert 'CreditNoteID==Guid("x-cn1")' in world.xero.calls[-1].params["where"]
    credit_note = world.record(Entity.CREDIT_NOTE, "xero-x-cn1")
    assert [a["invoice_id"] for a in credit_note.body["allocations"]] == ["xero-x-i1"]


def test_a_read_xero_refuses_lets_its_records_go_without_failing_the_run() -> None:
    # Given an invoice paid in Xero, and a token without the payments scope (granular scopes)
    world = PullWorld()
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    paid = xero_invoice("x-i1", "x-c1", "100.00", NOW, status="PAID", Payments=[{"PaymentID": "x-p1"}])
    world.xero.put("Invoices", paid)
    world.xero.failures.extend([None, XeroApiError(401, "AuthorizationUnsuccessful", insufficient_scope=True)])
    # When its notice is pulled
    report = world.run(notice("x-i1", "INVOICE"))
    # Then the invoice is taken, its payment is not, and nothing is kept to fail again
    assert world.changes() == [("created", "invoice", "xero-x-i1")]
    assert (report.stopped, world.pending.listing(TENANT)) == (None, [])
