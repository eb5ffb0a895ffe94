"""Platform events onto the stage's EventBridge bus (schema: docs/events.md)."""

from __future__ import annotations

import json
from typing import Any

from shared.adapters.aws_client import AwsClient
from shared.domain.platform_events import EVENT_SOURCE, PlatformEvent
from shared.ports.event_bus import EventBus


class EventPublishError(Exception):
    """EventBridge accepted the call but refused the entry (PutEvents reports failures per entry)."""


class EventBridgeBus(EventBus):
    def __init__(self, bus_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._bus_name = bus_name
        self._client = AwsClient("events", region_name, client)

    def publish(self, event: PlatformEvent) -> None:
        """One PutEvents entry; raises EventPublishError if EventBridge refused it, since PutEvents
        answers 200 even when every entry failed."""
        answer = self._client().put_events(
            Entries=[
                {
                    "Source": EVENT_SOURCE,
                    "DetailType": event.type.value,
                    "Detail": json.dumps(event.detail()),
                    "EventBusName": self._bus_name,
                    "Time": event.occurred_at,
                }
            ]
        )
        if answer.get("FailedEntryCount", 0) > 0:
            entry = answer["Entries"][0]
            raise EventPublishError(f"{event.type.value}: {entry.get('ErrorCode')} {entry.get('ErrorMessage')}")
