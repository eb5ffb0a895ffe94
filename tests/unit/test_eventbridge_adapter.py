"""PutEvents answers 200 even when it refused the entry; the EventBridge adapter must not lose that, nor
send a call past PutEvents's 256 KB."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.adapters.eventbridge import PUT_EVENTS_BYTES, EventBridgeBus, EventPublishError, entry_bytes
from shared.domain.platform_events import EventType, PlatformEvent
from shared.fakes.clock import DEFAULT_START


def a_connected_event() -> PlatformEvent:
    return PlatformEvent(
        type=EventType.CONNECTION_CONNECTED,
        tenant_id="tenant-1",
        occurred_at=DEFAULT_START,
        data={"organisation": "Demo"},
    )


class RefusingEventBridge:
    """EventBridge as it answers when it refuses an entry (moto has no way to make it refuse one)."""

    def put_events(self, **_: Any) -> dict[str, Any]:
        return {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "try again"}]}


def test_an_entry_eventbridge_refused_is_raised() -> None:
    # Given EventBridge refusing the entry / When an event is published / Then the refusal is raised
    with pytest.raises(EventPublishError, match="InternalFailure"):
        EventBridgeBus("bus", client=RefusingEventBridge()).publish(a_connected_event())


class CountingEventBridge:
    """EventBridge that accepts every entry and keeps each call's entries."""

    def __init__(self) -> None:
        self.calls: list[list[dict[str, Any]]] = []

    def put_events(self, **request: Any) -> dict[str, Any]:
        self.calls.append(request["Entries"])
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "e"} for _ in request["Entries"]]}


def an_updated_invoice(body_bytes: int) -> PlatformEvent:
    return PlatformEvent(
        type=EventType.RECORD_UPDATED,
        tenant_id="tenant-1",
        occurred_at=DEFAULT_START,
        data={"entity": "invoice", "platform_id": "xero-1", "version": 2, "body": {"description": "x" * body_bytes}},
    )


def test_large_events_are_sent_in_calls_within_eventbridge_s_256_kb() -> None:
    # Given ten events of 60 KB each (ten would fit PutEvents's count, not its 256 KB)
    bridge = CountingEventBridge()
    # When they are published
    EventBridgeBus("bus", client=bridge).publish_many([an_updated_invoice(60_000) for _ in range(10)])
    # Then every event went, in calls of at most 256 KB
    assert sum(len(call) for call in bridge.calls) == 10
    assert all(sum(entry_bytes(entry) for entry in call) <= PUT_EVENTS_BYTES for call in bridge.calls)
    assert [len(call) for call in bridge.calls] == [4, 4, 2]


def test_an_event_over_256_kb_alone_goes_without_its_bodies() -> None:
    # Given a change whose body alone passes EventBridge's limit, between two small ones
    bridge = CountingEventBridge()
    events = [an_updated_invoice(10), an_updated_invoice(300_000), an_updated_invoice(10)]
    # When they are published
    EventBridgeBus("bus", client=bridge).publish_many(events)
    # Then it goes, in order, with its identity and cursor fields but without the body, saying so
    sent = [json.loads(entry["Detail"])["data"] for call in bridge.calls for entry in call]
    assert ["body" in data for data in sent] == [True, False, True]
    assert (sent[1]["platform_id"], sent[1]["version"], sent[1]["bodies_omitted"]) == ("xero-1", 2, True)
