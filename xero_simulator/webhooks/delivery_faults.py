"""Faults in webhook delivery: what a client must survive, since Xero promises no order and no exactly-once.

Ordering, duplicate and at-least-once guarantees were NOT FOUND (FACTS.md §2.4, §7); the conservative
reading is that deliveries may repeat, arrive out of order, arrive late or never arrive, so a client
must deduplicate and reconcile by polling. Each fault applies to the next `count` deliveries (None:
until cleared), to a seeded random `ratio` of them, optionally of one app only.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class DeliveryFaultKind(StrEnum):
    DUPLICATE = "duplicate"  # the delivery is sent twice, same bytes and signature
    REORDER = "reorder"  # the delivery swaps places with the one queued behind it
    DELAY = "delay"  # the delivery is held `seconds` of simulated time
    DROP = "drop"  # the delivery is lost: its sequence numbers are used up and never sent


@dataclass
class DeliveryFault:
    kind: DeliveryFaultKind
    ratio: float = 1.0
    count: int | None = None
    client_id: str | None = None
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "ratio": self.ratio,
            "count": self.count,
            "client_id": self.client_id,
            "seconds": self.seconds,
        }

    def applies_to(self, kind: DeliveryFaultKind, client_id: str) -> bool:
        return self.kind is kind and (self.client_id is None or self.client_id == client_id)


class DeliveryFaultPlan:
    """The delivery faults in force; `strike` draws one and uses up a counted fault."""

    def __init__(self, seed: int = 11) -> None:
        self._lock = threading.Lock()
        self._faults: list[DeliveryFault] = []
        self._random = random.Random(seed)  # noqa: S311 - chaos, not cryptography

    def add(self, fault: DeliveryFault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self, seed: int | None = None) -> None:
        with self._lock:
            self._faults.clear()
            if seed is not None:
                self._random.seed(seed)

    def active(self) -> list[DeliveryFault]:
        with self._lock:
            return list(self._faults)

    def strike(self, kind: DeliveryFaultKind, client_id: str) -> DeliveryFault | None:
        """The fault of this kind that strikes the app's next delivery, if any."""
        with self._lock:
            for fault in self._faults:
                if not fault.applies_to(kind, client_id):
                    continue
                if fault.ratio < 1.0 and self._random.random() >= fault.ratio:
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                return fault
        return None
