"""In-memory watches and tick queue (shared/ports/reference_watch.py)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.clock import Clock, SystemClock
from shared.domain.inbound.watch import Watch, WatchTick
from shared.ports.reference_watch import TickQueue, Watches


class MemoryWatches(Watches):
    def __init__(self) -> None:
        self._watches: dict[str, Watch] = {}

    def get(self, tenant_id: str) -> Watch | None:
        return self._watches.get(tenant_id)

    def put(self, watch: Watch) -> None:
        self._watches[watch.tenant_id] = watch


@dataclass(frozen=True)
class DelayedTick:
    tick: WatchTick
    due_at: datetime


class MemoryTickQueue(TickQueue):
    """Keeps each tick with the instant it becomes visible; `due` takes the visible ones."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self.sent: list[DelayedTick] = []

    def send_later(self, tick: WatchTick, delay: timedelta) -> None:
        with self._lock:
            self.sent.append(DelayedTick(tick, self._clock.now() + delay))

    def due(self) -> list[WatchTick]:
        now = self._clock.now()
        with self._lock:
            taken = [sent.tick for sent in self.sent if sent.due_at <= now]
            self.sent = [sent for sent in self.sent if sent.due_at > now]
        return taken
