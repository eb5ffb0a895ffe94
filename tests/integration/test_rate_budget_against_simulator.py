"""Calls that take from the budget first never meet Xero's 429, over minute windows Xero starts on
its own clock (the simulator enforces Xero's limits, FACTS.md §3.1).

The in-memory budget keeps the same rules as the DynamoDB one (tests/contracts/rate_budget.py);
it is used here because only it answers fast enough to saturate Xero's minute on a 30x clock
(moto takes ~0.1 s per transaction under eight threads, which is seconds of Xero time).
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from shared.domain.rate_limits import Limits
from shared.fakes.memory_rate_budget import MemoryRateBudget
from shared.ports.rate_budget import LimitName, Permit, Priority
from tests.simulator.conftest import Tenant, connect_tenant
from xero_simulator.clock import SimClock
from xero_simulator.server import Simulator

# 130 calls cross two of Xero's minute windows; at 30x they take about 4 s of real time.
CALLS = 130
WORKERS = 8
SCALE = 30.0
# A call reaches Xero within ~0.1 s of real time of its permit (loopback, but eight threads and
# the simulator's own share one GIL, and a 30 ms margin lost one run in three); on a 30x clock
# that is 3 s of Xero time.
ARRIVAL_MARGIN = 0.1 * SCALE


class BudgetedCaller:
    """Makes GET /Organisation calls, each after a permit, waiting as the Delays say."""

    def __init__(self, tenant: Tenant, clock: SimClock) -> None:
        self.tenant = tenant
        self.clock = clock
        self.budget = MemoryRateBudget(Limits(arrival_margin=ARRIVAL_MARGIN))
        self.delays: Counter[LimitName] = Counter()
        self._calls = itertools.count()

    def work(self) -> list[int]:
        """Call while any of the CALLS are left; the statuses of this worker's calls."""
        statuses = []
        xero_tenant_id = self.tenant.org.organisation_id
        with self.tenant.client(self.tenant.token, xero_tenant_id) as api:
            while next(self._calls) < CALLS:
                answer = self.budget.take(xero_tenant_id, Priority.USER_WRITE, self.clock.now())
                while not isinstance(answer, Permit):
                    self.delays[answer.reason] += 1
                    time.sleep(self.clock.wall_seconds(answer.seconds))
                    answer = self.budget.take(xero_tenant_id, Priority.USER_WRITE, self.clock.now())
                try:
                    statuses.append(api.get("/Organisation").status_code)
                finally:
                    self.budget.release(answer)
        return statuses


def test_130_budgeted_calls_from_eight_threads_meet_no_429(simulator: Simulator) -> None:
    # Given a connected organisation, Xero's clock at 30x, and a budget reading that clock
    caller = BudgetedCaller(connect_tenant(simulator), simulator.world.clock)
    simulator.world.clock.set_scale(SCALE)
    # When eight threads make 130 calls between them
    with ThreadPoolExecutor(WORKERS) as pool:
        statuses = [status for result in pool.map(lambda _: caller.work(), range(WORKERS)) for status in result]
    # Then the budget held calls back for the minute, every call succeeded, and Xero refused none
    assert caller.delays[LimitName.MINUTE] > 0
    assert (len(statuses), set(statuses), simulator.counters.snapshot()["rateLimited"]) == (CALLS, {200}, {})
