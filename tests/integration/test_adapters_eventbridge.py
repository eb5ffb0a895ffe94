"""The EventBridge adapter against moto: an event reaches the bus as the platform will read it."""

from __future__ import annotations

from local_stack.event_capture import captured_events
from shared.adapters.eventbridge import EventBridgeBus
from tests.integration.conftest import Stage
from tests.unit.test_eventbridge_refusal import a_connected_event


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
