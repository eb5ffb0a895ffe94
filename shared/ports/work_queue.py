"""The SQS FIFO queue of work for the sync worker.

Two message groups per tenant, each kept in order: the tenant's sync requests (group = tenant id)
and the Xero change notices the webhook takes for it (`<tenant>#changes`). Apart, a storm of
webhooks (each write to Xero echoes back as one) never queues in front of the push's own requests,
and each tenant still has at most one batch of each kind in flight.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel

# SQS takes at most ten messages a SendMessageBatch call.
SQS_BATCH = 10


def sync_requests_group(tenant_id: str) -> str:
    """The message group of a tenant's sync requests."""
    return tenant_id


def change_notices_group(tenant_id: str) -> str:
    """The message group of the Xero change notices for a tenant."""
    return f"{tenant_id}#changes"


@dataclass(frozen=True)
class OutgoingMessage:
    """One message of a batch to enqueue: its group, its deduplication id, the model sent as JSON."""

    group_id: str
    deduplication_id: str
    message: BaseModel


class WorkQueue(ABC):
    @abstractmethod
    def send(self, group_id: str, deduplication_id: str, message: BaseModel) -> None:
        """Enqueue `message` as JSON; SQS drops a repeat of `deduplication_id` within 5 minutes."""

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[OutgoingMessage]:
        """Enqueue `messages`, as `send` would each (SQS_BATCH a call where the queue batches); the ones
        the queue refused, to be tried again later. Order within a message group is kept."""
        for outgoing in messages:
            self.send(outgoing.group_id, outgoing.deduplication_id, outgoing.message)
        return []
