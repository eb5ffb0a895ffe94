"""Faults in webhook delivery: what a client must survive, since Xero promises no order and no exactly-once.

Ordering, duplicate and at-least-once guarantees were NOT FOUND (FACTS.md §2.4, §7); the conservative
reading is that deliveries may repeat, arrive out of order, arrive late or never arrive, so a client
must deduplicate and reconcile by polling. Each fault applies to the next `count` deliveries (None:
until cleared), to a seeded random `ratio` of them, optionally of one app only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from xero_simulator.faults import FaultSchedule


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


class DeliveryFaultPlan(FaultSchedule[DeliveryFault]):
    """The delivery faults in force; `strike` draws one and uses up a counted fault."""

    def __init__(self, seed: int = 11) -> None:
        super().__init__(seed)

    def strike(self, kind: DeliveryFaultKind, client_id: str) -> DeliveryFault | None:
        """The fault of this kind that strikes the app's next delivery, if any."""
        struck = self._strike(lambda fault: fault.applies_to(kind, client_id), first_only=True)
        return struck[0] if struck else None
