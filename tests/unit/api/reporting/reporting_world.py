"""The platform API over fakes (api_world.py) with its reports and actions wired: a real
RateBudgetedXero over an in-memory budget that notes each call's priority, and a scripted Xero
that answers by path and keeps every request it was sent."""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from datetime import datetime
from typing import Any

from shared.domain.rate_limits import Delay, Priority
from shared.fakes.memory_rate_budget import MemoryRateBudget
from shared.ports.rate_budget import Permit
from shared.ports.xero_accounting import XeroAccounting, XeroAnswer, XeroRequest
from shared.usecases.rate_budgeted_xero import RateBudgetedXero
from tests.unit.api.api_world import XERO_TENANT, ApiWorld


class PriorityNotingBudget(MemoryRateBudget):
    """The in-memory budget, noting the priority of every permit asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.priorities: list[Priority] = []

    def take(self, xero_tenant_id: str, priority: Priority, now: datetime) -> Permit | Delay:
        self.priorities.append(priority)
        return super().take(xero_tenant_id, priority, now)


class PathScriptedXero(XeroAccounting):
    """Answers each call with the body scripted for its path ({} when none was);
    `fail_next` makes the next call raise instead."""

    def __init__(self) -> None:
        self.bodies: dict[str, dict[str, Any]] = {}
        self.failures: deque[Exception] = deque()
        self.requests: list[XeroRequest] = []

    def answer(self, path: str, body: dict[str, Any]) -> None:
        self.bodies[path] = body

    def fail_next(self, error: Exception) -> None:
        self.failures.append(error)

    def call(self, access_token: str, xero_tenant_id: str, request: XeroRequest) -> XeroAnswer:
        assert xero_tenant_id == XERO_TENANT, "the call must name the tenant's own organisation"
        self.requests.append(request)
        if self.failures:
            raise self.failures.popleft()
        return XeroAnswer(200, self.bodies.get(request.path, {}))


class ReportingWorld(ApiWorld):
    def __init__(self) -> None:
        super().__init__()
        self.budget = PriorityNotingBudget()
        self.xero = PathScriptedXero()
        budgeted = RateBudgetedXero(self.xero, self.budget, self.clock, self.events, self.state.connections)
        self.deps = replace(self.deps, xero=budgeted)
