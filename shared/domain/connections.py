"""A tenant's connection to one Xero organisation, and the states it moves through."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class ConnectionStatus(StrEnum):
    PICKING = "picking"  # consent given for several organisations; the tenant has not chosen yet
    CONNECTED = "connected"
    NEEDS_REAUTH = "needs_reauth"  # refresh refused, grant revoked, or disconnected from Xero's side
    DISCONNECTED = "disconnected"  # disconnected through the platform API; data kept


class OrganisationChoice(BaseModel):
    """An organisation the tenant authorised in one consent (a row of GET /connections)."""

    xero_tenant_id: str
    xero_connection_id: str
    name: str


class Connection(BaseModel):
    """What xero-sync knows about a tenant's connection. Tokens live in the token secret, not here."""

    tenant_id: str
    status: ConnectionStatus
    xero_tenant_id: str | None = None
    xero_connection_id: str | None = None
    organisation_name: str | None = None
    scopes: tuple[str, ...] = ()
    auth_event_id: str | None = None
    connected_since: datetime | None = None
    # Bumped by every refresh, compare-and-swapped so that two workers never both rotate the token.
    token_version: int = 0
    access_expires_at: datetime | None = None
    refresh_token_issued_at: datetime | None = None
    refresh_lease_owner: str | None = None
    refresh_lease_expires_at: datetime | None = None
    last_error: str | None = None
    choices: list[OrganisationChoice] = Field(default_factory=list)
    return_url: str | None = None  # where the tenant's browser goes once a PICKING connection is chosen
    updated_at: datetime
