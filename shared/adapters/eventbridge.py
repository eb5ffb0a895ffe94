"""Platform events onto the stage's EventBridge bus (schema: docs/events.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shared.adapters.aws_client import AwsClient
from shared.domain.platform_events import EVENT_SOURCE, PlatformEvent
from shared.ports.event_bus import EventBus

PUT_EVENTS_LIMIT = 10  # entries per PutEvents call


class EventPublishError(Exception):
    """EventBridge accepted the call but refused the entry (PutEvents reports failures per entry)."""


class EventBridgeBus(EventBus):
    def __init__(self, bus_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._bus_name = bus_name
        self._client = AwsClient("events", region_name, client)

    def publish(self, event: PlatformEvent) -> None:
        """One PutEvents entry; raises EventPublishError if EventBridge refused it, since PutEvents
        answers 200 even when every entry failed."""
        self.publish_many([event])

    def publish_many(self, events: Sequence[PlatformEvent]) -> None:
        """PutEvents with up to 10 entries a call (its limit); raises EventPublishError naming the
        first refused entry once every call was made."""
        refused: list[str] = []
        for start in range(0, len(events), PUT_EVENTS_LIMIT):
            chunk = events[start : start + PUT_EVENTS_LIMIT]
            answer = self._client().put_events(Entries=[self._entry(event) for event in chunk])
            if answer.get("FailedEntryCount", 0) > 0:
                refused.extend(
                    f"{event.type.value}: {entry.get('ErrorCode')} {entry.get('ErrorMessage')}"
                    for event, entry in zip(chunk, answer["Entries"], strict=True)
                    if entry.get("ErrorCode")
                )
        if refused:
            raise EventPublishError(refused[0])

    def _entry(self, event: PlatformEvent) -> dict[str, Any]:
        return {
            "Source": EVENT_SOURCE,
            "DetailType": event.type.value,
            "Detail": json.dumps(event.detail()),
            "EventBusName": self._bus_name,
            "Time": event.occurred_at,
        }
