"""The SQS FIFO queue of work for the sync worker; one message group per tenant keeps its work in order."""

from __future__ import annotations

from abc import ABC, abstractmethod

from pydantic import BaseModel


class WorkQueue(ABC):
    @abstractmethod
    def send(self, group_id: str, deduplication_id: str, message: BaseModel) -> None:
        """Enqueue `message` as JSON; SQS drops a repeat of `deduplication_id` within 5 minutes."""
