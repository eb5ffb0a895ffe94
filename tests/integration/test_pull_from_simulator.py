"""The sync from Xero against the simulator: a Xero user's edits reach the platform's records, its change
feed and its bus through Xero's real webhooks, the webhook function, the work queue and the sync worker;
the push's own writes coming back are no change; conflicts keep both versions; nothing is lost when
Xero cannot be read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from shared.domain.inbound.settings import InboundEntitySettings, InboundSettings, Side, SyncedKind
from shared.domain.ledger import SyncState
from shared.domain.records import Entity
from tests.integration.conftest import Stage
from tests.integration.pull_world import PullWorld, pull_world
from tests.integration.push_world import SETTINGS, TODAY, a_contact, a_payment, an_invoice
from xero_simulator.faults import Fault, FaultKind
from xero_simulator.server import Simulator


@pytest.fixture
def world(simulator: Simulator, stage: Stage) -> Iterator[PullWorld]:
    with pull_world(simulator, stage) as made:
        yield made


def a_xero_invoice(contact_id: str, amount: float = 100.0) -> dict[str, Any]:
    """A sales invoice as a Xero user enters it: on the sales account, with GST."""
    line = {"Description": "Call-out", "Quantity": 1, "UnitAmount": amount, "AccountCode": "200", "TaxType": "OUTPUT"}
    return {
        "Type": "ACCREC",
        "Contact": {"ContactID": contact_id},
        "Date": TODAY.isoformat(),
        "DueDate": (TODAY + timedelta(days=14)).isoformat(),
        "Status": "AUTHORISED",
        "LineItems": [line],
    }


def new_contact(world: PullWorld, name: str) -> str:
    return str(world.act("PUT", "/Contacts", {"Contacts": [{"Name": name}]})["Contacts"][0]["ContactID"])


def new_invoice(world: PullWorld, contact_id: str, amount: float = 100.0) -> str:
    return str(
        world.act("PUT", "/Invoices", {"Invoices": [a_xero_invoice(contact_id, amount)]})["Invoices"][0]["InvoiceID"]
    )


def test_a_new_customer_and_invoice_in_xero_reach_the_records_the_feed_and_the_bus(world: PullWorld) -> None:
    # Given a Xero user creates a customer and invoices them
    contact_id = new_contact(world, "Harbour Cafe")
    invoice_id = new_invoice(world, contact_id)
    # When Xero's webhooks are delivered and the worker runs
    world.deliver()
    # Then both are on the platform, synced, the invoice naming its customer and GST
    contact = world.push.record(Entity.CONTACT, f"xero-{contact_id}")
    invoice = world.push.record(Entity.INVOICE, f"xero-{invoice_id}")
    assert (contact.state, contact.body["name"], invoice.state) == (SyncState.SYNCED, "Harbour Cafe", SyncState.SYNCED)
    assert (invoice.body["contact_id"], invoice.body["lines"][0]["tax_code"], invoice.xero_status) == (
        f"xero-{contact_id}",
        "GST",
        "AUTHORISED",
    )
    # And the feed and the bus tell each once
    assert world.kinds() == [
        ("created", "contact", f"xero-{contact_id}"),
        ("created", "invoice", f"xero-{invoice_id}"),
    ]
    assert [(e["detail-type"], e["detail"]["data"]["platform_id"]) for e in world.events()] == [
        ("record.created", f"xero-{contact_id}"),
        ("record.created", f"xero-{invoice_id}"),
    ]


def test_a_payment_in_xero_becomes_a_receipt_and_the_invoice_is_paid_on_the_platform(world: PullWorld) -> None:
    # Given an invoice of 110.00 the platform has from Xero
    contact_id = new_contact(world, "Harbour Cafe")
    invoice_id = new_invoice(world, contact_id)
    world.deliver()
    # When a Xero user records its payment in full into the bank account the tenant mapped
    payment = {
        "Invoice": {"InvoiceID": invoice_id},
        "Account": {"Code": "090"},
        "Date": TODAY.isoformat(),
        "Amount": 110,
    }
    payment_id = world.act("PUT", "/Payments", {"Payments": [payment]})["Payments"][0]["PaymentID"]
    world.deliver()
    # Then the invoice is paid on the platform and the payment is a receipt against it
    invoice = world.push.record(Entity.INVOICE, f"xero-{invoice_id}")
    receipt = world.push.record(Entity.PAYMENT, f"xero-{payment_id}")
    assert (invoice.xero_status, invoice.has_applied) == ("PAID", True)
    assert (receipt.body["invoice_id"], Decimal(receipt.body["amount"]), receipt.body["bank_account"]) == (
        f"xero-{invoice_id}",
        Decimal(110),
        "main",
    )
    assert world.kinds()[-2:] == [
        ("updated", "invoice", f"xero-{invoice_id}"),
        ("created", "payment", f"xero-{payment_id}"),
    ]
    assert world.changes()[-2].xero_status == "PAID"


def test_a_void_and_a_rename_in_xero_reach_the_platform(world: PullWorld) -> None:
    # Given a customer and an invoice the platform wrote and the push sent
    world.push.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.push.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    world.push.push()
    world.deliver()  # the push's own writes coming back
    contact_id, invoice_id = (
        world.push.record(Entity.CONTACT, "c1").xero_id,
        world.push.record(Entity.INVOICE, "i1").xero_id,
    )
    # When a Xero user renames the customer and voids the invoice
    world.act("POST", f"/Contacts/{contact_id}", {"Contacts": [{"Name": "Bayside Sports Club"}]})
    world.act("POST", f"/Invoices/{invoice_id}", {"Invoices": [{"Status": "VOIDED"}]})
    world.deliver()
    # Then the platform's customer is renamed and its invoice deleted, both synced (nothing goes back)
    contact, invoice = world.push.record(Entity.CONTACT, "c1"), world.push.record(Entity.INVOICE, "i1")
    assert (contact.body["name"], contact.version, contact.state) == ("Bayside Sports Club", 2, SyncState.SYNCED)
    assert (invoice.deleted, invoice.xero_status, invoice.state) == (True, "VOIDED", SyncState.SYNCED)
    assert world.kinds() == [("updated", "contact", "c1"), ("deleted", "invoice", "i1")]
    assert [e["detail-type"] for e in world.events()] == ["record.updated", "record.deleted"]
    assert world.push.push().calls == 0  # nothing waits to be sent back


def test_the_push_s_own_writes_coming_back_are_no_change(world: PullWorld) -> None:
    # Given the platform's customer, invoice (numbered by the platform) and payment, sent by the push
    world.push.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.push.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00", number="P-1001"))
    world.push.write(Entity.PAYMENT, "p1", a_payment("i1", "110.00"))
    world.push.push()
    versions = {
        entity: world.push.record(entity, pid).version
        for entity, pid in [(Entity.CONTACT, "c1"), (Entity.INVOICE, "i1")]
    }
    # When Xero's webhooks for those writes come back and the worker runs
    reads = gets(world)
    delivered = world.deliver()
    # Then they were delivered, yet nothing changed: no feed entry, no event, the same versions
    assert delivered
    # (the contact's echo is known by its date alone; the invoice, which the payment changed, is read once)
    assert (gets(world, "Contacts") - reads["Contacts"], gets(world, "Invoices") - reads["Invoices"]) == (0, 1)
    assert (world.kinds(), world.events()) == ([], [])
    assert {
        entity: world.push.record(entity, pid).version
        for entity, pid in [(Entity.CONTACT, "c1"), (Entity.INVOICE, "i1")]
    } == versions
    # And the ledger knows the invoice is paid in Xero, by the platform's own payment
    assert world.push.record(Entity.INVOICE, "i1").xero_status == "PAID"
    assert (
        world.push.records.store.get(
            world.tenant_id, Entity.PAYMENT, f"xero-{world.push.record(Entity.PAYMENT, 'p1').xero_id}"
        )
        is None
    )


def gets(world: PullWorld, collection: str | None = None) -> Any:
    """Xero's count of GET calls by collection (all of them when `collection` is None)."""
    counts = {
        entry["endpoint"].removeprefix("GET /"): entry["count"]
        for entry in world.push.sim.counters.snapshot()["calls"]
        if entry["endpoint"].startswith("GET /")
    }
    if collection is None:
        return {"Contacts": counts.get("Contacts", 0), "Invoices": counts.get("Invoices", 0)}
    return counts.get(collection, 0)


def test_duplicated_and_reordered_webhooks_give_one_change_each(world: PullWorld) -> None:
    # Given deliveries that Xero duplicates and reorders, one event per delivery
    world.control.put("/webhooks/settings", json={"max_batch_size": 1}).raise_for_status()
    world.control.post("/webhooks/faults", json={"kind": "duplicate"}).raise_for_status()
    world.control.post("/webhooks/faults", json={"kind": "reorder"}).raise_for_status()
    # When a Xero user creates three customers and renames one before delivery
    ids = [new_contact(world, name) for name in ("Alpha", "Bravo", "Charlie")]
    world.act("POST", f"/Contacts/{ids[1]}", {"Contacts": [{"Name": "Bravo Two"}]})
    records = world.deliver()
    # And SQS delivers the worker's batch again (at least once)
    world.run_worker(records)
    # Then each customer is one change, with its latest name
    assert sorted(world.kinds()) == sorted(("created", "contact", f"xero-{xero_id}") for xero_id in ids)
    assert world.push.record(Entity.CONTACT, f"xero-{ids[1]}").body["name"] == "Bravo Two"
    assert len(world.events()) == 3


def test_a_number_xero_gave_the_platform_s_invoice_reaches_it_with_the_next_change_in_xero(world: PullWorld) -> None:
    # Given an invoice the platform sent without a number (Xero numbers it)
    world.push.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.push.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    world.push.push()
    world.deliver()
    assert world.kinds() == []  # the echo of the push's write
    # When a Xero user changes it (its reference)
    invoice_id = world.push.record(Entity.INVOICE, "i1").xero_id
    world.act("POST", f"/Invoices/{invoice_id}", {"Invoices": [{"Reference": "JOB-7"}]})
    world.deliver()
    # Then the platform hears the change, with the number Xero gave it
    invoice = world.push.record(Entity.INVOICE, "i1")
    assert (invoice.body["number"], invoice.body["job_number"]) == ("INV-0001", "JOB-7")
    assert world.kinds() == [("updated", "invoice", "i1")]


def test_a_record_edited_on_both_sides_is_a_conflict_recorded_with_both_versions(world: PullWorld) -> None:
    # Given a synced customer renamed on the platform (not sent yet) and, meanwhile, in Xero
    world.push.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.push.push()
    world.deliver()
    contact_id = world.push.record(Entity.CONTACT, "c1").xero_id
    world.push.write(Entity.CONTACT, "c1", a_contact("Bayside Club (platform)"))
    world.act("POST", f"/Contacts/{contact_id}", {"Contacts": [{"Name": "Bayside Club (Xero)"}]})
    # When Xero's webhook is delivered
    world.deliver()
    # Then it is a conflict the platform wins (the default), with both versions in the feed and the event
    [conflict] = world.changes()
    assert conflict.conflict is not None
    assert (conflict.conflict.platform_body["name"], conflict.conflict.xero_body["name"], conflict.conflict.winner) == (
        "Bayside Club (platform)",
        "Bayside Club (Xero)",
        Side.PLATFORM,
    )
    [event] = world.events()
    assert (event["detail-type"], event["detail"]["data"]["winner"], event["detail"]["data"]["xero_body"]["name"]) == (
        "record.conflict",
        "platform",
        "Bayside Club (Xero)",
    )
    # And the platform's version goes to Xero, whose webhook for it is no new change
    world.push.push()
    world.deliver()
    assert [c["Name"] for c in world.push.xero("Contacts") if c["ContactID"] == contact_id] == [
        "Bayside Club (platform)"
    ]
    assert len(world.changes()) == 1


def test_a_conflict_xero_wins_by_the_tenant_s_rule_takes_xero_s_version(simulator: Simulator, stage: Stage) -> None:
    # Given a tenant whose contacts' conflicts Xero wins, and a customer edited on both sides
    inbound = InboundSettings(kinds={SyncedKind.CONTACT: InboundEntitySettings(conflict_winner=Side.XERO)})
    with pull_world(simulator, stage, SETTINGS.model_copy(update={"inbound": inbound})) as world:
        world.push.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
        world.push.push()
        world.deliver()
        contact_id = world.push.record(Entity.CONTACT, "c1").xero_id
        world.push.write(Entity.CONTACT, "c1", a_contact("Bayside Club (platform)"))
        world.act("POST", f"/Contacts/{contact_id}", {"Contacts": [{"Name": "Bayside Club (Xero)"}]})
        # When Xero's webhook is delivered
        world.deliver()
        # Then the platform's record takes Xero's name, synced, and nothing goes back
        contact = world.push.record(Entity.CONTACT, "c1")
        assert (contact.body["name"], contact.state) == ("Bayside Club (Xero)", SyncState.SYNCED)
        assert world.kinds() == [("conflict", "contact", "c1")]
        assert world.push.push().calls == 0


def test_xero_unavailable_during_the_fetch_loses_nothing(world: PullWorld) -> None:
    # Given Xero answers every read with its maintenance page
    contact_id = new_contact(world, "Harbour Cafe")
    world.push.sim.faults.add(Fault(FaultKind.MAINTENANCE_503, method="GET", path_contains="/Contacts"))
    # When the webhook is delivered
    world.deliver()
    # Then nothing is taken, and the notice is kept with the tenant deferred
    assert world.kinds() == []
    [kept] = world.pull.pending.listing(world.tenant_id)
    assert kept.notice.resource_id == contact_id
    assert world.push.records.schedule.deferred_until(world.tenant_id) is not None
    # And once Xero is back and the wait is over, the scheduled nudge takes it
    world.push.sim.faults.clear()
    world.push.sim.world.clock.advance(61)
    world.pull.run(world.tenant_id, [])
    assert world.kinds() == [("created", "contact", f"xero-{contact_id}")]
    assert world.pull.pending.listing(world.tenant_id) == []


def test_a_rate_limit_during_the_fetch_loses_nothing(world: PullWorld) -> None:
    # Given the organisation's budget is parked for a minute (a 429 met by another function)
    contact_id = new_contact(world, "Harbour Cafe")
    until = world.push.sim.world.clock.now() + timedelta(minutes=1)
    world.push.budget.park(world.push.tenant.xero_tenant_id, until)
    # When the webhook is delivered
    world.deliver()
    # Then no call is made; the notice waits until the budget allows, and the tenant with it
    assert world.kinds() == []
    assert [fetch.retry_at for fetch in world.pull.pending.listing(world.tenant_id)] == [until]
    # And when the minute has passed, the next nudge (a sync request) takes it
    world.push.sim.world.clock.advance(61)
    world.pull.run(world.tenant_id, [])
    assert world.kinds() == [("created", "contact", f"xero-{contact_id}")]
