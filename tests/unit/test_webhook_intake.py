"""Webhook intake over fakes: Xero's signature rules (FACTS.md §2.2, §2.3), the split per tenant into one
message per (delivery, tenant), and dedupe."""

from __future__ import annotations

import hmac
import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from shared.domain.connections import ConnectionStatus
from shared.domain.webhook_events import ChangeNotice, ChangeNotices
from shared.fakes.memory_state import MemoryWebhookReceipts
from shared.usecases.webhook_intake import (
    NOTICES_PER_MESSAGE,
    DeliveryNotStoredError,
    SignatureRejectedError,
    UnreadableDeliveryError,
)
from tests.unit.intake_fakes import WEBHOOK_KEY, IntakeWorld
from tests.webhook_deliveries import change_event, intent_to_receive, signed_delivery
from xero_simulator.webhooks.signature import sign

ORG_A = "8c1b8f1e-0a55-4d8c-9a2e-0d6f5f1a0a01"
ORG_B = "5f0c3a77-6b0e-4a55-8f44-1c2d3e4f5a02"


@pytest.fixture
def world() -> IntakeWorld:
    return IntakeWorld()


def messages(world: IntakeWorld) -> list[ChangeNotices]:
    return [ChangeNotices.model_validate_json(m.body) for m in world.queue.messages]


def notices(world: IntakeWorld) -> list[ChangeNotice]:
    return [notice for message in messages(world) for notice in message.notices]


def test_signature_over_the_raw_bytes_with_xeros_spacing_is_accepted(world: IntakeWorld) -> None:
    # Given a delivery in Xero's own spacing, signed over those bytes
    world.connect("tenant-1", ORG_A)
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A)])
    assert b'"events":[{' in delivery.body
    assert b'"firstEventSequence": 1' in delivery.body
    # When it is received as sent
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then it is taken: a receiver that re-serialised before hashing would have refused it
    assert report.enqueued == 1


def test_reserialised_body_does_not_match_xeros_signature(world: IntakeWorld) -> None:
    # Given Xero's signature and the same payload parsed and written out again
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A)])
    reserialised = json.dumps(json.loads(delivery.body)).encode()
    assert json.loads(reserialised) == json.loads(delivery.body)
    # When the re-serialised bytes are received with Xero's signature
    # Then the signature is refused: it covers the bytes, not the JSON they mean
    with pytest.raises(SignatureRejectedError):
        world.intake.receive(reserialised, delivery.signature)


def test_delivery_without_a_signature_is_rejected(world: IntakeWorld) -> None:
    # Given a delivery whose x-xero-signature header is missing
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A)])
    # When it is received
    # Then it is refused
    with pytest.raises(SignatureRejectedError):
        world.intake.receive(delivery.body, None)


def test_delivery_signed_with_another_key_is_rejected_and_enqueues_nothing(world: IntakeWorld) -> None:
    # Given a connected tenant and a delivery signed with a key that is not our webhook key
    world.connect("tenant-1", ORG_A)
    forged = signed_delivery("not-our-webhook-key", [change_event(ORG_A)])
    # When it is received
    with pytest.raises(SignatureRejectedError):
        world.intake.receive(forged.body, forged.signature)
    # Then nothing was enqueued
    assert world.queue.messages == []


def test_signature_is_compared_in_constant_time(world: IntakeWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given hmac.compare_digest wrapped so that its calls are seen
    compared: list[tuple[Any, Any]] = []
    real_compare = hmac.compare_digest

    def seen_compare(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return real_compare(a, b)

    monkeypatch.setattr(hmac, "compare_digest", seen_compare)
    delivery = intent_to_receive(WEBHOOK_KEY)
    # When a delivery is received
    world.intake.receive(delivery.body, delivery.signature)
    # Then the expected and given signatures went through the constant-time comparison
    assert compared == [(delivery.signature.encode(), delivery.signature.encode())]


def test_correctly_signed_intent_to_receive_is_taken_and_enqueues_nothing(world: IntakeWorld) -> None:
    # Given Xero's Intent to Receive request, correctly signed
    request = intent_to_receive(WEBHOOK_KEY)
    # When it is received
    report = world.intake.receive(request.body, request.signature)
    # Then it is taken as Intent to Receive and nothing is enqueued
    assert report.intent_to_receive
    assert world.queue.messages == []


def test_incorrectly_signed_intent_to_receive_is_rejected(world: IntakeWorld) -> None:
    # Given an Intent to Receive request with a deliberately wrong signature, as Xero sends half of them
    request = intent_to_receive(WEBHOOK_KEY)
    wrong = sign("a-key-nobody-holds", request.body)
    # When it is received
    # Then it is refused
    with pytest.raises(SignatureRejectedError):
        world.intake.receive(request.body, wrong)


def test_events_of_one_delivery_are_split_per_tenant(world: IntakeWorld) -> None:
    # Given two tenants connected to two organisations, and one delivery with events of both
    world.connect("tenant-a", ORG_A)
    world.connect("tenant-b", ORG_B)
    event_a = change_event(ORG_A, category="INVOICE")
    event_b = change_event(ORG_B, category="CONTACT")
    delivery = signed_delivery(WEBHOOK_KEY, [event_a, event_b])
    # When it is received
    world.intake.receive(delivery.body, delivery.signature)
    # Then each event is in its own tenant's group of change notices, apart from its sync requests
    sent = {
        (m.group_id, notice.resource_id)
        for m in world.queue.messages
        for notice in ChangeNotices.model_validate_json(m.body).notices
    }
    assert sent == {("tenant-a#changes", event_a["resourceId"]), ("tenant-b#changes", event_b["resourceId"])}


def test_change_notice_carries_the_event_intact(world: IntakeWorld) -> None:
    # Given a connected tenant and an event of its organisation
    world.connect("tenant-a", ORG_A)
    event = change_event(ORG_A, category="INVOICE", event_type="CREATE")
    delivery = signed_delivery(WEBHOOK_KEY, [event])
    # When it is received
    world.intake.receive(delivery.body, delivery.signature)
    # Then the notice says which record of which organisation changed, and how
    [notice] = notices(world)
    assert (notice.tenant_id, notice.xero_tenant_id, notice.category, notice.event_type) == (
        "tenant-a",
        ORG_A,
        "INVOICE",
        "CREATE",
    )
    assert (notice.resource_id, notice.event_date_utc) == (event["resourceId"], event["eventDateUtc"])
    [message] = messages(world)
    assert (message.tenant_id, world.queue.messages[0].deduplication_id) == ("tenant-a", message.deduplication_id())


def test_event_of_an_organisation_nobody_connected_is_dropped_and_counted(world: IntakeWorld) -> None:
    # Given a delivery with an event of an organisation none of our tenants connected
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_B)])
    # When it is received
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then it is dropped and counted
    assert (report.dropped_unknown_tenant, report.enqueued) == (1, 0)
    assert world.queue.messages == []


@pytest.mark.parametrize("status", [ConnectionStatus.DISCONNECTED, ConnectionStatus.NEEDS_REAUTH])
def test_event_for_a_tenant_not_connected_is_dropped_and_counted(world: IntakeWorld, status: ConnectionStatus) -> None:
    # Given a tenant whose connection to the organisation is no longer live
    world.connect("tenant-a", ORG_A, status)
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A)])
    # When an event of that organisation arrives
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then it is dropped and counted
    assert (report.dropped_not_connected, report.enqueued) == (1, 0)
    assert world.queue.messages == []


def test_two_tenants_connected_to_one_organisation_each_get_its_event(world: IntakeWorld) -> None:
    # Given two of our tenants connected to the same organisation
    world.connect("tenant-a", ORG_A)
    world.connect("tenant-b", ORG_A)
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A)])
    # When one event of it arrives
    world.intake.receive(delivery.body, delivery.signature)
    # Then both tenants get it (the queue's dedupe spans groups, so their notices need distinct ids)
    assert sorted(m.group_id for m in world.queue.messages) == ["tenant-a#changes", "tenant-b#changes"]


def test_duplicate_delivery_enqueues_once(world: IntakeWorld) -> None:
    # Given a connected tenant and a delivery that Xero sends twice
    world.connect("tenant-a", ORG_A)
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A)])
    world.intake.receive(delivery.body, delivery.signature)
    # When the duplicate arrives
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then it is counted as a duplicate and enqueued no second time
    assert (report.duplicates, report.enqueued) == (1, 0)
    assert len(world.queue.messages) == 1


def test_xero_retry_after_ten_minutes_enqueues_once(world: IntakeWorld) -> None:
    # Given an event already enqueued for a connected tenant
    world.connect("tenant-a", ORG_A)
    event = change_event(ORG_A)
    first = signed_delivery(WEBHOOK_KEY, [event])
    world.intake.receive(first.body, first.signature)
    # When Xero retries it 10 minutes later, past SQS FIFO's 5-minute dedupe, in a new delivery
    world.clock.advance(timedelta(minutes=10))
    retry = signed_delivery(WEBHOOK_KEY, [event], first_sequence=7)
    world.intake.receive(retry.body, retry.signature)
    # Then it was enqueued once
    assert len(world.queue.messages) == 1


def test_receipt_outlasts_xeros_24_hours_of_retries(world: IntakeWorld) -> None:
    # Given an event already enqueued
    world.connect("tenant-a", ORG_A)
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A)])
    world.intake.receive(delivery.body, delivery.signature)
    # When Xero's last retry comes 24 hours later
    world.clock.advance(timedelta(hours=24, minutes=1))
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then it is still a duplicate
    assert report.duplicates == 1


def test_failed_enqueue_fails_the_delivery(world: IntakeWorld) -> None:
    # Given a connected tenant and a queue that refuses the next message
    world.connect("tenant-a", ORG_A)
    world.queue.fail()
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A)])
    # When a delivery arrives
    # Then it fails, so that the answer makes Xero retry
    with pytest.raises(DeliveryNotStoredError):
        world.intake.receive(delivery.body, delivery.signature)


def test_xero_retry_after_a_failed_enqueue_enqueues_the_event(world: IntakeWorld) -> None:
    # Given a delivery whose enqueueing failed
    world.connect("tenant-a", ORG_A)
    world.queue.fail()
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A)])
    with pytest.raises(DeliveryNotStoredError):
        world.intake.receive(delivery.body, delivery.signature)
    # When Xero retries it
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then the event is enqueued, once
    assert report.enqueued == 1
    assert len(world.queue.messages) == 1


def test_retry_after_a_partly_enqueued_delivery_enqueues_only_the_rest(world: IntakeWorld) -> None:
    # Given a delivery for two tenants whose second tenant's message could not be enqueued
    world.connect("tenant-a", ORG_A)
    world.connect("tenant-b", ORG_B)
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A), change_event(ORG_B)])
    world.queue.fail(after=1)
    with pytest.raises(DeliveryNotStoredError):
        world.intake.receive(delivery.body, delivery.signature)
    # When Xero retries it
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then the first tenant's event is a duplicate and the second's is enqueued: each once
    assert (report.duplicates, report.enqueued) == (1, 1)
    assert sorted(m.group_id for m in world.queue.messages) == ["tenant-a#changes", "tenant-b#changes"]


def test_one_delivery_of_120_events_for_one_tenant_is_one_message(world: IntakeWorld) -> None:
    # Given a connected tenant and one delivery of 120 events of its organisation
    world.connect("tenant-a", ORG_A)
    events = [change_event(ORG_A, category="INVOICE") for _ in range(120)]
    delivery = signed_delivery(WEBHOOK_KEY, events)
    # When it is received
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then one message on the tenant's group of changes holds all 120 notices, in the delivery's order
    assert (report.enqueued, report.messages) == (120, 1)
    [message] = world.queue.messages
    assert message.group_id == "tenant-a#changes"
    assert [n.resource_id for n in notices(world)] == [e["resourceId"] for e in events]


def test_one_delivery_for_two_tenants_is_one_message_each(world: IntakeWorld) -> None:
    # Given two tenants connected to two organisations, and one delivery of 120 events mixing both
    world.connect("tenant-a", ORG_A)
    world.connect("tenant-b", ORG_B)
    events = [change_event(ORG_A if n % 3 else ORG_B) for n in range(120)]
    delivery = signed_delivery(WEBHOOK_KEY, events)
    # When it is received
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then each tenant has one message with its own events, 80 and 40
    assert report.messages == 2
    held = {m.tenant_id: len(m.notices) for m in messages(world)}
    assert held == {"tenant-a": 80, "tenant-b": 40}
    assert sorted(m.group_id for m in world.queue.messages) == ["tenant-a#changes", "tenant-b#changes"]


def test_more_events_than_a_message_holds_are_split_into_messages(world: IntakeWorld) -> None:
    # Given a connected tenant and a delivery of more events than one message may hold
    world.connect("tenant-a", ORG_A)
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A) for _ in range(NOTICES_PER_MESSAGE + 1)])
    # When it is received
    world.intake.receive(delivery.body, delivery.signature)
    # Then it is two messages, the second with the one left, each under its own deduplication id
    assert [len(m.notices) for m in messages(world)] == [NOTICES_PER_MESSAGE, 1]
    assert len({m.deduplication_id for m in world.queue.messages}) == 2


def test_a_full_message_stays_well_under_sqs_256_kb() -> None:
    # Given a message of as many notices as it may hold, with long tenant ids and Xero's longest event dates
    notice = ChangeNotice(
        tenant_id="t" * 64,
        xero_tenant_id=ORG_A,
        category="CREDITNOTE",
        event_type="UPDATE",
        resource_id=ORG_B,
        event_date_utc="2026-11-22T18:46:19.5165400",
        receipt_key="f" * 64,
    )
    full = ChangeNotices(tenant_id="t" * 64, notices=[notice] * NOTICES_PER_MESSAGE)
    # When it is written as the queue receives it / Then it leaves a quarter of SQS's limit free
    assert len(full.model_dump_json().encode()) < 0.8 * 256 * 1024


def test_a_repeated_event_in_a_new_delivery_is_not_enqueued_again(world: IntakeWorld) -> None:
    # Given a delivery of three events already taken
    world.connect("tenant-a", ORG_A)
    taken = [change_event(ORG_A) for _ in range(3)]
    first = signed_delivery(WEBHOOK_KEY, taken)
    world.intake.receive(first.body, first.signature)
    # When a later delivery repeats one of them beside a new event
    new = change_event(ORG_A)
    later = signed_delivery(WEBHOOK_KEY, [taken[1], new], first_sequence=4)
    report = world.intake.receive(later.body, later.signature)
    # Then its message holds only the new event
    assert (report.duplicates, report.enqueued) == (1, 1)
    assert [n.resource_id for n in messages(world)[-1].notices] == [new["resourceId"]]


def test_a_failed_send_forgets_the_receipts_of_every_event_not_sent(world: IntakeWorld) -> None:
    # Given two tenants, and a queue that takes the first tenant's message and refuses the second's
    world.connect("tenant-a", ORG_A)
    world.connect("tenant-b", ORG_B)
    events = [change_event(ORG_A), change_event(ORG_B), change_event(ORG_B)]
    delivery = signed_delivery(WEBHOOK_KEY, events)
    world.queue.fail(after=1)
    # When the delivery is received
    with pytest.raises(DeliveryNotStoredError):
        world.intake.receive(delivery.body, delivery.signature)
    # Then the receipts of tenant-b's two events are forgotten, and tenant-a's kept (its message was sent)
    retry = signed_delivery(WEBHOOK_KEY, events)
    report = world.intake.receive(retry.body, retry.signature)
    assert (report.duplicates, report.enqueued) == (1, 2)
    assert [len(m.notices) for m in messages(world) if m.tenant_id == "tenant-b"] == [2]


class ReceiptsFailingOnce(MemoryWebhookReceipts):
    """A receipts table that fails the `nth` receipt asked for, once."""

    def __init__(self, nth: int) -> None:
        super().__init__()
        self._left = nth

    def first_time(self, receipt_key: str, now: datetime, keep_for: timedelta) -> bool:
        self._left -= 1
        if self._left == 0:
            raise RuntimeError("DynamoDB is unavailable")
        return super().first_time(receipt_key, now, keep_for)


def test_a_receipt_store_failing_midway_forgets_the_receipts_already_taken() -> None:
    # Given a delivery of three events and a receipts table that fails on the third
    world = IntakeWorld(receipts=ReceiptsFailingOnce(nth=3))
    world.connect("tenant-a", ORG_A)
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A) for _ in range(3)])
    # When it is received / Then it fails and nothing was sent
    with pytest.raises(RuntimeError):
        world.intake.receive(delivery.body, delivery.signature)
    assert world.queue.messages == []
    # And Xero's retry enqueues all three: the two receipts taken were forgotten
    assert world.intake.receive(delivery.body, delivery.signature).enqueued == 3


def test_event_of_a_category_this_version_does_not_know_is_enqueued_and_counted(world: IntakeWorld) -> None:
    # Given an event of a category newer than this version (PREPAYMENT, Xero-OpenAPI 17.0.0)
    world.connect("tenant-a", ORG_A)
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG_A, category="PREPAYMENT")])
    # When it is received
    report = world.intake.receive(delivery.body, delivery.signature)
    # Then it is enqueued for the worker as it came, and counted
    assert (report.enqueued, report.unknown_category) == (1, 1)
    assert notices(world)[0].category == "PREPAYMENT"


def test_correctly_signed_body_that_is_not_xeros_payload_is_unreadable(world: IntakeWorld) -> None:
    # Given a correctly signed body missing the fields Xero's schema requires
    body = b'{"events": [{"resourceId": "x"}], "entropy": "ABC"}'
    # When it is received
    # Then it is unreadable (so the answer makes Xero retry rather than losing it), naming what is missing
    with pytest.raises(UnreadableDeliveryError, match=r"events\.0\.tenantId: missing"):
        world.intake.receive(body, sign(WEBHOOK_KEY, body))
