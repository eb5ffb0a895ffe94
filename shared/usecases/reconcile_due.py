"""Enqueue the reconciliations whose time has come (issue 5, §2): what the every-minute rule runs
beside the push's nudges (sync_due.py).

It decides only what is due, from one index partition of every tenant's due instants
(ReconcileStates.due), and enqueues a request per tenant on the tenant's group of sync requests,
naming its due kinds; the worker reads them. Each state's instant moves CLAIM ahead as it is
enqueued, so a request waiting in the queue is not enqueued again every minute, and one the worker
never ran is enqueued again after CLAIM. A kind the tenant's settings no longer read from Xero is
still enqueued: the worker, which reads the settings anyway, unschedules it.

One run drains what is due: about 10,000 states a minute for the ~42,000 idle tenants one Xero app
serves (10 kinds, intervals of 15 to 60 minutes; bench/results/sync_pull.json), so a fixed number per
run would fall behind for good. It reads the due states CHUNK at a time, enqueues one request per
tenant of the chunk (ten a call to SQS) and claims the states SQS took, until nothing is due or its
deadline (the scheduled function's remaining time) has come; what it did not reach stays due for the
next run. A tenant whose due kinds straddle two chunks gets two requests: the deduplication id names
the kinds, so SQS keeps both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from shared.clock import Clock
from shared.domain.inbound.reconcile_state import ReconcileState, enqueued
from shared.domain.rate_limits import Priority
from shared.domain.sync_requests import SyncRequest
from shared.ports.reconciliation import ReconcileStates
from shared.ports.work_queue import OutgoingMessage, WorkQueue, sync_requests_group

CHUNK = 100  # due states read, enqueued and claimed at a time; the deadline is looked at between chunks


@dataclass(frozen=True)
class ReconcileDue:
    states: ReconcileStates
    queue: WorkQueue
    clock: Clock

    def run(self, deadline: datetime | None = None) -> int:
        """Enqueue one reconciliation request per tenant with due kinds, until none is left or `deadline`
        has come; how many kinds were enqueued."""
        now = self.clock.now()
        due = self.states.due(now)
        enqueued_kinds = 0
        while deadline is None or self.clock.now() < deadline:
            chunk = list(islice(due, CHUNK))
            if not chunk:
                break
            enqueued_kinds += self._enqueue(chunk, now)
        return enqueued_kinds

    def _enqueue(self, chunk: list[ReconcileState], now: datetime) -> int:
        by_tenant: dict[str, list[ReconcileState]] = {}
        for state in chunk:
            by_tenant.setdefault(state.tenant_id, []).append(state)
        minute = now.strftime("%Y%m%d%H%M")
        requests = [_request(tenant_id, states, minute) for tenant_id, states in by_tenant.items()]
        refused = {outgoing.group_id for outgoing in self.queue.send_batch(requests)}
        claims: list[ReconcileState] = []
        for tenant_id, states in by_tenant.items():
            if sync_requests_group(tenant_id) in refused:
                continue  # still due: the next run enqueues it again
            claims += [enqueued(state, now) for state in states]
        self.states.put_many(claims)
        return len(claims)


def _request(tenant_id: str, states: list[ReconcileState], minute: str) -> OutgoingMessage:
    kinds = tuple(state.kind for state in states)
    request = SyncRequest(tenant_id=tenant_id, priority=Priority.RECONCILIATION, reason="reconcile", reconcile=kinds)
    # One request per tenant and kinds per minute: SQS drops a repeat of the id within 5 minutes (a run
    # retried after it enqueued but before it claimed), and keeps a second chunk's other kinds.
    named = hashlib.sha256(",".join(sorted(kind.value for kind in kinds)).encode()).hexdigest()[:12]
    return OutgoingMessage(sync_requests_group(tenant_id), f"reconcile-{tenant_id}-{minute}-{named}", request)
