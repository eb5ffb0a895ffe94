"""The sync worker's SQS FIFO queue: the message groups of shared/ports/work_queue.py, our own deduplication ids."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from shared.adapters.aws_client import AwsClient
from shared.ports.work_queue import WorkQueue


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
