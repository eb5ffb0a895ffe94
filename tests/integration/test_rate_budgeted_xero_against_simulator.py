"""The rate-budgeted client against the simulator's limits (FACTS.md §3.1): a flood of calls through it
meets no 429, and a 429 it could not foresee parks the tenant until Xero's own reset.

Work that must wait is done again at MustWaitError.until, as the sync worker's deferred message
would be; the simulator's clock jumps there instead of anyone sleeping, so hours of Xero time pass
in a second.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator

import pytest

from shared.adapters.xero_accounting_http import HttpXeroAccounting
from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.platform_events import EventType
from shared.domain.rate_limits import LimitName, Priority
from shared.fakes.memory_event_bus import MemoryEventBus
from shared.fakes.memory_rate_budget import MemoryRateBudget
from shared.fakes.memory_state import MemoryConnectionRepository
from shared.ports.xero_accounting import XeroAnswer, XeroRequest
from shared.usecases.rate_budgeted_xero import MustWaitError, RateBudgetedXero
from tests.integration.xero_connected import simulator_endpoints
from tests.simulator.conftest import BROAD_SCOPES, Tenant, connect_tenant
from xero_simulator.builders import direct_principal
from xero_simulator.server import Simulator

CONTACTS = XeroRequest("GET", "/Contacts")
# 250 calls cross four of Xero's minute windows, from every priority in turn.
CALLS = 250


class BudgetedWork:
    """One tenant's calls through RateBudgetedXero, each deferred work item done again at its `until`."""

    def __init__(self, simulator: Simulator, tenant: Tenant) -> None:
        self.simulator = simulator
        self.tenant = tenant
        self.events = MemoryEventBus()
        connections = MemoryConnectionRepository()
        connections.put(
            Connection(
                tenant_id="tenant-a",
                status=ConnectionStatus.CONNECTED,
                xero_tenant_id=tenant.org.organisation_id,
                updated_at=simulator.world.clock.now(),
            )
        )
        self.xero = RateBudgetedXero(
            HttpXeroAccounting(simulator_endpoints(simulator)),
            MemoryRateBudget(),
            simulator.world.clock,
            self.events,
            connections,
        )
        self.deferred: Counter[LimitName] = Counter()
        self.token = tenant.token

    def call(self, priority: Priority = Priority.USER_WRITE) -> XeroAnswer:
        """One call, raising MustWaitError as the worker would meet it."""
        return self.xero.call(self.token, self.tenant.org.organisation_id, CONTACTS, priority)

    def call_when_allowed(self, priority: Priority) -> XeroAnswer:
        """One call, done again at each MustWaitError's `until` until Xero answers it."""
        while True:
            try:
                return self.call(priority)
            except MustWaitError as waiting:
                self.deferred[waiting.limit] += 1
                self.wait_until(waiting)

    def wait_until(self, waiting: MustWaitError) -> None:
        clock = self.simulator.world.clock
        clock.advance(max(0.0, (waiting.until - clock.now()).total_seconds()))

    def refresh(self) -> None:
        """A new access token, as the token custodian would get after a wait longer than a token's 30 minutes."""
        world, tenant = self.simulator.world, self.tenant
        principal = direct_principal(world, tenant.app, tenant.user, [tenant.org.organisation_id], BROAD_SCOPES)
        self.token = self.simulator.tokens.issue(principal, world.clock.now())

    def rate_limited(self) -> dict[str, int]:
        limited: dict[str, int] = self.simulator.counters.snapshot()["rateLimited"]
        return limited


@pytest.fixture
def tenant(simulator: Simulator) -> Iterator[Tenant]:
    connected = connect_tenant(simulator)
    yield connected
    connected.api.close()


def test_a_flood_of_budgeted_calls_at_every_priority_meets_no_429(simulator: Simulator, tenant: Tenant) -> None:
    # Given a tenant calling through the budget against Xero's real limits
    work = BudgetedWork(simulator, tenant)
    priorities = itertools.cycle(Priority)
    # When 250 calls are made, each deferred work item done again when the budget said
    statuses = [work.call_when_allowed(next(priorities)).status for _ in range(CALLS)]
    # Then the budget held calls back for the minute, every permit came back (no slot ever ran out),
    # every call was answered, and Xero refused none
    assert work.deferred[LimitName.MINUTE] > 0
    assert work.deferred[LimitName.CONCURRENT] == 0
    assert (statuses.count(200), work.rate_limited()) == (CALLS, {})


def test_a_day_limit_lower_than_the_budgets_parks_the_tenant_until_xeros_reset(
    simulator: Simulator, tenant: Tenant
) -> None:
    # Given Xero allows this organisation 3 calls a day (a lower tier than the budget knows), all made
    simulator.limiter.limits.per_day = 3
    work = BudgetedWork(simulator, tenant)
    for _ in range(3):
        work.call()
    # When a 4th call meets Xero's day limit
    with pytest.raises(MustWaitError) as refused:
        work.call()
    # Then the work waits for Xero's reset, a day after the first call, and the platform is told once
    assert refused.value.limit is LimitName.DAY
    assert (refused.value.until - simulator.world.clock.now()).total_seconds() > 86_000
    (paused,) = work.events.of_type(EventType.SYNC_PAUSED)
    assert (paused.tenant_id, paused.data["until"]) == ("tenant-a", refused.value.until.isoformat())


def test_a_parked_tenant_calls_again_only_after_xeros_reset(simulator: Simulator, tenant: Tenant) -> None:
    # Given a tenant parked by Xero's day limit
    simulator.limiter.limits.per_day = 1
    work = BudgetedWork(simulator, tenant)
    work.call()
    with pytest.raises(MustWaitError) as refused:
        work.call()
    # When it tries again before the reset, and again at it
    with pytest.raises(MustWaitError) as parked:
        work.call()
    work.wait_until(refused.value)
    work.refresh()
    answer = work.call()
    # Then the early try never reached Xero (one 429 in all) and the call at the reset was answered
    assert parked.value.limit is LimitName.PARKED
    assert (answer.status, work.rate_limited()) == (200, {"day": 1})
