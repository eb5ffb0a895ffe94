"""Webhook intake over in-memory ports, with a queue that can be told to fail, for the unit tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from shared.domain.connections import Connection, ConnectionStatus
from shared.fakes.clock import SettableClock
from shared.fakes.memory_app_secrets import MemoryAppSecrets
from shared.fakes.memory_state import MemoryConnectionRepository, MemoryWebhookReceipts
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.usecases.webhook_intake import WebhookIntake

WEBHOOK_KEY = "unit-webhook-key-3Yq8w"


class QueueUnavailableError(Exception):
    pass


class FlakyWorkQueue(MemoryWorkQueue):
    """An SQS FIFO queue (the fake's 5-minute dedupe) that can be told to refuse some sends."""

    def __init__(self, clock: SettableClock) -> None:
        super().__init__(clock)
        self._passes = 0
        self._failures = 0

    def fail(self, times: int = 1, after: int = 0) -> None:
        """Refuse `times` sends once `after` more sends have gone through."""
        self._passes, self._failures = after, times

    def send(self, group_id: str, deduplication_id: str, message: BaseModel) -> None:
        if self._passes:
            self._passes -= 1
        elif self._failures:
            self._failures -= 1
            raise QueueUnavailableError("SQS is unavailable")
        super().send(group_id, deduplication_id, message)


@dataclass
class IntakeWorld:
    """The intake and every fake behind it; `connect` adds one of our tenants' connections."""

    clock: SettableClock = field(default_factory=SettableClock)
    app_secrets: MemoryAppSecrets = field(default_factory=lambda: MemoryAppSecrets(webhook_key=WEBHOOK_KEY))
    connections: MemoryConnectionRepository = field(default_factory=MemoryConnectionRepository)
    receipts: MemoryWebhookReceipts = field(default_factory=MemoryWebhookReceipts)
    queue: FlakyWorkQueue = field(init=False)
    intake: WebhookIntake = field(init=False)

    def __post_init__(self) -> None:
        self.queue = FlakyWorkQueue(self.clock)
        self.intake = WebhookIntake(
            app_secrets=self.app_secrets,
            connections=self.connections,
            receipts=self.receipts,
            queue=self.queue,
            clock=self.clock,
        )

    def connect(
        self, tenant_id: str, xero_tenant_id: str, status: ConnectionStatus = ConnectionStatus.CONNECTED
    ) -> None:
        self.connections.put(
            Connection(
                tenant_id=tenant_id,
                status=status,
                xero_tenant_id=xero_tenant_id,
                xero_connection_id=f"conn-{tenant_id}",
                updated_at=self.clock.now(),
            )
        )
