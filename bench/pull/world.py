"""The push benchmark's world (bench/sync/world.py) with the sync from Xero composed over it: the real
SyncPull and SyncReconcile over the same stores, rate budget and simulator, with the change feed, the
kept fetches and the reconciliation states in memory; and the Xero-side helpers the scenarios use
(seeding the organisation, editing as a Xero user, hearing the changes Xero announces by webhook and
delivering them to the real webhook intake in the deliveries the simulator's dispatcher would form).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.sync.world import ConnectedTenant, SyncWorld
from shared.fakes.memory_change_feed import MemoryChangeFeed, MemoryPendingFetches
from shared.fakes.memory_reconciliation import MemoryReconcileStates
from shared.fakes.memory_told import MemoryToldElements
from shared.fakes.memory_work_queue import MemoryWorkQueue, SentMessage
from shared.usecases.pull.reconcile import SyncReconcile
from shared.usecases.pull.run import SyncPull
from shared.usecases.webhook_intake import WebhookIntake
from xero_simulator.control.acting import act_as_user
from xero_simulator.control.seeding import SeedReport, seed_organisation
from xero_simulator.webhooks.dispatcher import WebhookSettings
from xero_simulator.webhooks.events import webhook_event
from xero_simulator.webhooks.payload import delivery_body, new_entropy
from xero_simulator.webhooks.signature import sign
from xero_simulator.world import ChangeEvent


class EditError(RuntimeError):
    """The simulator refused an edit a scenario made as a Xero user."""


@dataclass(frozen=True)
class Heard:
    at: float  # time.monotonic() when the simulator announced the change, as its dispatcher notes it
    change: ChangeEvent


def as_deliveries(heard: Sequence[Heard], settings: WebhookSettings | None = None) -> list[list[Heard]]:
    """The simulator dispatcher's batching (xero_simulator/webhooks/dispatcher.py): an event waits the batch
    window for others to join it, and a delivery holds at most `max_batch_size` events."""
    rule = settings or WebhookSettings()
    deliveries: list[list[Heard]] = []
    for event in heard:
        current = deliveries[-1] if deliveries else None
        if (
            current is not None
            and len(current) < rule.max_batch_size
            and event.at - current[0].at < rule.batch_window_seconds
        ):
            current.append(event)
        else:
            deliveries.append([event])
    return deliveries


class PullWorld(SyncWorld):
    """SyncWorld plus the pull, reconciliation and what Xero announces by webhook, per organisation."""

    def __init__(self, scale: float) -> None:
        super().__init__(scale)
        self.feed = MemoryChangeFeed()
        self.pending = MemoryPendingFetches()
        self.states = MemoryReconcileStates()
        self._heard_lock = threading.Lock()
        self.heard: list[Heard] = []
        self.queue = MemoryWorkQueue(self.clock)
        self.intake = WebhookIntake(
            app_secrets=self.app_secrets,
            connections=self.state.connections,
            receipts=self.state.webhook_receipts,
            queue=self.queue,
            clock=self.clock,
        )
        self._last_sequence = 0
        # Every change Xero would announce by webhook, as the simulator's dispatcher hears it.
        self.simulator.world.change_listeners.append(self._hear)
        push = self.push()
        self.pull = SyncPull.beside(push, self.feed, self.pending, events=self.events)
        self.reconcile = SyncReconcile(self.pull, self.states, MemoryToldElements())

    def __enter__(self) -> PullWorld:
        super().__enter__()
        return self

    def _hear(self, change: ChangeEvent) -> None:
        with self._heard_lock:
            self.heard.append(Heard(time.monotonic(), change))

    def take_heard(self) -> list[Heard]:
        """The changes heard since the last call."""
        with self._heard_lock:
            heard, self.heard = self.heard, []
        return heard

    def deliver(self, heard: Sequence[Heard]) -> list[SentMessage]:
        """Post `heard` to the webhook intake as Xero's signed deliveries (as_deliveries); the queue messages
        it enqueued, in order."""
        first = len(self.queue.messages)
        key = self.app_secrets.webhook_key()
        for delivery in as_deliveries(heard):
            events = [webhook_event(h.change, self.endpoints.api_url) for h in delivery]
            body = delivery_body(events, self._last_sequence + 1, self._last_sequence + len(events), new_entropy())
            self._last_sequence += len(events)
            self.intake.receive(body, sign(key, body))
        return self.queue.messages[first:]

    def seed(self, tenant: ConnectedTenant, order: dict[str, Any], seed: int = 42) -> SeedReport:
        """Write `order` into the tenant's organisation as a Xero user (the simulator's seeding: no app limit)."""
        org = self.organisation(tenant.xero_tenant_id)
        report = seed_organisation(self.simulator, org, order, random.Random(seed))  # noqa: S311 - sample data, not secrets
        if report.errors:
            raise EditError(f"seeding refused records: {report.errors[:3]}")
        return report

    def act(self, tenant: ConnectedTenant, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """One Accounting call as a Xero user in the tenant's organisation (no app's limit is spent)."""
        outcome = act_as_user(self.simulator, self.organisation(tenant.xero_tenant_id), method, path, body=body)
        if not outcome.ok:
            raise EditError(f"{method} {path}: {outcome.status} {outcome.body}")
        answer: dict[str, Any] = outcome.body
        return answer
