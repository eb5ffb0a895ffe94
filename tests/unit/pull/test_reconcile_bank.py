"""Bank transactions reconciled with fakes (issue 5, §4: "if the tenant chooses, ... bank transactions
since a date"): not read at all until the tenant sets `since`; then each page is told as changes
against what the platform was told (shared/usecases/pull/bank_told.py), its events out at the run's end."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shared.domain.inbound.settings import DEFAULTS, NOT_CHOSEN, SyncedKind
from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings
from tests.unit.mapping.mapping_world import settings
from tests.unit.pull.pull_world import NOW, TENANT, inbound, ms
from tests.unit.pull.test_pull import a_contact_body
from tests.unit.pull.test_reconcile import ReconcileWorld

BANK = SyncedKind.BANK_TRANSACTION
SINCE = date(2026, 1, 1)


def xero_spend(xero_id: str, contact_id: str, total: str, **fields: Any) -> dict[str, Any]:
    return {
        "BankTransactionID": xero_id,
        "Type": "SPEND",
        "Contact": {"ContactID": contact_id},
        "Date": ms(NOW),
        "Status": "AUTHORISED",
        "IsReconciled": False,
        "SubTotal": total,
        "TotalTax": "0.00",
        "Total": total,
        "BankAccount": {"AccountID": "acc-090", "Code": "090", "Name": "Bank"},
        "LineItems": [{"Description": "Beans", "Quantity": 1, "UnitAmount": total, "LineAmount": total}],
        "UpdatedDateUTC": ms(NOW - timedelta(hours=1)),
        **fields,
    }


def choosing(world: ReconcileWorld, since: date | None) -> None:
    chosen: TenantSyncSettings = settings()
    kinds = inbound(bank_transaction=DEFAULTS[BANK].model_copy(update={"since": since}))
    world.use_settings(chosen.model_copy(update={"inbound": kinds}))


def test_bank_transactions_not_chosen_are_put_off_unscheduled_without_a_call() -> None:
    # Given a tenant that never set since for bank transactions, and one in Xero
    world = ReconcileWorld()
    world.xero.put("BankTransactions", xero_spend("x-bt1", "x-c1", "12.50"))
    # When bank transactions are reconciled
    report = world.reconcile.run(TENANT, [BANK])
    # Then nothing was asked of Xero, nothing told, and the kind waits for the tenant's choice
    assert world.xero.calls == []
    assert report.outcomes == {"bank_transaction": f"put off: {NOT_CHOSEN}"}
    assert world.changes() == []
    state = world.states.get(TENANT, BANK)
    assert state is not None
    assert (state.due_at, state.note, state.last_success) == (None, NOT_CHOSEN, None)


def test_chosen_bank_transactions_are_read_since_the_date_and_told_once_naming_the_contact_s_platform_id() -> None:
    # Given a tenant that chose bank transactions since 1 January, a contact the platform has, and a spend to it
    world = ReconcileWorld()
    choosing(world, SINCE)
    world.synced_from_platform(Entity.CONTACT, "cus-1", a_contact_body(), "x-c1", NOW)
    world.xero.put("BankTransactions", xero_spend("x-bt1", "x-c1", "12.50"))
    # When bank transactions are reconciled
    report = world.reconcile.run(TENANT, [BANK])
    # Then Xero was asked for them from that date, and the platform told of the spend, in the feed and on the bus
    [listing] = [call for call in world.listings() if call.path == "/BankTransactions"]
    assert listing.params["where"] == "Date>=DateTime(2026,01,01)"
    assert (report.outcomes, report.told_changes) == ({"bank_transaction": "read"}, 1)
    [change] = [c for c in world.feed.everything(TENANT) if c.entity is BANK]
    assert (change.kind.value, change.platform_id, change.version) == ("created", "xero-x-bt1", 1)
    assert change.body is not None
    assert (change.body["contact"], change.body["total"]) == ("cus-1", "12.50")
    assert world.event_types() == ["record.created"]
    # And read again (triggered), nothing more is told
    world.clock.advance(timedelta(hours=1))
    again = world.reconcile.run(TENANT, [BANK], forced=True)
    assert (again.outcomes, again.told_changes) == ({"bank_transaction": "read"}, 0)
    assert len([c for c in world.feed.everything(TENANT) if c.entity is BANK]) == 1


def test_a_spend_deleted_in_xero_is_told_deleted_under_its_next_version() -> None:
    # Given a spend the platform was told of
    world = ReconcileWorld()
    choosing(world, SINCE)
    world.xero.put("BankTransactions", xero_spend("x-bt1", "x-c1", "12.50"))
    world.reconcile.run(TENANT, [BANK])
    # When it is deleted in Xero and bank transactions are reconciled again (triggered) an hour later
    world.clock.advance(timedelta(hours=1))
    deleted = xero_spend("x-bt1", "x-c1", "12.50", Status="DELETED", UpdatedDateUTC=ms(world.clock.now()))
    world.xero.put("BankTransactions", deleted)
    world.reconcile.run(TENANT, [BANK], forced=True)
    # Then the platform is told it is deleted, version 2
    told = [(c.kind.value, c.version, c.xero_status) for c in world.feed.everything(TENANT) if c.entity is BANK]
    assert told == [("created", 1, "AUTHORISED"), ("deleted", 2, "DELETED")]
