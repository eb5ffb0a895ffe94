"""Reconciliation against the simulator (issue 5, §2): what no webhook announced (a payment, for which
Xero sends none) and a change whose webhooks were dropped are caught by reading the kind again,
through the stage's table, rate budget and bus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.adapters.dynamodb_reconciliation import DynamoDbReconcileStates
from shared.adapters.dynamodb_told import DynamoDbToldElements
from shared.domain.inbound.settings import SyncedKind
from shared.domain.records import Entity
from shared.usecases.pull.reconcile import SyncReconcile
from tests.integration.conftest import Stage
from tests.integration.pull_world import PullWorld, pull_world
from tests.integration.push_world import TODAY
from tests.integration.test_pull_from_simulator import new_contact, new_invoice
from xero_simulator.server import Simulator


@pytest.fixture
def world(simulator: Simulator, stage: Stage) -> Iterator[PullWorld]:
    with pull_world(simulator, stage) as made:
        yield made


def reconciler(world: PullWorld) -> SyncReconcile:
    table = world.push.stage.names.state_table
    return SyncReconcile(world.pull, DynamoDbReconcileStates(table), DynamoDbToldElements(table))


def drop_every_delivery(world: PullWorld) -> None:
    world.control.post("/webhooks/faults", json={"kind": "drop"}).raise_for_status()


def test_a_payment_recorded_in_xero_without_webhooks_is_caught_by_reconciliation(world: PullWorld) -> None:
    # Given an invoice the platform has from Xero
    contact_id = new_contact(world, "Harbour Cafe")
    invoice_id = new_invoice(world, contact_id)
    world.deliver()
    # When a Xero user records its payment, every webhook is lost, and payments and invoices are reconciled
    drop_every_delivery(world)
    payment = {
        "Invoice": {"InvoiceID": invoice_id},
        "Account": {"Code": "090"},
        "Date": TODAY.isoformat(),
        "Amount": 110,
    }
    payment_id = world.act("PUT", "/Payments", {"Payments": [payment]})["Payments"][0]["PaymentID"]
    world.deliver()
    assert world.push.records.store.find_by_xero_id(world.tenant_id, Entity.PAYMENT, payment_id.lower()) is None
    report = reconciler(world).run(world.tenant_id, [SyncedKind.INVOICE, SyncedKind.PAYMENT])
    # Then the payment is a receipt on the platform and the invoice is paid
    receipt = world.push.record(Entity.PAYMENT, f"xero-{payment_id}")
    assert receipt.body["invoice_id"] == f"xero-{invoice_id}"
    assert world.push.record(Entity.INVOICE, f"xero-{invoice_id}").xero_status == "PAID"
    assert report.outcomes == {"invoice": "read", "payment": "read"}
    assert ("created", "payment", f"xero-{payment_id}") in world.kinds()


def test_a_rename_whose_webhooks_were_dropped_is_caught_by_the_next_reconciliation(world: PullWorld) -> None:
    # Given a customer the platform has, and contacts reconciled once
    contact_id = new_contact(world, "Bayside Club")
    world.deliver()
    reconcile = reconciler(world)
    reconcile.run(world.tenant_id, [SyncedKind.CONTACT])
    changes = len(world.kinds())
    # When a Xero user renames it and the webhook is lost
    drop_every_delivery(world)
    world.act("POST", f"/Contacts/{contact_id}", {"Contacts": [{"Name": "Bayside Sports Club"}]})
    world.deliver()
    assert world.push.record(Entity.CONTACT, f"xero-{contact_id}").body["name"] == "Bayside Club"
    # And contacts are reconciled again (triggered: their hour has not passed)
    reconcile.run(world.tenant_id, [SyncedKind.CONTACT], forced=True)
    # Then the rename reached the platform, once, as an update
    assert world.push.record(Entity.CONTACT, f"xero-{contact_id}").body["name"] == "Bayside Sports Club"
    assert world.kinds()[changes:] == [("updated", "contact", f"xero-{contact_id}")]


def test_an_item_a_xero_user_deletes_is_deleted_on_the_platform_by_the_next_reconciliation(
    world: PullWorld,
) -> None:
    # Given an item a Xero user made, which items' reconciliation brought to the platform
    made = world.act("PUT", "/Items", {"Items": [{"Code": "GUTTER", "Name": "Gutter clean"}]})["Items"][0]
    reconcile = reconciler(world)
    reconcile.run(world.tenant_id, [SyncedKind.ITEM])
    platform_id = f"xero-{made['ItemID']}"
    assert not world.push.record(Entity.ITEM, platform_id).deleted
    # When the Xero user deletes it (Xero sends no webhook for items) and items are reconciled again
    world.act("DELETE", f"/Items/{made['ItemID']}", None)
    reconcile.run(world.tenant_id, [SyncedKind.ITEM], forced=True)
    # Then the platform's item is deleted, with its last body, and the platform is told so
    gone = world.push.record(Entity.ITEM, platform_id)
    assert (gone.deleted, gone.body["code"]) == (True, "GUTTER")
    assert ("deleted", "item", platform_id) in world.kinds()
