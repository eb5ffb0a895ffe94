"""The push benchmark's world (bench/sync/world.py) with the sync from Xero composed over it: the real
SyncPull and SyncReconcile over the same stores, rate budget and simulator, with the change feed, the
kept fetches and the reconciliation states in memory; and the Xero-side helpers the scenarios use
(seeding the organisation, editing as a Xero user, hearing the changes Xero announces by webhook).
"""

from __future__ import annotations

import hashlib
import random
import threading
from typing import Any

from bench.sync.world import ConnectedTenant, SyncWorld
from shared.domain.webhook_events import ChangeNotice
from shared.fakes.memory_change_feed import MemoryChangeFeed, MemoryPendingFetches
from shared.fakes.memory_reconciliation import MemoryReconcileStates
from shared.usecases.pull.reconcile import SyncReconcile
from shared.usecases.pull.run import SyncPull
from xero_simulator.control.acting import act_as_user
from xero_simulator.control.seeding import SeedReport, seed_organisation
from xero_simulator.msjson import naive_utc
from xero_simulator.world import ChangeEvent


class EditError(RuntimeError):
    """The simulator refused an edit a scenario made as a Xero user."""


class PullWorld(SyncWorld):
    """SyncWorld plus the pull, reconciliation and what Xero announces by webhook, per organisation."""

    def __init__(self, scale: float) -> None:
        super().__init__(scale)
        self.feed = MemoryChangeFeed()
        self.pending = MemoryPendingFetches()
        self.states = MemoryReconcileStates()
        self._heard_lock = threading.Lock()
        self.heard: list[ChangeEvent] = []
        # Every change Xero would announce by webhook, as the simulator's dispatcher hears it.
        self.simulator.world.change_listeners.append(self._hear)
        push = self.push()
        self.pull = SyncPull.beside(push, self.feed, self.pending, events=self.events)
        self.reconcile = SyncReconcile(self.pull, self.states)

    def __enter__(self) -> PullWorld:
        super().__enter__()
        return self

    def _hear(self, change: ChangeEvent) -> None:
        with self._heard_lock:
            self.heard.append(change)

    def take_heard(self) -> list[ChangeEvent]:
        """The changes heard since the last call."""
        with self._heard_lock:
            heard, self.heard = self.heard, []
        return heard

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


def notice_of(tenant: ConnectedTenant, change: ChangeEvent) -> ChangeNotice:
    """The change notice the webhook function would enqueue for `change` (shared/usecases/webhook_intake.py)."""
    at = naive_utc(change.at)
    key = hashlib.sha256(f"{tenant.tenant_id}|{change.resource_id}|{at}|{change.event_type}".encode()).hexdigest()
    return ChangeNotice(
        tenant_id=tenant.tenant_id,
        xero_tenant_id=change.tenant_id,
        category=change.category,
        event_type=change.event_type,
        resource_id=change.resource_id,
        event_date_utc=at,
        receipt_key=key,
    )
