"""Tenants: the platform's customers, created and read through the platform API."""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.domain.tenants import Tenant
from shared.ports.state import TenantRepository


class TenantNotFoundError(Exception):
    """No tenant has this id."""

    def __init__(self, tenant_id: str) -> None:
        super().__init__(f"no tenant {tenant_id}")
        self.tenant_id = tenant_id


def create_tenant(tenants: TenantRepository, name: str, external_id: str | None, now: datetime) -> Tenant:
    """Create a tenant with a new random id; the platform's own id, if given, is kept beside it."""
    tenant = Tenant(tenant_id=str(uuid.uuid4()), name=name, external_id=external_id, created_at=now)
    tenants.create(tenant)
    return tenant


def get_tenant(tenants: TenantRepository, tenant_id: str) -> Tenant:
    """The tenant with this id; raises TenantNotFoundError when there is none."""
    tenant = tenants.get(tenant_id)
    if tenant is None:
        raise TenantNotFoundError(tenant_id)
    return tenant


def list_tenants(tenants: TenantRepository, limit: int, cursor: str | None) -> tuple[list[Tenant], str | None]:
    """A page of tenants, oldest first, and the opaque cursor of the next page (None on the last page).

    Raises InvalidCursorError (shared/ports/state.py) for a cursor this API did not hand out.
    """
    return tenants.list(limit, cursor)
