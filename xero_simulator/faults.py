"""Injected faults: what real Xero does on a bad day, on demand and deterministically.

A fault applies to calls whose method and path match, to the next `count` of them or to a random
`ratio` of them (seeded, so a chaos run can be replayed).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class FaultKind(StrEnum):
    ERROR_500 = "error_500"  # an InternalServerException before anything is saved
    MAINTENANCE_503 = "maintenance_503"  # plain text "offline for maintenance"
    LATENCY = "latency"  # the call succeeds after `seconds` of wall time
    TIMEOUT = "timeout"  # the call hangs `seconds`, then the connection closes with no answer
    LOSE_RESPONSE = "lose_response"  # the call commits, then the connection closes with no answer


@dataclass
class Fault:
    kind: FaultKind
    ratio: float = 1.0
    count: int | None = None  # None: until cleared
    method: str | None = None
    path_contains: str | None = None
    tenant_id: str | None = None
    seconds: float = 0.0

    def matches(self, method: str, path: str, tenant_id: str | None) -> bool:
        if self.method and self.method.upper() != method:
            return False
        if self.path_contains and self.path_contains.lower() not in path.lower():
            return False
        return not (self.tenant_id and self.tenant_id != tenant_id)


class _Chanced(Protocol):
    ratio: float
    count: int | None


class FaultSchedule[F: _Chanced]:
    """Faults in force, each striking a seeded random `ratio` of matching events, `count` times at most."""

    def __init__(self, seed: int) -> None:
        self._lock = threading.Lock()
        self._faults: list[F] = []
        self._random = random.Random(seed)  # noqa: S311 - chaos, not cryptography

    def add(self, fault: F) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self, seed: int | None = None) -> None:
        with self._lock:
            self._faults.clear()
            if seed is not None:
                self._random.seed(seed)

    def active(self) -> list[F]:
        with self._lock:
            return list(self._faults)

    def _strike(self, applies: Callable[[F], bool], *, first_only: bool = False) -> list[F]:
        """The faults that strike one event; a counted fault is used up as it strikes."""
        struck: list[F] = []
        with self._lock:
            for fault in list(self._faults):
                if not applies(fault):
                    continue
                if fault.ratio < 1.0 and self._random.random() >= fault.ratio:
                    continue
                struck.append(fault)
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                if first_only:
                    break
        return struck


class FaultPlan(FaultSchedule[Fault]):
    """The Accounting API's injected faults."""

    def __init__(self, seed: int = 7) -> None:
        super().__init__(seed)

    def draw(self, method: str, path: str, tenant_id: str | None) -> list[Fault]:
        """The faults that strike this call."""
        return self._strike(lambda fault: fault.matches(method, path, tenant_id))
