"""The rate budget in memory, for tests and for one process: the same rules under one lock."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

from shared.domain.rate_limits import (
    AppUsage,
    Delay,
    Limits,
    Priority,
    TenantUsage,
    admit,
    tenant_parked,
    tenant_without_lease,
)
from shared.ports.rate_budget import Permit, RateBudget


class MemoryRateBudget(RateBudget):
    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._lock = threading.Lock()
        self._tenants: dict[str, TenantUsage] = {}
        self._app = AppUsage()

    def take(self, xero_tenant_id: str, priority: Priority, now: datetime) -> Permit | Delay:
        lease_id = uuid.uuid4().hex
        with self._lock:
            tenant = self._tenants.get(xero_tenant_id, TenantUsage())
            outcome = admit(tenant, self._app, priority, lease_id=lease_id, now=now, limits=self.limits)
            if isinstance(outcome, Delay):
                return outcome
            self._tenants[xero_tenant_id], self._app = outcome
            expiry = outcome[0].leases[lease_id]
        return Permit(xero_tenant_id, lease_id, datetime.fromtimestamp(expiry, UTC))

    def release(self, permit: Permit) -> None:
        with self._lock:
            tenant = self._tenants.get(permit.xero_tenant_id)
            if tenant is not None:
                self._tenants[permit.xero_tenant_id] = tenant_without_lease(tenant, permit.lease_id)

    def park(self, xero_tenant_id: str, until: datetime) -> None:
        with self._lock:
            tenant = self._tenants.get(xero_tenant_id, TenantUsage())
            self._tenants[xero_tenant_id] = tenant_parked(tenant, until)

    def usage(self, xero_tenant_id: str) -> TenantUsage:
        with self._lock:
            return self._tenants.get(xero_tenant_id, TenantUsage())
