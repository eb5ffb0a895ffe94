"""Nudge the tenants whose push waited for the rate budget (or for Xero) and whose time has come.

A push that the budget stops defers its tenant to an instant (SyncSchedule.defer); an SQS FIFO
queue cannot hold one message back until then, so the scheduled function asks the schedule which
tenants are due and enqueues a sync request for each (docs/decisions.md). The request asks at
backfill priority: deferred work is bulk work, and a user's next write enqueues its own request.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.clock import Clock
from shared.domain.rate_limits import Priority
from shared.domain.sync_requests import SyncRequest
from shared.ports.records import SyncSchedule
from shared.ports.work_queue import WorkQueue, sync_requests_group

DUE_PER_RUN = 500  # tenants nudged per scheduled run; the rest are still due on the next


@dataclass(frozen=True)
class SyncDue:
    schedule: SyncSchedule
    queue: WorkQueue
    clock: Clock

    def run(self) -> int:
        """Enqueue a sync request for each due tenant; how many were enqueued."""
        now = self.clock.now()
        due = self.schedule.due(now, DUE_PER_RUN)
        minute = now.strftime("%Y%m%d%H%M")
        for tenant_id in due:
            request = SyncRequest(tenant_id=tenant_id, priority=Priority.BACKFILL, reason="schedule")
            # One nudge per tenant per minute: SQS drops a repeat of the id within 5 minutes.
            self.queue.send(sync_requests_group(tenant_id), f"due-{tenant_id}-{minute}", request)
        return len(due)
