"""The in-memory work queue, event bus, app secrets and clock behave as their AWS counterparts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.domain.platform_events import EventType, PlatformEvent
from shared.domain.webhook_events import ChangeNotice
from shared.fakes.clock import DEFAULT_START, SettableClock
from shared.fakes.memory_app_secrets import MemoryAppSecrets
from shared.fakes.memory_event_bus import MemoryEventBus
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.ports.app_secrets import AppNotConfiguredError


def a_notice(resource_id: str = "contact-1") -> ChangeNotice:
    return ChangeNotice(
        tenant_id="tenant-1",
        xero_tenant_id="org-1",
        category="CONTACT",
        event_type="UPDATE",
        resource_id=resource_id,
        event_date_utc="2026-01-05T09:00:00.000",
        receipt_key=f"receipt-{resource_id}",
    )


def test_a_sent_message_is_kept_as_json_in_its_group() -> None:
    # Given a queue / When a notice is sent for tenant-1
    queue = MemoryWorkQueue(SettableClock())
    queue.send("tenant-1", "dedupe-1", a_notice())
    # Then its JSON is in tenant-1's group
    assert [ChangeNotice.model_validate_json(body) for body in queue.bodies("tenant-1")] == [a_notice()]


def test_a_repeated_deduplication_id_within_five_minutes_is_dropped() -> None:
    # Given a message sent
    clock = SettableClock()
    queue = MemoryWorkQueue(clock)
    queue.send("tenant-1", "dedupe-1", a_notice("a"))
    # When another with the same deduplication id comes 4:59 later, even in another group
    clock.advance(timedelta(minutes=4, seconds=59))
    queue.send("tenant-2", "dedupe-1", a_notice("b"))
    # Then only the first is delivered
    assert len(queue.messages) == 1


def test_a_deduplication_id_is_accepted_again_after_five_minutes() -> None:
    # Given a message sent
    clock = SettableClock()
    queue = MemoryWorkQueue(clock)
    queue.send("tenant-1", "dedupe-1", a_notice())
    # When the same id is sent five minutes later / Then it is delivered again
    clock.advance(timedelta(minutes=5))
    queue.send("tenant-1", "dedupe-1", a_notice())
    assert len(queue.messages) == 2


def test_published_events_are_kept_in_order() -> None:
    # Given a bus / When two events are published
    bus = MemoryEventBus()
    connected = PlatformEvent(type=EventType.CONNECTION_CONNECTED, tenant_id="t1", occurred_at=DEFAULT_START)
    lost = PlatformEvent(type=EventType.CONNECTION_NEEDS_REAUTH, tenant_id="t1", occurred_at=DEFAULT_START)
    bus.publish(connected)
    bus.publish(lost)
    # Then both are kept in publishing order
    assert bus.events == [connected, lost]


def test_an_unfilled_xero_app_secret_is_not_configured() -> None:
    # Given app secrets the operator has not filled / When the Xero app is asked for / Then it is refused
    with pytest.raises(AppNotConfiguredError):
        MemoryAppSecrets(client_id=None, client_secret=None).xero_app()


def test_an_unfilled_webhook_key_is_not_configured() -> None:
    # Given an empty webhook key / When it is asked for / Then it is refused
    with pytest.raises(AppNotConfiguredError):
        MemoryAppSecrets(webhook_key="").webhook_key()


def test_the_settable_clock_moves_only_when_told() -> None:
    # Given a clock at its start
    clock = SettableClock()
    # When it is advanced by 90 seconds / Then it reads exactly that much later, and stays there
    clock.advance(90)
    assert clock.now() == DEFAULT_START + timedelta(seconds=90)
    assert clock.now() == DEFAULT_START + timedelta(seconds=90)
