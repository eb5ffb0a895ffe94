"""The simulator's counters, with the simulated instant of every Accounting API call and every 429.

The simulator counts each call it receives, refused ones included, by organisation and endpoint
(xero_simulator/counters.py); the benchmark also needs when, to draw calls per minute over time
and to find the busiest minute. The instant is read from the simulator's own clock as the call is
counted, which is the instant its rate limiter judges the call at.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from xero_simulator.clock import SimClock
from xero_simulator.counters import Counters


@dataclass(frozen=True)
class LoggedCall:
    at: float  # simulated epoch seconds
    xero_tenant_id: str
    endpoint: str  # "PUT /Invoices"


class CallLog(Counters):
    """Counters that also keep each call's instant; put in place of a Simulator's `counters`."""

    def __init__(self, clock: SimClock) -> None:
        super().__init__()
        self._clock = clock
        self._log_lock = threading.Lock()
        self.logged: list[LoggedCall] = []
        self.refused_at: list[tuple[float, str]] = []  # (instant, X-Rate-Limit-Problem)

    def count_call(self, tenant_id: str | None, endpoint: str) -> None:
        super().count_call(tenant_id, endpoint)
        with self._log_lock:
            self.logged.append(LoggedCall(self._clock.timestamp(), tenant_id or "-", endpoint))

    def count_429(self, problem: str) -> None:
        super().count_429(problem)
        with self._log_lock:
            self.refused_at.append((self._clock.timestamp(), problem))

    def of(self, xero_tenant_id: str) -> list[LoggedCall]:
        with self._log_lock:
            return [call for call in self.logged if call.xero_tenant_id == xero_tenant_id]
