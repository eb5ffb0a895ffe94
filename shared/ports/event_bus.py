"""Where platform events go: EventBridge in AWS and on the local stack."""

from __future__ import annotations

from abc import ABC, abstractmethod

from shared.domain.platform_events import PlatformEvent


class EventBus(ABC):
    @abstractmethod
    def publish(self, event: PlatformEvent) -> None: ...
