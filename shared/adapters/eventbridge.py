"""Platform events onto the stage's EventBridge bus (schema: docs/events.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shared.adapters.aws_client import AwsClient
from shared.domain.platform_events import EVENT_SOURCE, PlatformEvent
from shared.ports.event_bus import EventBus

PUT_EVENTS_LIMIT = 10  # entries per PutEvents call
# The entries of one PutEvents call may total 256 KB, each counted as its Time (14 bytes) and the UTF-8
# bytes of its Source, DetailType and Detail (EventBridge user guide, "Calculating PutEvents event entry size").
PUT_EVENTS_BYTES = 256 * 1024
TIME_BYTES = 14


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
        """PutEvents with up to 10 entries and 256 KB a call (its limits); an event that alone would pass
        256 KB goes without its bodies (PlatformEvent.without_bodies). Raises EventPublishError naming
        the first refused entry once every call was made."""
        refused: list[str] = []
        for chunk in self._calls(events):
            answer = self._client().put_events(Entries=[entry for _, entry in chunk])
            if answer.get("FailedEntryCount", 0) > 0:
                refused.extend(
                    f"{event.type.value}: {entry.get('ErrorCode')} {entry.get('ErrorMessage')}"
                    for (event, _), entry in zip(chunk, answer["Entries"], strict=True)
                    if entry.get("ErrorCode")
                )
        if refused:
            raise EventPublishError(refused[0])

    def _calls(self, events: Sequence[PlatformEvent]) -> list[list[tuple[PlatformEvent, dict[str, Any]]]]:
        """The events as PutEvents calls, in order, each within both limits."""
        calls: list[list[tuple[PlatformEvent, dict[str, Any]]]] = [[]]
        size = 0
        for event in events:
            entry = self._entry(event)
            if entry_bytes(entry) > PUT_EVENTS_BYTES:
                event = event.without_bodies()  # noqa: PLW2901 - what is sent in its place
                entry = self._entry(event)
            if len(calls[-1]) == PUT_EVENTS_LIMIT or size + entry_bytes(entry) > PUT_EVENTS_BYTES:
                calls.append([])
                size = 0
            calls[-1].append((event, entry))
            size += entry_bytes(entry)
        return [call for call in calls if call]

    def _entry(self, event: PlatformEvent) -> dict[str, Any]:
        return {
            "Source": EVENT_SOURCE,
            "DetailType": event.type.value,
            "Detail": json.dumps(event.detail()),
            "EventBusName": self._bus_name,
            "Time": event.occurred_at,
        }


def entry_bytes(entry: dict[str, Any]) -> int:
    """A PutEvents entry's size as EventBridge counts it against the 256 KB of a call."""
    texts = (entry["Source"], entry["DetailType"], entry["Detail"])
    return TIME_BYTES + sum(len(text.encode()) for text in texts)
