"""The push against the simulator: records reach Xero as Xero's rules want them, once each."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any, cast

import pytest

from shared.domain.inbound.settings import Direction, InboundEntitySettings, InboundSettings, SyncedKind
from shared.domain.ledger import BatchMember, InFlightBatch, Outcome, StoredRecord, SyncState
from shared.domain.records import Entity
from shared.ports.records import RecordStore
from tests.integration.conftest import Stage
from tests.integration.push_world import SETTINGS, PushWorld, a_contact, a_payment, an_invoice, push_world
from xero_simulator.faults import Fault, FaultKind
from xero_simulator.server import Simulator


@pytest.fixture
def world(simulator: Simulator, stage: Stage) -> PushWorld:
    return push_world(simulator, stage)


def active(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r.get("Status") not in {"DELETED", "VOIDED"} and r.get("ContactStatus") != "ARCHIVED"]


def test_contacts_and_invoices_reach_xero_and_the_ledger_holds_their_xero_ids(world: PushWorld) -> None:
    # Given two customers and an invoice for each
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.CONTACT, "c2", a_contact("Harbour Cafe"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00", "50.00"))
    world.write(Entity.INVOICE, "i2", an_invoice("c2", "20.00"))
    # When the push runs
    world.push()
    # Then Xero holds each once, with the platform's amounts, and the ledger names them
    invoices = {i["InvoiceID"]: i for i in world.xero("Invoices")}
    first, second = world.record(Entity.INVOICE, "i1"), world.record(Entity.INVOICE, "i2")
    assert (first.state, second.state) == (SyncState.SYNCED, SyncState.SYNCED)
    assert (float(invoices[str(first.xero_id)]["Total"]), float(invoices[str(second.xero_id)]["Total"])) == (
        165.0,
        22.0,
    )
    assert sorted(c["Name"] for c in active(world.xero("Contacts"))) == ["Bayside Club", "Harbour Cafe"]


def test_a_contact_already_in_xero_is_matched_not_created_again(world: PushWorld) -> None:
    # Given Xero already has the customer (an earlier push, or the accountant)
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club", email="accounts@bayside.example"))
    world.push()
    xero_id = world.record(Entity.CONTACT, "c1").xero_id
    # When the platform writes the same customer under a new id (a reconnection lost the map)
    world.write(Entity.CONTACT, "c9", a_contact("Bayside Club", email="accounts@bayside.example"))
    world.push()
    # Then the new record maps onto the same Xero contact and Xero has one
    assert world.record(Entity.CONTACT, "c9").xero_id == xero_id
    assert [c["Name"] for c in active(world.xero("Contacts"))].count("Bayside Club") == 1


def test_a_payment_with_a_discount_and_a_fee_becomes_a_payment_a_credit_note_and_a_paid_fee_bill(
    world: PushWorld,
) -> None:
    # Given an invoice of 110.00 paid 100.00 with a 10.00 early-payment discount, the platform keeping a 3.00 fee
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    world.write(Entity.PAYMENT, "p1", a_payment("i1", "100.00", discount="10.00", fee="3.00"))
    # When the push runs
    world.push()
    # Then the invoice is paid in full in Xero, and the fee is a bill to the fee supplier, itself paid
    payment = world.record(Entity.PAYMENT, "p1")
    assert payment.state is SyncState.SYNCED, payment.message
    invoice = next(i for i in world.xero("Invoices") if i["InvoiceID"] == world.record(Entity.INVOICE, "i1").xero_id)
    fee_bill = next(i for i in world.xero("Invoices") if i["InvoiceID"] == payment.linked["fee_bill"])
    assert (invoice["Status"], float(invoice["AmountDue"])) == ("PAID", 0.0)
    assert (fee_bill["Type"], fee_bill["Status"], float(fee_bill["Total"])) == ("ACCPAY", "PAID", 3.0)


def test_a_payment_not_applied_to_an_invoice_is_skipped_with_its_reason(world: PushWorld) -> None:
    # Given a payment the platform has not applied to any invoice
    world.write(Entity.PAYMENT, "p1", {"date": "2026-11-02", "amount": "10.00", "bank_account": "main"})
    # When the push runs
    world.push()
    # Then it is not sent, and the ledger says why
    payment = world.record(Entity.PAYMENT, "p1")
    assert payment.state is SyncState.SKIPPED
    assert "invoice" in str(payment.message)
    assert world.xero("Payments") == []


def test_a_credit_note_is_allocated_to_its_invoice(world: PushWorld) -> None:
    # Given an invoice of 110.00 and a credit note of 22.00 allocated to it
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    credit = {**an_invoice("c1", "20.00"), "allocations": [{"invoice_id": "i1", "amount": "22.00"}]}
    del credit["due_date"]
    world.write(Entity.CREDIT_NOTE, "cn1", credit)
    # When the push runs
    world.push()
    # Then the invoice owes 88.00 in Xero
    assert world.record(Entity.CREDIT_NOTE, "cn1").state is SyncState.SYNCED
    invoice = next(i for i in world.xero("Invoices") if i["InvoiceID"] == world.record(Entity.INVOICE, "i1").xero_id)
    assert float(invoice["AmountDue"]) == 88.0


def test_a_zero_value_bill_goes_to_xero_paid(world: PushWorld) -> None:
    # Given a supplier's bill of 0.00
    world.write(Entity.CONTACT, "s1", a_contact("Parts Supplier", is_customer=False, is_supplier=True))
    world.write(
        Entity.BILL, "b1", {**an_invoice("s1", "0.00"), "lines": [{"description": "Warranty part", "unit_amount": "0"}]}
    )
    # When the push runs
    world.push()
    # Then Xero holds it PAID
    bill = world.record(Entity.BILL, "b1")
    assert (bill.state, bill.xero_status) == (SyncState.SYNCED, "PAID")


def test_a_deleted_authorised_invoice_is_voided_and_a_deleted_draft_is_deleted(
    simulator: Simulator, stage: Stage
) -> None:
    # Given an authorised invoice and, for a tenant that creates drafts, a draft one
    world = push_world(simulator, stage)
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    world.write(Entity.INVOICE, "i2", an_invoice("c1", "30.00", status="draft"))
    world.push()
    # When both are deleted on the platform
    world.delete(Entity.INVOICE, "i1")
    world.delete(Entity.INVOICE, "i2")
    world.push()
    # Then Xero voided the authorised one; the other reached Xero as the tenant's status and is gone too
    statuses = {i["InvoiceID"]: i["Status"] for i in world.xero("Invoices")}
    assert statuses[str(world.record(Entity.INVOICE, "i1").xero_id)] == "VOIDED"
    assert world.record(Entity.INVOICE, "i1").state is SyncState.SYNCED


def test_a_document_before_the_lock_date_is_parked_with_the_date(world: PushWorld) -> None:
    # Given the organisation locked up to the end of October
    with world.sim.world.lock:
        world.org.period_lock_date = date(2026, 10, 31)
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00", date="2026-10-15", due_date="2026-10-30"))
    # When the push runs (it reads the reference data, lock dates included, from Xero first)
    world.push()
    # Then the invoice waits, saying why, and Xero has no invoice
    invoice = world.record(Entity.INVOICE, "i1")
    assert invoice.state is SyncState.PARKED
    assert "2026-10-31" in str(invoice.message)
    assert world.xero("Invoices") == []


class CrashAfterXero:
    """The record store, except that the first settle of an invoice Xero created fails: the worker
    died between Xero's write and ours."""

    def __init__(self, inner: RecordStore) -> None:
        self._inner = inner
        self.crashed = False

    def settle(self, *args: Any, **kwargs: Any) -> StoredRecord | None:
        entity, outcome = args[1], args[4]
        self._maybe_crash(entity, [outcome])
        return self._inner.settle(*args, **kwargs)

    def settle_many(self, *args: Any, **kwargs: Any) -> dict[str, StoredRecord]:
        # A call's answer is settled in one go (Calls.resume): the crash comes before any of it lands.
        entity, outcomes = args[1], args[2]
        self._maybe_crash(entity, [outcome for _, _, outcome in outcomes])
        settled: dict[str, StoredRecord] = self._inner.settle_many(*args, **kwargs)
        return settled

    def _maybe_crash(self, entity: Entity, outcomes: list[Outcome]) -> None:
        if not self.crashed and entity is Entity.INVOICE and any(outcome.xero_id for outcome in outcomes):
            self.crashed = True
            raise RuntimeError("the worker died")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_a_worker_dying_between_xeros_write_and_the_ledger_write_creates_nothing_twice(world: PushWorld) -> None:
    # Given invoices whose first push dies right after Xero created them
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    for n in range(3):
        world.write(Entity.INVOICE, f"i{n}", an_invoice("c1", "10.00"))
    crashing = cast(RecordStore, CrashAfterXero(world.records.store))
    with pytest.raises(RuntimeError):
        world.push(store=crashing)
    # When the platform writes one more invoice (the next call would hold four) and the next push runs
    world.write(Entity.INVOICE, "i3", an_invoice("c1", "10.00"))
    world.push()
    # Then every record is synced and Xero holds one contact and four invoices
    assert {world.record(Entity.INVOICE, f"i{n}").state for n in range(4)} == {SyncState.SYNCED}
    assert len(world.xero("Invoices")) == 4
    assert len(world.xero("Contacts")) == 1


def test_lost_answers_timeouts_and_server_errors_leave_no_duplicate_and_no_gap(world: PushWorld) -> None:
    # Given Xero loses the answer to half the writes after committing them, times out on some and
    # fails others with 500s and 503s
    world.sim.faults.add(Fault(FaultKind.LOSE_RESPONSE, ratio=0.5, method="POST"))
    world.sim.faults.add(Fault(FaultKind.TIMEOUT, ratio=0.2, method="PUT", seconds=0.1))
    world.sim.faults.add(Fault(FaultKind.ERROR_500, ratio=0.3, method="PUT"))
    world.sim.faults.add(Fault(FaultKind.MAINTENANCE_503, ratio=0.2, method="POST"))
    for n in range(5):
        world.write(Entity.CONTACT, f"c{n}", a_contact(f"Customer {n}"))
        world.write(Entity.INVOICE, f"i{n}", an_invoice(f"c{n}", "10.00"))
        world.write(Entity.PAYMENT, f"p{n}", a_payment(f"i{n}", "11.00"))
    # When the push runs until nothing is pending
    for _ in range(10):
        world.push()
    world.sim.faults.clear()
    world.push()
    # Then each record is in Xero exactly once, and each is the platform's
    assert {world.record(Entity.PAYMENT, f"p{n}").state for n in range(5)} == {SyncState.SYNCED}
    invoices = {i["InvoiceID"]: i for i in world.xero("Invoices")}
    assert sorted(invoices) == sorted(str(world.record(Entity.INVOICE, f"i{n}").xero_id) for n in range(5))
    assert sorted(c["Name"] for c in world.xero("Contacts")) == [f"Customer {n}" for n in range(5)]
    assert len([p for p in world.xero("Payments") if p["Status"] != "DELETED"]) == 5


def test_a_deleted_payment_is_deleted_in_xero_and_its_fee_bill_voided(world: PushWorld) -> None:
    # Given a synced receipt of 110.00 with a 3.00 fee
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    world.write(Entity.PAYMENT, "p1", a_payment("i1", "110.00", fee="3.00"))
    world.push()
    parts = world.record(Entity.PAYMENT, "p1").linked
    # When the platform deletes it and the push runs
    world.delete(Entity.PAYMENT, "p1")
    world.push()
    # Then both payments are deleted in Xero, the fee bill is void, and the invoice is owed again
    payments = {p["PaymentID"]: p["Status"] for p in world.xero("Payments")}
    invoices = {i["InvoiceID"]: i for i in world.xero("Invoices")}
    assert (payments[parts["payment"]], payments[parts["fee_payment"]]) == ("DELETED", "DELETED")
    assert invoices[parts["fee_bill"]]["Status"] == "VOIDED"
    assert invoices[str(world.record(Entity.INVOICE, "i1").xero_id)]["Status"] == "AUTHORISED"
    assert world.record(Entity.PAYMENT, "p1").state is SyncState.SYNCED


def test_a_changed_payment_replaces_the_one_in_xero(world: PushWorld) -> None:
    # Given a synced receipt of 50.00
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    world.write(Entity.PAYMENT, "p1", a_payment("i1", "50.00"))
    world.push()
    # When the platform corrects it to 60.00 and the push runs
    world.write(Entity.PAYMENT, "p1", a_payment("i1", "60.00"))
    world.push()
    # Then Xero holds one live payment of 60.00 (payments cannot be edited: the old one is deleted)
    live = [float(p["Amount"]) for p in world.xero("Payments") if p["Status"] != "DELETED"]
    assert live == [60.0]
    assert world.record(Entity.PAYMENT, "p1").state is SyncState.SYNCED


def test_a_call_too_old_for_xero_to_replay_parks_its_records_for_a_person(world: PushWorld) -> None:
    # Given an invoice whose send was written down 10 minutes ago and never settled (a worker died)
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.push()
    invoice = world.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    world.records.store.begin_batch(
        InFlightBatch(
            tenant_id=world.tenant_id,
            key="xs-old",
            entity=Entity.INVOICE,
            step="invoice.save",
            method="POST",
            path="/Invoices",
            payload={"Invoices": [{}]},
            members=[BatchMember(platform_id="i1", version=invoice.version)],
            created_at=world.sim.world.clock.now() - timedelta(minutes=10),
        )
    )
    # When the push runs
    world.push()
    # Then it is not sent again blindly: the record waits, saying why, and Xero has no invoice from it
    parked = world.record(Entity.INVOICE, "i1")
    assert parked.state is SyncState.PARKED
    assert "check Xero" in str(parked.message)
    assert world.xero("Invoices") == []


def test_a_push_the_rate_budget_stops_defers_the_tenant_and_sends_nothing(world: PushWorld) -> None:
    # Given a tenant whose Xero organisation is parked for a minute (a 429 met by another function)
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    until = world.sim.world.clock.now() + timedelta(minutes=1)
    world.budget.park(world.tenant.xero_tenant_id, until)
    # When the push runs
    report = world.push()
    # Then it made no call, the tenant waits in the schedule until then, and the record is still pending
    assert (report.calls, report.deferred_until) == (0, until)
    assert world.records.schedule.deferred_until(world.tenant_id) is not None
    assert world.record(Entity.CONTACT, "c1").state is SyncState.PENDING
    assert world.xero("Contacts") == []


def test_a_push_whose_reference_read_xero_keeps_failing_defers_the_tenant_and_loses_nothing(world: PushWorld) -> None:
    # Given a pending contact, and reference data the push must read first, which Xero answers 503 for now
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    assert world.records.settings.reference(world.tenant_id) is None
    world.sim.faults.add(Fault(FaultKind.MAINTENANCE_503, path_contains="/Organisation"))
    # When the push runs
    report = world.push()
    # Then it sends nothing and raises nothing: the tenant waits out the backoff, the contact is still pending
    assert report.stopped == "Xero unavailable"
    assert report.deferred_until is not None
    assert world.records.schedule.deferred_until(world.tenant_id) is not None
    assert world.record(Entity.CONTACT, "c1").state is SyncState.PENDING
    # And once Xero answers again, the next push sends it
    world.sim.faults.clear()
    world.push()
    assert world.record(Entity.CONTACT, "c1").state is SyncState.SYNCED


def test_a_push_while_another_holds_the_tenant_sends_nothing(world: PushWorld) -> None:
    # Given another push (the worker) holds the tenant's lease
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.records.schedule.acquire(world.tenant_id, "worker", world.sim.world.clock.now(), timedelta(minutes=5))
    # When a second push runs / Then it stops at once and Xero has nothing from it
    assert world.push().stopped == "another push for the tenant is running"
    assert world.xero("Contacts") == []


def test_an_export_sends_the_named_invoice_and_its_customer_ahead_of_a_backlog(world: PushWorld) -> None:
    # Given five customers and five invoices pending
    for n in range(5):
        world.write(Entity.CONTACT, f"c{n}", a_contact(f"Customer {n}"))
        world.write(Entity.INVOICE, f"i{n}", an_invoice(f"c{n}", "10.00"))
    # When the platform exports invoice i3 now
    [exported] = world.push_service.export(world.tenant_id, Entity.INVOICE, ["i3"])
    # Then i3 and its customer are in Xero, and the rest still wait for the worker
    assert exported.state is SyncState.SYNCED
    assert [c["Name"] for c in world.xero("Contacts")] == ["Customer 3"]
    assert world.record(Entity.INVOICE, "i0").state is SyncState.PENDING


def test_an_export_waits_for_the_push_that_holds_the_tenant(world: PushWorld) -> None:
    # Given the worker holds the tenant's lease, and lets it go a moment later
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "10.00"))
    now = world.sim.world.clock.now()
    world.records.schedule.acquire(world.tenant_id, "worker", now, timedelta(minutes=5))
    waits: list[float] = []

    def worker_finishes(seconds: float) -> None:
        waits.append(seconds)
        world.records.schedule.release(world.tenant_id, "worker")

    push = replace(world.push_service, sleep=worker_finishes)
    # When the platform exports the invoice
    [exported] = push.export(world.tenant_id, Entity.INVOICE, ["i1"])
    # Then the export waited once, then sent it
    assert (len(waits), exported.state) == (1, SyncState.SYNCED)


def test_an_item_reaches_xero_with_four_decimal_places_and_leaves_it_when_deleted(world: PushWorld) -> None:
    # Given an item sold at 12.3456
    world.write(Entity.ITEM, "it1", {"code": "LABOUR", "name": "Labour", "sale_price": "12.3456"})
    # When the push runs
    world.push()
    # Then Xero holds it at 4 decimal places
    [item] = world.xero("Items")
    assert (item["Code"], float(item["SalesDetails"]["UnitPrice"])) == ("LABOUR", 12.3456)
    # And when the platform deletes it and the push runs, Xero has it no more
    world.delete(Entity.ITEM, "it1")
    world.push()
    assert world.xero("Items") == []
    assert world.record(Entity.ITEM, "it1").state is SyncState.SYNCED


def test_a_kind_the_tenant_takes_from_xero_only_is_not_sent(simulator: Simulator, stage: Stage) -> None:
    # Given a tenant whose contacts come from Xero only
    inbound = InboundSettings(kinds={SyncedKind.CONTACT: InboundEntitySettings(direction=Direction.FROM_XERO)})
    world = push_world(simulator, stage, SETTINGS.model_copy(update={"inbound": inbound}))
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    # When the push runs
    world.push()
    # Then the contact is not sent, and the ledger says why
    contact = world.record(Entity.CONTACT, "c1")
    assert (contact.state, contact.message) == (
        SyncState.SKIPPED,
        "The tenant's settings do not send contacts to Xero.",
    )
    assert world.xero("Contacts") == []


def test_an_export_leaves_the_tenant_s_deferral_standing(world: PushWorld) -> None:
    # Given a tenant deferred (its sync waits for a minute) and an invoice to export now
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "10.00"))
    until = world.sim.world.clock.now() + timedelta(minutes=1)
    world.records.schedule.defer(world.tenant_id, until, "changes from Xero to fetch again")
    # When the invoice is exported
    world.push_service.export(world.tenant_id, Entity.INVOICE, ["i1"])
    # Then the deferral still stands: the export sent its records only
    assert world.records.schedule.deferred_until(world.tenant_id) == (until, "changes from Xero to fetch again")
