"""The scheduler and the sync worker in one, for one tenant: run a push; when the rate budget says
"not before" (the report's deferred_until), wait that long and run again; until nothing is pending.

In AWS the push defers the tenant in the sync schedule and the scheduled function nudges it when
the instant comes (shared/usecases/sync_due.py); here the wait is a sleep of the simulated seconds
in wall time (SimClock.wall_seconds), which is what that round trip amounts to, minus the
scheduler's tick. Each tenant runs in its own thread, as each tenant's Lambda would.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.domain.ledger import SENDABLE
from shared.domain.rate_limits import Priority
from shared.domain.records import SEND_ORDER
from shared.ports.records import RecordStore
from shared.usecases.push.run import SyncPush
from xero_simulator.clock import SimClock

# A run that ends without a wait, without a call and with records still pending made no progress;
# this many in a row and the tenant's records are stuck (reported, and the agreement check fails).
IDLE_RUNS = 3
# Longer than any minute-limit wait: a push told to wait this long met Xero's daily limit (or a parked
# tenant), which a benchmark of this size must not; it stops and says so rather than sleep for hours.
LONGEST_WAIT = timedelta(minutes=5)


@dataclass
class TenantRun:
    """How one tenant's backfill went, in simulated time."""

    tenant_id: str
    started_at: datetime
    finished_at: datetime | None = None
    runs: int = 0
    waits: Counter[str] = field(default_factory=Counter)  # the report's `stopped` ("rate budget: minute") -> times
    waited_seconds: float = 0.0
    stopped: str | None = None  # why the driver gave up before nothing was pending, if it did

    @property
    def seconds(self) -> float:
        end = self.finished_at or self.started_at
        return (end - self.started_at).total_seconds()


def drive(push: SyncPush, store: RecordStore, clock: SimClock, tenant_id: str, priority: Priority) -> TenantRun:
    """Push `tenant_id`'s pending records until none is left (or no progress is made)."""
    run = TenantRun(tenant_id, clock.now())
    idle = 0
    while True:
        try:
            report = push.run(tenant_id, priority=priority)
        except Exception as error:  # the bench reports what the push raised, then verifies what Xero holds
            run.stopped = f"the push raised {type(error).__name__}: {error}"
            break
        run.runs += 1
        if report.deferred_until is not None:
            run.waits[report.stopped or "deferred"] += 1
            wait = (report.deferred_until - clock.now()).total_seconds()
            if wait > LONGEST_WAIT.total_seconds():
                run.stopped = f"told to wait until {report.deferred_until.isoformat()} ({report.stopped})"
                break
            if wait > 0:
                run.waited_seconds += wait
                time.sleep(clock.wall_seconds(wait))
            continue
        if report.more:
            continue
        if report.stopped is not None:
            run.stopped = report.stopped
            break
        left = pending(store, tenant_id)
        if left == 0:
            break
        idle = idle + 1 if report.calls == 0 else 0
        if idle >= IDLE_RUNS:
            run.stopped = f"{left} records stay pending"
            break
    run.finished_at = clock.now()
    return run


def pending(store: RecordStore, tenant_id: str) -> int:
    """The tenant's records still waiting to be sent."""
    total = 0
    for entity in SEND_ORDER:
        counts = store.status(tenant_id, entity).counts
        total += sum(counts.get(state, 0) for state in SENDABLE)
    return total
