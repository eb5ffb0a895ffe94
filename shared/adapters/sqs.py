"""The sync worker's SQS FIFO queue: the message groups of shared/ports/work_queue.py, our own deduplication ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from shared.adapters.aws_client import AwsClient
from shared.observability import logger
from shared.ports.work_queue import SQS_BATCH, OutgoingMessage, WorkQueue


class SqsWorkQueue(WorkQueue):
    def __init__(self, queue_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._queue_name = queue_name
        self._client = AwsClient("sqs", region_name, client)
        self._queue_url: str | None = None

    def _url(self) -> str:
        if self._queue_url is None:
            self._queue_url = str(self._client().get_queue_url(QueueName=self._queue_name)["QueueUrl"])
        return self._queue_url

    def send(self, group_id: str, deduplication_id: str, message: BaseModel) -> None:
        """SendMessage with the model's JSON; a repeat of `deduplication_id` within SQS's five-minute
        window is accepted and dropped by SQS itself (content-based deduplication is off)."""
        self._client().send_message(
            QueueUrl=self._url(),
            MessageBody=message.model_dump_json(),
            MessageGroupId=group_id,
            MessageDeduplicationId=deduplication_id,
        )

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[OutgoingMessage]:
        """SendMessageBatch, SQS_BATCH messages a call (IAM authorises it as sqs:SendMessage). SQS answers
        each entry apart: the ones it failed are returned, the call's other entries are enqueued."""
        refused: list[OutgoingMessage] = []
        for start in range(0, len(messages), SQS_BATCH):
            chunk = messages[start : start + SQS_BATCH]
            answer = self._client().send_message_batch(
                QueueUrl=self._url(),
                Entries=[
                    {
                        "Id": str(index),
                        "MessageBody": outgoing.message.model_dump_json(),
                        "MessageGroupId": outgoing.group_id,
                        "MessageDeduplicationId": outgoing.deduplication_id,
                    }
                    for index, outgoing in enumerate(chunk)
                ],
            )
            for failure in answer.get("Failed", []):
                logger.warning(
                    "SQS refused a message of a batch",
                    extra={"code": failure.get("Code"), "sender_fault": failure.get("SenderFault")},
                )
                refused.append(chunk[int(failure["Id"])])
        return refused
