"""Connected tenants without reconciliation states (connected before reconciliation existed, or a kind
added since) get them from the daily rule, due at once, so the every-minute job reconciles them."""

from __future__ import annotations

from shared.domain.connections import ConnectionStatus
from shared.domain.inbound.reconcile_state import ReconcileState, fresh
from shared.domain.inbound.settings import SyncedKind
from shared.fakes.memory_reconciliation import MemoryReconcileStates
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.usecases.reconcile_due import ReconcileDue
from shared.usecases.reconcile_missing import ReconcileMissing
from tests.unit.custody_world import TENANT, CustodyWorld


def test_a_tenant_connected_before_reconciliation_existed_gets_every_kind_due_at_once() -> None:
    # Given a connected tenant with no reconciliation state
    world = CustodyWorld()
    world.connect()
    states = MemoryReconcileStates()
    # When the daily rule makes the missing states
    created = ReconcileMissing(world.connections, states, world.clock).run()
    # Then every kind has a fresh state, due now, which the every-minute job enqueues in one request
    assert created == len(SyncedKind)
    assert states.listing(TENANT) == sorted(
        (fresh(TENANT, kind, world.clock.now()) for kind in SyncedKind), key=lambda state: state.kind.value
    )
    queue = MemoryWorkQueue(world.clock)
    assert ReconcileDue(states, queue, world.clock).run() == len(SyncedKind)
    assert len(queue.bodies(TENANT)) == 1


def test_a_tenant_s_existing_states_are_kept_and_only_the_kinds_it_lacks_are_made() -> None:
    # Given a connected tenant reconciled for invoices (next due tomorrow) and unscheduled for accounts
    world = CustodyWorld()
    world.connect()
    states = MemoryReconcileStates()
    invoices = fresh(TENANT, SyncedKind.INVOICE, world.clock.now()).model_copy(update={"due_at": None})
    accounts = ReconcileState(tenant_id=TENANT, kind=SyncedKind.ACCOUNT, note="not read from Xero")
    states.put(invoices)
    states.put(accounts)
    # When the daily rule runs / Then only the eight other kinds are made, and the two are untouched
    assert ReconcileMissing(world.connections, states, world.clock).run() == len(SyncedKind) - 2
    assert (states.get(TENANT, SyncedKind.INVOICE), states.get(TENANT, SyncedKind.ACCOUNT)) == (invoices, accounts)
    # And a second run makes nothing
    assert ReconcileMissing(world.connections, states, world.clock).run() == 0


def test_a_tenant_no_longer_connected_gets_no_state() -> None:
    # Given a tenant that needs reauthorisation
    world = CustodyWorld()
    world.connect()
    world.connections.set_status(TENANT, ConnectionStatus.NEEDS_REAUTH, "refresh token expired", world.clock.now())
    states = MemoryReconcileStates()
    # When the daily rule runs / Then nothing is made for it
    assert (ReconcileMissing(world.connections, states, world.clock).run(), states.listing(TENANT)) == (0, [])
