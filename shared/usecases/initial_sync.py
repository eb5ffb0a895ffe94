"""The initial sync's progress for one tenant (issue 5, §4): the backfill from Xero, read from its
reconciliation states and the tenant's rate budget (shared/domain/inbound/backfill.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.clock import Clock
from shared.domain.inbound.backfill import BackfillProgress, backfill_progress
from shared.domain.rate_limits import Limits, TenantUsage
from shared.domain.sync_settings import TenantSyncSettings
from shared.ports.rate_budget import RateBudget
from shared.ports.reconciliation import ReconcileStates
from shared.ports.records import SyncSettingsStore
from shared.ports.state import ConnectionRepository


@dataclass(frozen=True)
class InitialSync:
    states: ReconcileStates
    settings: SyncSettingsStore
    connections: ConnectionRepository
    budget: RateBudget
    clock: Clock
    limits: Limits = field(default_factory=Limits)

    def progress(self, tenant_id: str) -> BackfillProgress:
        """Where the tenant's backfill from Xero stands now. A tenant not connected has no budget used."""
        connection = self.connections.get(tenant_id)
        xero_tenant_id = connection.xero_tenant_id if connection is not None else None
        usage = self.budget.usage(xero_tenant_id) if xero_tenant_id else TenantUsage()
        settings = self.settings.get(tenant_id) or TenantSyncSettings()
        return backfill_progress(self.states.listing(tenant_id), settings.inbound, usage, self.clock.now(), self.limits)
