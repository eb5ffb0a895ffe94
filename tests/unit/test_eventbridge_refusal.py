"""PutEvents answers 200 even when it refused the entry; the EventBridge adapter must not lose that."""

from __future__ import annotations

from typing import Any

import pytest

from shared.adapters.eventbridge import EventBridgeBus, EventPublishError
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
