"""One delivery: a signed batch of events for one app, its attempts, and Xero's retry schedule.

FACTS.md §2.1: a delivery that gets no acceptable answer is retried "with decreasing frequency for
up to 24 hours", after which the webhook is disabled. The exact schedule was NOT FOUND officially;
the simulator follows the secondary NOTE-2026 account: one immediate retry, then every 15 minutes of
simulated time until 24 hours have passed since the first failure.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from xero_simulator.msjson import naive_utc
from xero_simulator.world import new_id

RETRY_INTERVAL = timedelta(minutes=15)
GIVE_UP_AFTER = timedelta(hours=24)

_ordinals = itertools.count(1)


class DeliveryState(StrEnum):
    PENDING = "pending"  # queued, or waiting for its next retry
    DELIVERED = "delivered"
    DROPPED = "dropped"  # lost by a `drop` fault: never sent
    DISCARDED = "discarded"  # thrown away when the webhook was disabled, reset or given a new URL


@dataclass(frozen=True)
class Attempt:
    """One POST of a delivery and Xero's verdict on the answer."""

    number: int
    at: datetime
    delivered: bool
    status: int | None
    body: str
    latency_ms: float
    problem: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "at": naive_utc(self.at),
            "outcome": "delivered" if self.delivered else "failed",
            "status": self.status,
            "body": self.body,
            "latency_ms": self.latency_ms,
            "problem": self.problem,
        }


@dataclass
class Delivery:
    """A batch of events with its sequence numbers, entropy and signature fixed once: retries resend the same bytes."""

    client_id: str
    events: list[dict[str, Any]]
    first_sequence: int
    last_sequence: int
    body: bytes
    signature: str
    formed_at: datetime
    due_at: datetime
    id: str = field(default_factory=new_id)
    ordinal: int = field(default_factory=lambda: next(_ordinals))
    state: DeliveryState = DeliveryState.PENDING
    attempts: list[Attempt] = field(default_factory=list)
    first_failure: datetime | None = None
    in_flight: bool = False
    copy_of: str | None = None  # a `duplicate` fault's second sending of the delivery with this id

    def duplicate(self) -> Delivery:
        """A second sending of the same bytes, as a duplicate delivery reaches a receiver."""
        return replace(self, id=new_id(), ordinal=next(_ordinals), attempts=[], copy_of=self.id)

    def next_attempt_after_failure(self, now: datetime) -> datetime | None:
        """When to try again after the attempt that just failed at `now`, or None when Xero gives up."""
        if self.first_failure is None:
            self.first_failure = now
        if len(self.attempts) <= 1:
            return now
        if now - self.first_failure >= GIVE_UP_AFTER:
            return None
        return now + RETRY_INTERVAL

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "client_id": self.client_id,
            "state": self.state.value,
            "first_event_sequence": self.first_sequence,
            "last_event_sequence": self.last_sequence,
            "events": self.events,
            "body": self.body.decode(),
            "signature": self.signature,
            "formed_at": naive_utc(self.formed_at),
            "due_at": naive_utc(self.due_at),
            "copy_of": self.copy_of,
            "attempts": [attempt.as_json() for attempt in self.attempts],
        }
