"""What the platform API says about a tenant's connection: status, organisation and token health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.domain.connections import Connection, ConnectionStatus
from shared.ports.state import ConnectionRepository, TenantRepository
from shared.usecases.tenants import get_tenant

# "Unused refresh tokens expire after 60 days" (FACTS.md §1.4); each refresh issues a new one.
REFRESH_TOKEN_LIFETIME = timedelta(days=60)


class ReportedStatus(StrEnum):
    """A connection's status as reported, including the tenant that never connected."""

    NOT_CONNECTED = "not_connected"
    PICKING = ConnectionStatus.PICKING.value
    CONNECTED = ConnectionStatus.CONNECTED.value
    NEEDS_REAUTH = ConnectionStatus.NEEDS_REAUTH.value
    DISCONNECTED = ConnectionStatus.DISCONNECTED.value


@dataclass(frozen=True)
class TokenHealth:
    access_expires_at: datetime | None
    access_token_expired: bool
    refresh_token_issued_at: datetime | None
    refresh_token_age: timedelta | None
    refresh_token_expires_at: datetime | None


@dataclass(frozen=True)
class ConnectionReport:
    tenant_id: str
    status: ReportedStatus
    xero_tenant_id: str | None = None
    organisation_name: str | None = None
    scopes: tuple[str, ...] = ()
    connected_since: datetime | None = None
    token: TokenHealth | None = None
    reauthorisation_needed: bool = False
    last_error: str | None = None


def connection_status(
    tenants: TenantRepository, connections: ConnectionRepository, tenant_id: str, now: datetime
) -> ConnectionReport:
    """The report of a tenant's connection; raises TenantNotFoundError for an unknown tenant."""
    get_tenant(tenants, tenant_id)
    connection = connections.get(tenant_id)
    if connection is None:
        return ConnectionReport(tenant_id=tenant_id, status=ReportedStatus.NOT_CONNECTED)
    return report_of(connection, now)


def report_of(connection: Connection, now: datetime) -> ConnectionReport:
    """The report of a stored connection at `now` (also what a disconnect answers)."""
    token = _token_health(connection, now)
    refresh_expired = (
        token is not None and token.refresh_token_expires_at is not None and now >= token.refresh_token_expires_at
    )
    live = connection.status in (ConnectionStatus.CONNECTED, ConnectionStatus.NEEDS_REAUTH)
    return ConnectionReport(
        tenant_id=connection.tenant_id,
        status=ReportedStatus(connection.status.value),
        xero_tenant_id=connection.xero_tenant_id,
        organisation_name=connection.organisation_name,
        scopes=connection.scopes,
        connected_since=connection.connected_since,
        token=token,
        reauthorisation_needed=live and (connection.status is ConnectionStatus.NEEDS_REAUTH or refresh_expired),
        last_error=connection.last_error,
    )


def _token_health(connection: Connection, now: datetime) -> TokenHealth | None:
    """Token figures of a connection that holds tokens (none once disconnected or while picking)."""
    if connection.status not in (ConnectionStatus.CONNECTED, ConnectionStatus.NEEDS_REAUTH):
        return None
    issued = connection.refresh_token_issued_at
    return TokenHealth(
        access_expires_at=connection.access_expires_at,
        access_token_expired=connection.access_expires_at is None or now >= connection.access_expires_at,
        refresh_token_issued_at=issued,
        refresh_token_age=now - issued if issued is not None else None,
        refresh_token_expires_at=issued + REFRESH_TOKEN_LIFETIME if issued is not None else None,
    )
