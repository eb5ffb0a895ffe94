"""Where platform events go: EventBridge in AWS and on the local stack."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from shared.domain.platform_events import PlatformEvent


class EventBus(ABC):
    @abstractmethod
    def publish(self, event: PlatformEvent) -> None: ...

    def publish_many(self, events: Sequence[PlatformEvent]) -> None:
        """Publish each event, in order (an adapter may send several per call)."""
        for event in events:
            self.publish(event)
