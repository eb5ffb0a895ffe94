"""Nudge the tenants whose push waited for the rate budget (or for Xero) and whose time has come.

A push that the budget stops defers its tenant to an instant (SyncSchedule.defer); an SQS FIFO
queue cannot hold one message back until then, so the scheduled function asks the schedule which
tenants are due and enqueues a sync request for each (docs/decisions.md). The request asks at
backfill priority: deferred work is bulk work, and a user's next write enqueues its own request.

One run nudges every due tenant it reaches before its deadline (the scheduled function's remaining
time), CHUNK at a time, ten requests a call to SQS; a tenant it did not reach is still due on the next
run, a minute later (a deferral stays until the worker's sync clears it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from shared.clock import Clock
from shared.domain.rate_limits import Priority
from shared.domain.sync_requests import SyncRequest
from shared.ports.records import SyncSchedule
from shared.ports.work_queue import OutgoingMessage, WorkQueue, sync_requests_group

CHUNK = 100  # due tenants read, then enqueued, at a time; the deadline is looked at between chunks


@dataclass(frozen=True)
class SyncDue:
    schedule: SyncSchedule
    queue: WorkQueue
    clock: Clock

    def run(self, deadline: datetime | None = None) -> int:
        """Enqueue a sync request for each due tenant, until none is left or `deadline` has come; how many
        were enqueued."""
        now = self.clock.now()
        due = self.schedule.due(now)
        minute = now.strftime("%Y%m%d%H%M")
        enqueued = 0
        while deadline is None or self.clock.now() < deadline:
            tenants = list(islice(due, CHUNK))
            if not tenants:
                break
            # One nudge per tenant per minute: SQS drops a repeat of the id within 5 minutes.
            nudges = [
                OutgoingMessage(
                    sync_requests_group(tenant_id),
                    f"due-{tenant_id}-{minute}",
                    SyncRequest(tenant_id=tenant_id, priority=Priority.BACKFILL, reason="schedule"),
                )
                for tenant_id in tenants
            ]
            enqueued += len(nudges) - len(self.queue.send_batch(nudges))
        return enqueued
