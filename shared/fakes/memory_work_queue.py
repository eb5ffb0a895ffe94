"""An in-memory WorkQueue that keeps sent messages and drops repeats as an SQS FIFO queue does."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel

from shared.clock import Clock, SystemClock
from shared.ports.work_queue import WorkQueue

# SQS FIFO's deduplication interval: a message with an id already accepted in the last 5 minutes is
# accepted (no error) but not delivered; the scope is the whole queue, not the message group.
DEDUPLICATION_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class SentMessage:
    group_id: str
    deduplication_id: str
    body: str  # the model's JSON, exactly as SQS would receive it
    sent_at: datetime


class MemoryWorkQueue(WorkQueue):
    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._accepted_at: dict[str, datetime] = {}
        self.messages: list[SentMessage] = []

    def send(self, group_id: str, deduplication_id: str, message: BaseModel) -> None:
        now = self._clock.now()
        with self._lock:
            first = self._accepted_at.get(deduplication_id)
            if first is not None and now < first + DEDUPLICATION_INTERVAL:
                return
            self._accepted_at[deduplication_id] = now
            self.messages.append(SentMessage(group_id, deduplication_id, message.model_dump_json(), now))

    def bodies(self, group_id: str | None = None) -> list[str]:
        """The JSON bodies delivered so far, optionally of one message group, in sending order."""
        with self._lock:
            return [m.body for m in self.messages if group_id is None or m.group_id == group_id]
