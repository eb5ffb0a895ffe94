"""Bank transactions against the simulator (issue 5, §4: "if the tenant chooses, ... bank transactions
since a date"): without `since` nothing is read; with it, reconciling bank transactions tells the
platform of a new one, of nothing the next time, of a change and of a deletion, in the change feed and
on the stage's bus, against what the told store in the stage's table says it was told."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from shared.adapters.dynamodb_reconciliation import DynamoDbReconcileStates
from shared.adapters.dynamodb_told import DynamoDbToldElements
from shared.domain.inbound.settings import DEFAULTS, NOT_CHOSEN, InboundSettings, SyncedKind
from shared.usecases.pull.fetching import XeroReads
from shared.usecases.pull.reconcile import SyncReconcile
from tests.integration.conftest import Stage
from tests.integration.pull_world import PullWorld, pull_world
from tests.integration.push_world import SETTINGS, TODAY
from tests.integration.test_pull_from_simulator import new_contact
from xero_simulator.server import Simulator

BANK = SyncedKind.BANK_TRANSACTION


@pytest.fixture
def world(simulator: Simulator, stage: Stage) -> Iterator[PullWorld]:
    with pull_world(simulator, stage) as made:
        yield made


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The collections reconciliation lists from Xero, in order."""
    collections: list[str] = []
    listing = XeroReads.listing

    def recorded(reads: XeroReads, collection: str, params: dict[str, str], since: Any) -> Any:
        collections.append(collection)
        return listing(reads, collection, params, since)

    monkeypatch.setattr(XeroReads, "listing", recorded)
    return collections


def reconciler(world: PullWorld) -> SyncReconcile:
    table = world.push.stage.names.state_table
    return SyncReconcile(world.pull, DynamoDbReconcileStates(table), DynamoDbToldElements(table))


def choose_bank_transactions(world: PullWorld, since: date) -> None:
    chosen = DEFAULTS[BANK].model_copy(update={"since": since})
    settings = SETTINGS.model_copy(update={"inbound": InboundSettings(kinds={BANK: chosen})})
    world.pull.settings.put(world.tenant_id, settings, world.pull.clock.now())


def spend(contact_id: str, amount: float, **fields: Any) -> dict[str, Any]:
    # Xero's schema wants Type, LineItems and BankAccount on every element, a deletion's too (FACTS.md §4.11).
    return {
        "Type": "SPEND",
        "Contact": {"ContactID": contact_id},
        "BankAccount": {"Code": "090"},
        "Date": TODAY.isoformat(),
        "Reference": "Coffee beans",
        "LineItems": [{"Description": "Beans", "Quantity": 1, "UnitAmount": amount, "AccountCode": "310"}],
        **fields,
    }


def told_of(world: PullWorld, transaction_id: str) -> list[tuple[str, int, str | None]]:
    return [
        (change.kind.value, change.version, change.xero_status)
        for change in world.changes()
        if change.platform_id == f"xero-{transaction_id}"
    ]


def bank_events(world: PullWorld) -> list[tuple[str, int]]:
    return [
        (event["detail-type"], event["detail"]["data"]["version"])
        for event in world.events()
        if event["detail"]["data"]["entity"] == BANK.value
    ]


def test_without_since_bank_transactions_are_not_read(world: PullWorld, listed: list[str]) -> None:
    # Given a spend in Xero and a tenant that never chose bank transactions
    contact_id = new_contact(world, "Harbour Cafe")
    world.act("PUT", "/BankTransactions", {"BankTransactions": [spend(contact_id, 25.0)]})
    # When bank transactions are reconciled
    report = reconciler(world).run(world.tenant_id, [BANK])
    # Then nothing was listed and nothing told
    assert listed == []
    assert report.outcomes == {BANK.value: f"put off: {NOT_CHOSEN}"}
    assert [change for change in world.changes() if change.entity is BANK] == []


def test_chosen_bank_transactions_are_told_created_then_nothing_then_updated_then_deleted(
    world: PullWorld, listed: list[str]
) -> None:
    # Given a tenant that chose bank transactions since 1 January, and a customer the platform has from Xero
    choose_bank_transactions(world, date(TODAY.year, 1, 1))
    contact_id = new_contact(world, "Harbour Cafe")
    world.deliver()
    reconcile = reconciler(world)
    # When a Xero user records a spend and bank transactions are reconciled
    made = world.act("PUT", "/BankTransactions", {"BankTransactions": [spend(contact_id, 25.0)]})
    transaction_id = made["BankTransactions"][0]["BankTransactionID"]
    report = reconcile.run(world.tenant_id, [BANK])
    # Then the platform is told of it, created, in the feed and on the bus, naming the customer's platform id
    assert (listed, report.outcomes, report.told_changes) == (["BankTransactions"], {BANK.value: "read"}, 1)
    [created] = [change for change in world.changes() if change.platform_id == f"xero-{transaction_id}"]
    assert created.body is not None
    assert (created.kind.value, created.version) == ("created", 1)
    body = created.body
    assert (body["type"], body["contact"], body["sub_total"], body["total"]) == (
        "SPEND",
        f"xero-{contact_id}",
        "25.00",
        "27.50",  # GST on the expense account's default tax rate
    )
    assert body["bank_account"]["code"] == "090"
    assert bank_events(world) == [("record.created", 1)]
    # When bank transactions are reconciled again with nothing changed
    again = reconcile.run(world.tenant_id, [BANK], forced=True)
    # Then nothing more is told
    assert again.told_changes == 0
    assert told_of(world, transaction_id) == [("created", 1, "AUTHORISED")]
    # When the Xero user changes its amount, then deletes it, each followed by a reconciliation
    path = f"/BankTransactions/{transaction_id}"
    world.act("POST", path, {"BankTransactions": [spend(contact_id, 30.0)]})
    reconcile.run(world.tenant_id, [BANK], forced=True)
    world.act("POST", path, {"BankTransactions": [spend(contact_id, 30.0, Status="DELETED")]})
    reconcile.run(world.tenant_id, [BANK], forced=True)
    # Then the platform is told updated, then deleted, each under the next version, in the feed and on the bus
    assert told_of(world, transaction_id) == [
        ("created", 1, "AUTHORISED"),
        ("updated", 2, "AUTHORISED"),
        ("deleted", 3, "DELETED"),
    ]
    assert bank_events(world) == [("record.created", 1), ("record.updated", 2), ("record.deleted", 3)]
