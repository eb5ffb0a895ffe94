"""Enqueue the reconciliations whose time has come (issue 5, §2): what the every-minute rule runs
beside the push's nudges (sync_due.py).

It decides only what is due, from one index partition of every tenant's due instants
(ReconcileStates.due), and enqueues a request per tenant on the tenant's group of sync requests,
naming its due kinds; the worker reads them. Each state's instant moves CLAIM ahead as it is
enqueued, so a request waiting in the queue is not enqueued again every minute, and one the worker
never ran is enqueued again after CLAIM. A kind the tenant's settings no longer read from Xero is
still enqueued: the worker, which reads the settings anyway, unschedules it.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.clock import Clock
from shared.domain.inbound.reconcile_state import enqueued
from shared.domain.inbound.settings import SyncedKind
from shared.domain.rate_limits import Priority
from shared.domain.sync_requests import SyncRequest
from shared.ports.reconciliation import ReconcileStates
from shared.ports.work_queue import WorkQueue, sync_requests_group

DUE_PER_RUN = 500  # states enqueued per scheduled run; the rest are still due on the next


@dataclass(frozen=True)
class ReconcileDue:
    states: ReconcileStates
    queue: WorkQueue
    clock: Clock

    def run(self) -> int:
        """Enqueue one reconciliation request per tenant with a due kind; how many kinds were enqueued."""
        now = self.clock.now()
        due = self.states.due(now, DUE_PER_RUN)
        by_tenant: dict[str, list[SyncedKind]] = {}
        for state in due:
            by_tenant.setdefault(state.tenant_id, []).append(state.kind)
        minute = now.strftime("%Y%m%d%H%M")
        for tenant_id, kinds in by_tenant.items():
            request = SyncRequest(
                tenant_id=tenant_id, priority=Priority.RECONCILIATION, reason="reconcile", reconcile=tuple(kinds)
            )
            # One request per tenant per minute: SQS drops a repeat of the id within 5 minutes.
            self.queue.send(sync_requests_group(tenant_id), f"reconcile-{tenant_id}-{minute}", request)
        for state in due:
            self.states.put(enqueued(state, now))
        return len(due)
