"""The EventBridge adapter against moto: an event reaches the bus as the platform will read it."""

from __future__ import annotations

from local_stack.event_capture import captured_events
from shared.adapters.eventbridge import EventBridgeBus
from tests.integration.conftest import Stage
from tests.unit.test_eventbridge_adapter import a_connected_event


def test_a_published_event_reaches_the_bus_with_source_type_and_detail(stage: Stage) -> None:
    # Given the stage's bus / When a connected event is published
    EventBridgeBus(stage.names.event_bus).publish(a_connected_event())
    # Then the capture rule delivered it with xero-sync's source, its type and its detail
    [event] = captured_events(stage.names)
    assert (event["source"], event["detail-type"], event["detail"]) == (
        "xero-sync",
        "connection.connected",
        a_connected_event().detail(),
    )


def test_captured_events_are_read_once(stage: Stage) -> None:
    # Given an event published and read
    EventBridgeBus(stage.names.event_bus).publish(a_connected_event())
    captured_events(stage.names)
    # When the capture is read again / Then it is empty
    assert captured_events(stage.names) == []


def test_many_events_reach_the_bus_in_calls_of_ten_all_of_them(stage: Stage) -> None:
    # Given 23 events (PutEvents takes at most 10 entries a call)
    events = [a_connected_event().model_copy(update={"tenant_id": f"tenant-{n}"}) for n in range(23)]
    # When they are published together
    EventBridgeBus(stage.names.event_bus).publish_many(events)
    # Then every one reached the bus
    delivered = captured_events(stage.names)
    assert sorted(event["detail"]["tenant_id"] for event in delivered) == sorted(e.tenant_id for e in events)
