"""Xero's API limits: per app and tenant 5 concurrent, 60 per minute, 5,000 per day; per app 10,000 per minute.

Windows are fixed and start with a tenant's first call, so they "reset at different times for each
tenant" (FACTS.md §3.1). Every call Xero receives is counted, including the ones it refuses with a
429: the limit-hit values of the concurrent and app-minute limits and whether refused calls count
were not found, and counting them is the conservative choice (a client that ignores Retry-After is
punished for it here before it is in production).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from xero_simulator.errors import RateLimitError

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


@dataclass
class Limits:
    concurrent: int = 5
    per_minute: int = 60
    per_day: int = 5000
    app_per_minute: int = 10_000


@dataclass
class _Window:
    length: timedelta
    started: datetime | None = None
    used: int = 0

    def roll(self, now: datetime) -> None:
        if self.started is None or now >= self.started + self.length:
            self.started = now
            self.used = 0

    def seconds_left(self, now: datetime) -> int:
        ends = (self.started or now) + self.length
        return max(1, math.ceil((ends - now).total_seconds()))


@dataclass
class _TenantBudget:
    minute: _Window = field(default_factory=lambda: _Window(MINUTE))
    day: _Window = field(default_factory=lambda: _Window(DAY))
    in_flight: int = 0


@dataclass(frozen=True)
class Ticket:
    """An admitted call: its remaining-limit headers, and the slot to give back when it ends."""

    client_id: str
    tenant_id: str | None
    headers: dict[str, str]


class RateLimiter:
    """Admits or refuses each call before it runs; thread-safe, independent of the world lock."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._lock = threading.Lock()
        self._tenants: dict[tuple[str, str], _TenantBudget] = {}
        self._apps: dict[str, _Window] = {}

    def reset(self) -> None:
        with self._lock:
            self._tenants.clear()
            self._apps.clear()

    def admit(self, client_id: str, tenant_id: str | None, now: datetime) -> Ticket:
        """Take one call from the budgets or raise RateLimitError (429) naming the limit that was hit."""
        with self._lock:
            app = self._apps.setdefault(client_id, _Window(MINUTE))
            app.roll(now)
            app.used += 1
            app_left = self.limits.app_per_minute - app.used
            if tenant_id is None:
                headers = {"X-AppMinLimit-Remaining": str(max(0, app_left))}
                if app_left < 0:
                    raise RateLimitError("appminute", app.seconds_left(now), headers)
                return Ticket(client_id, None, headers)

            budget = self._tenants.setdefault((client_id, tenant_id), _TenantBudget())
            budget.minute.roll(now)
            budget.day.roll(now)
            budget.minute.used += 1
            budget.day.used += 1
            minute_left = self.limits.per_minute - budget.minute.used
            day_left = self.limits.per_day - budget.day.used
            headers = {
                "X-DayLimit-Remaining": str(max(0, day_left)),
                "X-MinLimit-Remaining": str(max(0, minute_left)),
                "X-AppMinLimit-Remaining": str(max(0, app_left)),
            }
            # The daily limit is named first: a client must park the tenant for hours, not seconds.
            if day_left < 0:
                raise RateLimitError("day", budget.day.seconds_left(now), headers)
            if minute_left < 0:
                raise RateLimitError("minute", budget.minute.seconds_left(now), headers)
            if app_left < 0:
                raise RateLimitError("appminute", app.seconds_left(now), headers)
            if budget.in_flight >= self.limits.concurrent:
                raise RateLimitError("concurrent", 1, headers)
            budget.in_flight += 1
            return Ticket(client_id, tenant_id, headers)

    def release(self, ticket: Ticket) -> None:
        if ticket.tenant_id is None:
            return
        with self._lock:
            budget = self._tenants.get((ticket.client_id, ticket.tenant_id))
            if budget is not None and budget.in_flight > 0:
                budget.in_flight -= 1

    def in_flight(self, client_id: str, tenant_id: str) -> int:
        with self._lock:
            budget = self._tenants.get((client_id, tenant_id))
            return budget.in_flight if budget else 0
