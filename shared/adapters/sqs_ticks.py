"""The watch's ticks on their SQS standard queue: a FIFO queue cannot delay one message
(DelaySeconds is per queue there), a standard one can (0 to 900 seconds)."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from shared.adapters.aws_client import AwsClient
from shared.domain.inbound.watch import WatchTick
from shared.ports.reference_watch import TickQueue

MAX_DELAY_SECONDS = 900


class SqsTickQueue(TickQueue):
    def __init__(self, queue_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._queue_name = queue_name
        self._client = AwsClient("sqs", region_name, client)
        self._queue_url: str | None = None

    def _url(self) -> str:
        if self._queue_url is None:
            self._queue_url = str(self._client().get_queue_url(QueueName=self._queue_name)["QueueUrl"])
        return self._queue_url

    def send_later(self, tick: WatchTick, delay: timedelta) -> None:
        seconds = min(MAX_DELAY_SECONDS, max(0, math.ceil(delay.total_seconds())))
        self._client().send_message(QueueUrl=self._url(), MessageBody=tick.model_dump_json(), DelaySeconds=seconds)
