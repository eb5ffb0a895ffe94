"""The sync worker's SQS FIFO queue (the message groups of shared/ports/work_queue.py, our own deduplication
ids), and the accounts watch's standard queue of delayed ticks (shared/ports/reference_watch.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from shared.adapters.aws_client import AwsClient
from shared.domain.inbound.watch import WatchTick
from shared.observability import logger
from shared.ports.reference_watch import TickQueue
from shared.ports.work_queue import SQS_BATCH, OutgoingMessage, WorkQueue


class _NamedQueue:
    """A queue found by its name on first use (GetQueueUrl), then by its URL."""

    def __init__(self, queue_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._queue_name = queue_name
        self._client = AwsClient("sqs", region_name, client)
        self._queue_url: str | None = None

    def _url(self) -> str:
        if self._queue_url is None:
            self._queue_url = str(self._client().get_queue_url(QueueName=self._queue_name)["QueueUrl"])
        return self._queue_url


class SqsWorkQueue(_NamedQueue, WorkQueue):
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


# SQS delays one message by 0 to 900 seconds.
MAX_DELAY_SECONDS = 900


class SqsTickQueue(_NamedQueue, TickQueue):
    """The accounts watch's ticks on their SQS standard queue: a FIFO queue cannot delay one message
    (DelaySeconds is per queue there), a standard one can."""

    def send_later(self, tick: WatchTick, delay: timedelta) -> None:
        seconds = min(MAX_DELAY_SECONDS, max(0, math.ceil(delay.total_seconds())))
        self._client().send_message(QueueUrl=self._url(), MessageBody=tick.model_dump_json(), DelaySeconds=seconds)
