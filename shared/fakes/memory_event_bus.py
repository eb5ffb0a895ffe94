"""An in-memory EventBus that keeps every published event, in order, for tests to read."""

from __future__ import annotations

import threading

from shared.domain.platform_events import EventType, PlatformEvent
from shared.ports.event_bus import EventBus


class MemoryEventBus(EventBus):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.events: list[PlatformEvent] = []

    def publish(self, event: PlatformEvent) -> None:
        with self._lock:
            self.events.append(event.model_copy(deep=True))

    def of_type(self, event_type: EventType) -> list[PlatformEvent]:
        """The published events of one type, in publishing order."""
        with self._lock:
            return [event for event in self.events if event.type == event_type]
