"""Disconnecting a tenant from Xero through the platform API, keeping the tenant and its history.

Xero first, then our side, so that a failure leaves something a retry can finish:
1. with a usable access token, DELETE /connections/{id} (the connection id, never the tenant id,
   FACTS.md §1.6); a connection Xero no longer has (404) is already done;
2. revoke the refresh token (POST /connect/revocation), but only when Xero lists no other
   connection for the same grant: revocation "remove[s] all a user's connections" (FACTS.md §1.1),
   and the same Xero user may have connected other organisations for other tenants;
3. publish connection.disconnected, store the connection as DISCONNECTED with its organisation
   kept (so reconnecting later keeps the tenant id and history), then delete the token secret.
   The record goes first so that no worker ever sees a CONNECTED record without tokens (which
   it would rightly report as needs_reauth); a crash before the secret is deleted is finished
   by the next call, which deletes it again.

A Xero connection that another tenant of ours also uses is left in place (deleting it would cut
that tenant off). A repeated call finds the connection DISCONNECTED and answers the same.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from aws_lambda_powertools.metrics import MetricUnit

from shared.clock import Clock
from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.platform_events import EventType, PlatformEvent
from shared.domain.tokens import TokenSet
from shared.observability import logger, metrics, tracer
from shared.ports.app_secrets import AppNotConfiguredError
from shared.ports.event_bus import EventBus
from shared.ports.state import ConnectionRepository, TenantRepository
from shared.ports.token_vault import TokenVault
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import XeroGrantError, XeroIdentity, XeroUnavailableError
from shared.usecases.connection_status import ConnectionReport, ReportedStatus, report_of
from shared.usecases.tenants import get_tenant
from shared.usecases.token_custody import NotConnectedError, ReauthorisationNeededError, TokenCustodian

# Long enough for the Xero calls and the writes below; a lease stops a refresh from storing new
# tokens into the secret this disconnect is deleting.
DISCONNECT_LEASE = timedelta(seconds=30)


class DisconnectBusyError(XeroUnavailableError):
    """Another worker holds the connection's refresh lease right now; the caller may retry shortly."""


class XeroAppRefusedError(Exception):
    """Xero refused the app's own credentials (or they are not set), so Xero's side cannot be cleaned up."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True)
class Disconnection:
    """Disconnects tenants: Xero's side through the custodian's tokens, then the secret and the record."""

    tenants: TenantRepository
    connections: ConnectionRepository
    vault: TokenVault
    identity: XeroIdentity
    custodian: TokenCustodian
    events: EventBus
    clock: Clock

    @tracer.capture_method(capture_response=False)
    def disconnect(self, tenant_id: str) -> ConnectionReport:
        """Disconnect the tenant and answer the connection's report (not_connected if it never connected).

        Raises TenantNotFoundError, XeroUnavailableError (nothing changed on our side: retry) and
        XeroAppRefusedError (the operator must fix the Xero app first).
        """
        get_tenant(self.tenants, tenant_id)
        connection = self.connections.get(tenant_id)
        if connection is None:
            return ConnectionReport(tenant_id=tenant_id, status=ReportedStatus.NOT_CONNECTED)
        if connection.status is ConnectionStatus.DISCONNECTED:
            self.vault.delete(tenant_id)  # finishes a disconnect that stopped before removing the secret
            return report_of(connection, self.clock.now())
        tokens = self.vault.read(tenant_id)
        if tokens is not None:
            self._end_at_xero(connection, tokens)
        owner = f"disconnect/{secrets.token_hex(4)}"
        current = self.connections.get(tenant_id) or connection
        now = self.clock.now()
        if not self.connections.acquire_refresh_lease(tenant_id, owner, current.token_version, now, DISCONNECT_LEASE):
            raise DisconnectBusyError("the connection's tokens are being refreshed; try again in a moment")
        # The event goes before the record, so a crash in between repeats it rather than losing it.
        self.events.publish(
            PlatformEvent(
                type=EventType.CONNECTION_DISCONNECTED,
                tenant_id=tenant_id,
                occurred_at=now,
                data={"xero_tenant_id": current.xero_tenant_id, "organisation_name": current.organisation_name},
            )
        )
        disconnected = _disconnected(current, now)
        self.connections.put(disconnected)
        self.vault.delete(tenant_id)
        logger.info("tenant disconnected from Xero")
        metrics.add_metric(name="TenantDisconnected", unit=MetricUnit.Count, value=1)
        return report_of(disconnected, now)

    def _end_at_xero(self, connection: Connection, tokens: TokenSet) -> None:
        access_token = self._access_token(connection, tokens)
        if access_token is None:
            # Xero refuses these tokens already (revoked, expired, or disconnected in Xero):
            # there is nothing left at Xero that they could remove.
            logger.info("no usable Xero token; only our side is disconnected")
            return
        for connection_id in self._xero_connection_ids(connection):
            try:
                self.identity.delete_connection(access_token, connection_id)
            except XeroApiError as refused:
                if refused.status != 404:  # 404: already gone, as a repeated call finds it
                    logger.warning("Xero refused to delete the connection", extra={"status": refused.status})
                    return
        try:
            remaining = self.identity.connections(access_token)
        except XeroApiError:
            return
        if remaining:
            logger.info("the grant still covers other organisations; it is not revoked")
            return
        try:
            self.identity.revoke(tokens.refresh_token.get_secret_value())
        except XeroGrantError as refused:
            self._refused_app(refused.error)

    def _access_token(self, connection: Connection, tokens: TokenSet) -> str | None:
        """A token Xero should accept: the custodian's for a live connection (it refreshes under the
        lease), the stored one otherwise, while it has not expired."""
        if connection.status is ConnectionStatus.CONNECTED:
            try:
                return self.custodian.access_token(connection.tenant_id)
            except (ReauthorisationNeededError, NotConnectedError):
                return None
            except XeroGrantError as refused:
                self._refused_app(refused.error)
            except AppNotConfiguredError:
                self._refused_app("app credentials not set")
        if self.clock.now() < tokens.expires_at:
            return tokens.access_token.get_secret_value()
        return None

    def _xero_connection_ids(self, connection: Connection) -> list[str]:
        """Our Xero connection ids to delete: the chosen one, or every one offered while picking,
        minus any that another tenant of ours is connected through."""
        offered = [(choice.xero_connection_id, choice.xero_tenant_id) for choice in connection.choices]
        chosen = [(connection.xero_connection_id, connection.xero_tenant_id)] if connection.xero_connection_id else []
        ids: list[str] = []
        for connection_id, xero_tenant_id in chosen + offered:
            if connection_id not in ids and not self._shared(connection.tenant_id, connection_id, xero_tenant_id):
                ids.append(connection_id)
        return ids

    def _shared(self, tenant_id: str, connection_id: str, xero_tenant_id: str | None) -> bool:
        if xero_tenant_id is None:
            return False
        return any(
            other.tenant_id != tenant_id
            and other.xero_connection_id == connection_id
            and other.status in (ConnectionStatus.CONNECTED, ConnectionStatus.NEEDS_REAUTH)
            for other in self.connections.find_by_xero_tenant(xero_tenant_id)
        )

    def _refused_app(self, error: str) -> NoReturn:
        logger.warning("Xero refused the app's credentials during a disconnect", extra={"error": error})
        raise XeroAppRefusedError(error)


def _disconnected(connection: Connection, now: datetime) -> Connection:
    """The record kept after a disconnect: who the organisation was, nothing about tokens or grants."""
    return connection.model_copy(
        update={
            "status": ConnectionStatus.DISCONNECTED,
            "scopes": (),
            "connected_since": None,
            "access_expires_at": None,
            "refresh_token_issued_at": None,
            "refresh_lease_owner": None,
            "refresh_lease_expires_at": None,
            "last_error": None,
            "choices": [],
            "return_url": None,
            "updated_at": now,
        }
    )
