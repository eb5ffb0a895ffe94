"""Where the watch on a tenant's accounts is kept, and the queue of its delayed ticks
(shared/domain/inbound/watch.py)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import timedelta

from shared.domain.inbound.watch import Watch, WatchTick


class Watches(ABC):
    @abstractmethod
    def get(self, tenant_id: str) -> Watch | None: ...

    @abstractmethod
    def put(self, watch: Watch) -> None: ...


class TickQueue(ABC):
    @abstractmethod
    def send_later(self, tick: WatchTick, delay: timedelta) -> None:
        """Deliver `tick` to the sync worker after `delay` (whole seconds, SQS's unit)."""
