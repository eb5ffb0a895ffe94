"""Give connected tenants the reconciliation states they lack (issue 5, §2), due at once.

A tenant's states are made by the worker when it first reconciles a kind: connecting enqueues a
reconciliation of every kind (oauth_flow.py), and the scheduled function enqueues only states that
exist. A tenant connected before reconciliation existed, or a kind added since, has no state, so
nothing would ever be due for it. The daily rule (beside keep-alive) lists the connected tenants and
puts a fresh state (due at once, a full first read) for each kind a tenant lacks; the every-minute
job then enqueues them. A kind the tenant's settings do not read from Xero is unscheduled by the
worker on its first run, as any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shared.clock import Clock
from shared.domain.inbound.reconcile_state import fresh
from shared.domain.inbound.settings import SyncedKind
from shared.observability import logger
from shared.ports.reconciliation import ReconcileStates
from shared.ports.state import ConnectionRepository


@dataclass(frozen=True)
class ReconcileMissing:
    connections: ConnectionRepository
    states: ReconcileStates
    clock: Clock

    def run(self) -> int:
        """Put a fresh state for each kind a connected tenant has none of; how many were put."""
        now = self.clock.now()
        created = 0
        # Every connected connection's refresh token was issued before tomorrow: the Scan keep-alive makes.
        for connection in self.connections.refreshed_before(now + timedelta(days=1)):
            kept = {state.kind for state in self.states.listing(connection.tenant_id)}
            missing = [fresh(connection.tenant_id, kind, now) for kind in SyncedKind if kind not in kept]
            if missing:
                self.states.put_many(missing)
                created += len(missing)
        logger.info("Missing reconciliation states created", extra={"states_created": created})
        return created
