"""The connection record of a tenant that has just connected, for tests that connect without the OAuth callback."""

from __future__ import annotations

from datetime import datetime

from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.tokens import TokenSet
from shared.ports.xero_identity import XeroConnectionRow


def connected_record(
    tenant_id: str, row: XeroConnectionRow, tokens: TokenSet, now: datetime, auth_event_id: str | None
) -> Connection:
    """A CONNECTED record for `row`'s organisation at `tokens`' version, as the OAuth callback stores it."""
    return Connection(
        tenant_id=tenant_id,
        status=ConnectionStatus.CONNECTED,
        xero_tenant_id=row.tenant_id,
        xero_connection_id=row.id,
        organisation_name=row.tenant_name,
        scopes=tokens.scopes,
        auth_event_id=auth_event_id,
        connected_since=now,
        token_version=tokens.version,
        access_expires_at=tokens.expires_at,
        refresh_token_issued_at=now,
        updated_at=now,
    )
