"""The SQS adapter against moto: messages land in the FIFO work queue with their group and are
deduplicated by our id."""

from __future__ import annotations

from typing import Any

import boto3

from shared.adapters.sqs import SqsWorkQueue
from shared.domain.webhook_events import ChangeNotice
from shared.ports.work_queue import OutgoingMessage
from tests.integration.conftest import Stage


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


def received(stage: Stage) -> list[dict[str, Any]]:
    answer = boto3.client("sqs").receive_message(
        QueueUrl=stage.resources.work_queue_url, MaxNumberOfMessages=10, AttributeNames=["MessageGroupId"]
    )
    messages: list[dict[str, Any]] = answer.get("Messages", [])
    return messages


def test_a_sent_message_is_the_model_json_in_the_tenant_group(stage: Stage) -> None:
    # Given the work queue / When a notice is sent for tenant-1
    SqsWorkQueue(stage.names.work_queue).send("tenant-1", "dedupe-1", a_notice())
    # Then one message holds its JSON in tenant-1's group
    [message] = received(stage)
    assert ChangeNotice.model_validate_json(message["Body"]) == a_notice()
    assert message["Attributes"]["MessageGroupId"] == "tenant-1"


def test_a_repeated_deduplication_id_is_delivered_once(stage: Stage) -> None:
    # Given a notice sent / When another body is sent with the same deduplication id
    queue = SqsWorkQueue(stage.names.work_queue)
    queue.send("tenant-1", "dedupe-1", a_notice("a"))
    queue.send("tenant-1", "dedupe-1", a_notice("b"))
    # Then only the first is delivered
    assert [ChangeNotice.model_validate_json(m["Body"]).resource_id for m in received(stage)] == ["a"]


def test_a_batch_is_sent_ten_messages_a_call_each_in_its_group(stage: Stage) -> None:
    # Given 25 notices for 25 tenants, and a client that counts SendMessageBatch calls
    client = boto3.client("sqs")
    calls: list[int] = []

    def counted(**params: Any) -> Any:
        calls.append(len(params["Entries"]))
        return boto3.client("sqs").send_message_batch(**params)

    client.send_message_batch = counted
    batch = [OutgoingMessage(f"tenant-{n}", f"dedupe-{n}", a_notice(f"contact-{n}")) for n in range(25)]
    # When the batch is sent
    refused = SqsWorkQueue(stage.names.work_queue, client=client).send_batch(batch)
    # Then none is refused, three calls carried 10, 10 and 5, and all 25 are in their groups
    assert (refused, calls) == ([], [10, 10, 5])
    delivered = [message for _ in range(4) for message in received(stage)]
    groups = {message["Attributes"]["MessageGroupId"]: message["Body"] for message in delivered}
    assert groups == {f"tenant-{n}": a_notice(f"contact-{n}").model_dump_json() for n in range(25)}
