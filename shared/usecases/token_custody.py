"""Token custody: every Xero access token xero-sync uses comes from here, refreshed ahead of expiry
by exactly one worker at a time.

The rules (FACTS.md §1.4, ARCHITECTURE.md "Pitfalls"):
- Xero rotates the refresh token on every use, so two workers refreshing one connection at once
  would spend it twice. A worker refreshes only while it holds the connection's refresh lease,
  taken by compare-and-swap on the token version; the others wait until the version moves.
- The new pair goes to the vault before anything else happens with it: a worker that dies after
  Xero rotated but before the vault write loses nothing that Xero's 30-minute grace cannot give
  back, because the next lease holder spends the same (stored) refresh token again.
- An answer lost on the way back is retried at once with the same refresh token, inside that grace.
- A refused grant (invalid_grant) or a connection Xero no longer lists ends in NEEDS_REAUTH with one
  connection.needs_reauth event, decided under the lease so that racing workers decide it once.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NoReturn

from shared.clock import Clock
from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.platform_events import EventType, PlatformEvent
from shared.domain.tokens import REFRESH_AHEAD, TokenSet
from shared.observability import logger, tracer
from shared.ports.event_bus import EventBus
from shared.ports.state import ConnectionRepository
from shared.ports.token_vault import TokenVault
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import (
    XeroAnswerLostError,
    XeroConnectionRow,
    XeroGrantError,
    XeroIdentity,
    XeroUnavailableError,
)

# Longer than a refresh can take (three attempts of at most ~8 s each, shared/adapters/xero_http.py),
# short enough that a crashed holder delays the connection's next call by half a minute at most.
REFRESH_LEASE = timedelta(seconds=30)
# How long a worker waits for another's refresh before giving up with RefreshInProgressError (wall seconds).
WAIT_FOR_REFRESH_SECONDS = 10.0
FIRST_POLL_SECONDS = 0.05
LONGEST_POLL_SECONDS = 0.5
# Retries of a refresh whose answer was lost; Xero accepts the same refresh token for 30 minutes (FACTS.md §1.4).
LOST_ANSWER_RETRIES = 2
LOST_ANSWER_PAUSE_SECONDS = 0.2
# A retry starts only if this much of the lease is left: one attempt (~8 s) plus the vault write and the record.
LEASE_LEFT_FOR_A_RETRY = timedelta(seconds=12)

Sleeper = Callable[[float], None]


class NeedsReauthReason(StrEnum):
    """Why a connection needs the tenant to connect again (logged; the event and status carry it in words)."""

    GRANT_REFUSED = "grant_refused"  # invalid_grant: revoked, unused for 60 days, or its last connection removed
    DISCONNECTED_IN_XERO = "disconnected_in_xero"  # Xero no longer lists the organisation for our grant
    TOKENS_MISSING = "tokens_missing"  # the token secret is gone while the connection says connected


def _tenant_message(reason: NeedsReauthReason, organisation: str) -> str:
    """`last_error` in words a tenant can act on: what happened and what to do."""
    match reason:
        case NeedsReauthReason.GRANT_REFUSED:
            happened = f"Xero no longer accepts this app's access to {organisation}: it was revoked or went unused"
        case NeedsReauthReason.DISCONNECTED_IN_XERO:
            happened = f"{organisation} was disconnected from this app in Xero"
        case NeedsReauthReason.TOKENS_MISSING:
            happened = f"the stored authorisation for {organisation} is missing"
    return f"{happened[0].upper()}{happened[1:]}. Connect to Xero again to resume syncing."


class ReauthorisationNeededError(Exception):
    """The connection needs the tenant to connect to Xero again; the message says why, for the tenant."""


class NotConnectedError(Exception):
    """The tenant has no usable connection: never connected, disconnected, or still picking an organisation."""


class RefreshInProgressError(XeroUnavailableError):
    """Another worker has been refreshing the connection's tokens for longer than we wait; try again later."""


class RefreshLeaseLostError(XeroUnavailableError):
    """Our refresh outlived its lease and another worker took over; the next call reads what it stored."""


@dataclass(frozen=True)
class _Issued:
    """The tokens a custody call ended with, and whether this call refreshed them."""

    tokens: TokenSet
    refreshed: bool


Staleness = Callable[[Connection, datetime], bool]


def _expiring(connection: Connection, now: datetime) -> bool:
    return connection.access_expires_at is None or now >= connection.access_expires_at - REFRESH_AHEAD


class TokenCustodian:
    """Hands out access tokens for tenants' connections and refreshes them under the refresh lease.

    `owner_id` names this worker in leases (e.g. the Lambda request id); each attempt adds a random
    suffix, so threads sharing one custodian still exclude each other. `sleep` is how waiting is
    done (tests pass one that returns at once or moves a settable clock).
    """

    def __init__(  # noqa: PLR0917 - the ports a custodian works over, in the order every caller uses
        self,
        connections: ConnectionRepository,
        vault: TokenVault,
        identity: XeroIdentity,
        events: EventBus,
        clock: Clock,
        owner_id: str,
        *,
        sleep: Sleeper = time.sleep,
    ) -> None:
        self._connections = connections
        self._vault = vault
        self._identity = identity
        self._events = events
        self._clock = clock
        self._owner_id = owner_id
        self._sleep = sleep
        # Token sets read from the vault, by tenant; valid while the connection's token_version is theirs.
        self._read: dict[str, TokenSet] = {}
        self._read_lock = threading.Lock()

    @tracer.capture_method(capture_response=False)
    def access_token(self, tenant_id: str) -> str:
        """A valid access token for the tenant's connection, refreshed first when it has less than
        REFRESH_AHEAD left. Raises ReauthorisationNeededError, NotConnectedError, XeroGrantError
        (e.g. invalid_client: the app's credentials are wrong) or XeroUnavailableError (retry later)."""
        return self._custody(tenant_id, _expiring).tokens.access_token.get_secret_value()

    @tracer.capture_method(capture_response=False)
    def refresh_if_issued_before(self, tenant_id: str, cutoff: datetime) -> bool:
        """Refresh the connection's tokens if its refresh token was issued before `cutoff` (keep-alive);
        False when another worker refreshed it since. Raises as `access_token` does."""

        def stale(connection: Connection, now: datetime) -> bool:
            issued = connection.refresh_token_issued_at
            return issued is None or issued < cutoff or _expiring(connection, now)

        return self._custody(tenant_id, stale).refreshed

    @tracer.capture_method(capture_response=False)
    def report_rejected(self, tenant_id: str, status: int, detail: str) -> bool:
        """Told that Xero answered 401 or 403 to a fresh token: ask Xero whether the connection still
        exists, and if it does not (disconnected from Xero's side), set NEEDS_REAUTH and publish the
        event. True when the connection needs reauthorisation, False when it is still connected."""
        logger.info(
            "Xero rejected a call with a fresh token",
            extra={"tenant_id": tenant_id, "status": status, "detail": detail},
        )
        connection = self._connections.get(tenant_id)
        if connection is None or connection.status is not ConnectionStatus.CONNECTED:
            return connection is not None and connection.status is ConnectionStatus.NEEDS_REAUTH
        try:
            rows = self._xero_connections(tenant_id)
        except ReauthorisationNeededError:
            return True
        if rows is not None and any(row.tenant_id == connection.xero_tenant_id for row in rows):
            logger.info(
                "Xero still lists the connection; the rejection has another cause", extra={"tenant_id": tenant_id}
            )
            return False
        reason = NeedsReauthReason.DISCONNECTED_IN_XERO if rows is not None else NeedsReauthReason.GRANT_REFUSED
        with contextlib.suppress(ReauthorisationNeededError):
            self._custody(tenant_id, _expiring, decide=reason)
        return True

    def _xero_connections(self, tenant_id: str) -> list[XeroConnectionRow] | None:
        """Xero's connections for our grant; None when Xero rejects even a newly refreshed token."""
        issued = self._custody(tenant_id, _expiring)
        try:
            return self._identity.connections(issued.tokens.access_token.get_secret_value())
        except XeroApiError as refused:
            if refused.status != 401:
                raise
            if issued.refreshed:
                return None
        # The token we held was rejected: refresh once (unless someone did) and ask again.
        rejected_version = issued.tokens.version

        def rejected(connection: Connection, now: datetime) -> bool:
            return connection.token_version <= rejected_version or _expiring(connection, now)

        renewed = self._custody(tenant_id, rejected)
        try:
            return self._identity.connections(renewed.tokens.access_token.get_secret_value())
        except XeroApiError as refused:
            if refused.status != 401:
                raise
            return None

    def _custody(self, tenant_id: str, stale: Staleness, *, decide: NeedsReauthReason | None = None) -> _Issued:
        """The tokens of a connection that `stale` accepts; otherwise take the lease and refresh (or
        decide NEEDS_REAUTH for `decide`), or wait for the worker who holds it to finish."""
        waited = 0.0
        pause = FIRST_POLL_SECONDS
        while True:
            connection = self._usable_connection(tenant_id)
            now = self._clock.now()
            if decide is None and not stale(connection, now):
                stored = self._stored(connection)
                if stored is not None:
                    return _Issued(stored, refreshed=False)
            owner = f"{self._owner_id}/{secrets.token_hex(4)}"
            if self._connections.acquire_refresh_lease(tenant_id, owner, connection.token_version, now, REFRESH_LEASE):
                return self._holding_lease(tenant_id, owner, decide)
            if waited >= WAIT_FOR_REFRESH_SECONDS:
                raise RefreshInProgressError("another worker is refreshing this connection's tokens")
            self._sleep(pause)
            waited += pause
            pause = min(pause * 2, LONGEST_POLL_SECONDS)

    def _usable_connection(self, tenant_id: str) -> Connection:
        connection = self._connections.get(tenant_id)
        if connection is None:
            raise NotConnectedError("the tenant has not connected to Xero")
        if connection.status is ConnectionStatus.NEEDS_REAUTH:
            raise ReauthorisationNeededError(connection.last_error or "Connect to Xero again to resume syncing.")
        if connection.status is not ConnectionStatus.CONNECTED:
            raise NotConnectedError(f"the connection is {connection.status.value}")
        return connection

    def _stored(self, connection: Connection) -> TokenSet | None:
        """The vault's token set for the connection's current version (read once per version)."""
        with self._read_lock:
            known = self._read.get(connection.tenant_id)
        if known is not None and known.version == connection.token_version:
            return known
        tokens = self._vault.read(connection.tenant_id)
        if tokens is None or tokens.version < connection.token_version:
            return None  # not what the record says was stored: the lease holder sorts it out
        with self._read_lock:
            self._read[connection.tenant_id] = tokens
        return tokens

    def _holding_lease(self, tenant_id: str, owner: str, decide: NeedsReauthReason | None) -> _Issued:
        try:
            # Read again now that the lease is ours: a worker that decided NEEDS_REAUTH did so before
            # releasing it, so this read sees that decision and nobody announces it twice.
            connection = self._usable_connection(tenant_id)
            if decide is not None:
                self._decide_needs_reauth(connection, decide)
            tokens = self._vault.read(tenant_id)  # fresh, never cached: the refresh path must see the latest
            if tokens is None:
                self._decide_needs_reauth(connection, NeedsReauthReason.TOKENS_MISSING)
            now = self._clock.now()
            if tokens.version > connection.token_version and not tokens.needs_refresh(now):
                # The previous holder stored a refresh and died before recording it: record it for them.
                self._record(tenant_id, owner, tokens, now)
                return _Issued(tokens, refreshed=False)
            try:
                renewed = self._refresh(tenant_id, tokens, max(tokens.version, connection.token_version) + 1, now)
            except XeroGrantError as refused:
                if refused.error == "invalid_grant":
                    self._decide_needs_reauth(connection, NeedsReauthReason.GRANT_REFUSED)
                raise
            # The new pair is stored before anything uses it or records it (FACTS.md §1.4: the old one is gone).
            self._vault.write(tenant_id, renewed)
            self._record(tenant_id, owner, renewed, now)
            logger.info("Xero tokens refreshed", extra={"tenant_id": tenant_id, "token_version": renewed.version})
            return _Issued(renewed, refreshed=True)
        finally:
            self._connections.release_refresh_lease(tenant_id, owner)

    def _refresh(self, tenant_id: str, tokens: TokenSet, version: int, now: datetime) -> TokenSet:
        refresh_token = tokens.refresh_token.get_secret_value()
        lease_ends = now + REFRESH_LEASE
        for attempt in range(LOST_ANSWER_RETRIES + 1):
            try:
                grant = self._identity.refresh(refresh_token)
                break
            except XeroAnswerLostError:
                # Out of retries or of lease: the stored refresh token stays good for the grace's
                # 30 minutes, so the next call recovers rather than racing a worker that takes over.
                if attempt == LOST_ANSWER_RETRIES or self._clock.now() > lease_ends - LEASE_LEFT_FOR_A_RETRY:
                    raise
                logger.warning(
                    "Xero's answer to a refresh was lost; spending the same refresh token again",
                    extra={"tenant_id": tenant_id},
                )
                self._sleep(LOST_ANSWER_PAUSE_SECONDS)
        return TokenSet(
            access_token=grant.access_token,
            # Xero returns a new refresh token with every refresh; keep the old one if it ever does not.
            refresh_token=grant.refresh_token or tokens.refresh_token,
            expires_at=now + timedelta(seconds=grant.expires_in),
            scopes=grant.scopes or tokens.scopes,
            version=version,
        )

    def _record(self, tenant_id: str, owner: str, tokens: TokenSet, now: datetime) -> None:
        if not self._connections.record_refresh(tenant_id, owner, tokens.version, tokens.expires_at, now):
            logger.warning("The refresh lease expired before the refresh was recorded", extra={"tenant_id": tenant_id})
            raise RefreshLeaseLostError("the refresh outlived its lease")
        with self._read_lock:
            self._read[tenant_id] = tokens

    def _decide_needs_reauth(self, connection: Connection, reason: NeedsReauthReason) -> NoReturn:
        """Publish the needs_reauth event, then set the status; the caller holds the lease.

        The event goes first so that a crash between the two repeats the event rather than losing
        it: the platform may see it twice in that case, never zero times.
        """
        message = _tenant_message(reason, connection.organisation_name or "your Xero organisation")
        now = self._clock.now()
        self._events.publish(
            PlatformEvent(
                type=EventType.CONNECTION_NEEDS_REAUTH,
                tenant_id=connection.tenant_id,
                occurred_at=now,
                data={"reason": message},  # docs/events.md: words a tenant can act on
            )
        )
        self._connections.set_status(connection.tenant_id, ConnectionStatus.NEEDS_REAUTH, message, now)
        logger.warning(
            "Connection needs reauthorisation", extra={"tenant_id": connection.tenant_id, "reason": reason.value}
        )
        raise ReauthorisationNeededError(message)
