"""An in-memory Xero identity service with Xero's token rules, and a script of failures for tests.

The rules follow the simulator (xero_simulator/identity/grants.py, FACTS.md §1.4-§1.6): every
refresh rotates the refresh token; the spent token may be spent again for 30 minutes, which
supersedes the pair its earlier use returned; a grant whose last connection is gone, or that was
revoked, refuses refreshes with invalid_grant. Tests script what the network does on top:
`fail_next` raises an error instead of answering, `lose_next_refresh_answers` lets "Xero" rotate
and then loses the answer on its way back.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import SecretStr

from shared.clock import Clock
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import (
    TokenGrant,
    XeroAnswerLostError,
    XeroConnectionRow,
    XeroGrantError,
    XeroIdentity,
)

ACCESS_TOKEN_LIFETIME = timedelta(minutes=30)
REFRESH_GRACE = timedelta(minutes=30)
DEFAULT_SCOPES = ("openid", "profile", "email", "offline_access", "accounting.settings", "accounting.transactions")


@dataclass
class _Grant:
    scopes: tuple[str, ...]
    auth_event_id: str
    rows: list[XeroConnectionRow]
    revoked: bool = False


@dataclass
class _RefreshToken:
    grant_id: str
    access_token: str  # issued with it: a superseded pair dies as a whole
    first_used: datetime | None = None
    successor: str | None = None
    superseded: bool = False


@dataclass
class _AccessToken:
    grant_id: str
    expires_at: datetime
    alive: bool = True


@dataclass
class _Code:
    organisations: list[tuple[str, str]]
    scopes: tuple[str, ...]
    redirect_uri: str | None
    code_challenge: str | None
    spent: bool = False


@dataclass
class _Script:
    failures: dict[str, deque[Exception]] = field(default_factory=dict)
    lost_refresh_answers: int = 0


class ScriptedXeroIdentity(XeroIdentity):
    """A XeroIdentity fake. `latency` (seconds) holds each refresh and connections call open, to widen
    races between threads in tests."""

    def __init__(self, clock: Clock, *, latency: float = 0.0) -> None:
        self._clock = clock
        self._latency = latency
        self._lock = threading.Lock()
        self._grants: dict[str, _Grant] = {}
        self._refresh_tokens: dict[str, _RefreshToken] = {}
        self._access_tokens: dict[str, _AccessToken] = {}
        self._codes: dict[str, _Code] = {}
        self._script = _Script()
        self.refresh_attempts = 0  # every refresh call, answered or not
        self.rotations = 0  # refreshes "Xero" carried out (answered or lost)
        self.revoked_tokens: list[str] = []
        self.deleted_connections: list[str] = []

    # --- Given: consents and grants -------------------------------------------------------------

    def authorise(
        self,
        organisations: list[tuple[str, str]],
        scopes: tuple[str, ...] = DEFAULT_SCOPES,
        *,
        redirect_uri: str | None = None,
        code_challenge: str | None = None,
    ) -> str:
        """A user consents for `organisations` (xero tenant id, name): the authorization code."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Code(list(organisations), scopes, redirect_uri, code_challenge)
        return code

    def grant(self, organisations: list[tuple[str, str]], scopes: tuple[str, ...] = DEFAULT_SCOPES) -> TokenGrant:
        """Tokens of a consent for `organisations`, as a completed connect flow leaves them."""
        with self._lock:
            return self._new_grant(organisations, scopes)

    def disconnect(self, xero_tenant_id: str) -> None:
        """The user removes the organisation in Xero; a grant left without connections can no longer refresh."""
        with self._lock:
            for grant in self._grants.values():
                grant.rows = [row for row in grant.rows if row.tenant_id != xero_tenant_id]

    def accepts(self, access_token: str) -> bool:
        """Whether Xero's API would accept this access token now."""
        with self._lock:
            token = self._access_tokens.get(access_token)
            return token is not None and token.alive and self._clock.now() < token.expires_at

    # --- Scripting the network ------------------------------------------------------------------

    def fail_next(self, operation: str, error: Exception, times: int = 1) -> None:
        """The next `times` calls of `operation` (a method name) raise `error` before reaching "Xero"."""
        with self._lock:
            self._script.failures.setdefault(operation, deque()).extend([error] * times)

    def lose_next_refresh_answers(self, times: int = 1) -> None:
        """The next `times` refreshes are carried out, then their answers are lost (XeroAnswerLostError)."""
        with self._lock:
            self._script.lost_refresh_answers += times

    # --- The port --------------------------------------------------------------------------------

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> TokenGrant:
        with self._lock:
            self._scripted_failure("exchange_code")
            found = self._codes.get(code)
            if found is None or found.spent:
                raise XeroGrantError("invalid_grant")
            found.spent = True
            if found.redirect_uri is not None and found.redirect_uri != redirect_uri:
                raise XeroGrantError("invalid_grant")
            if found.code_challenge is not None and found.code_challenge != _s256(code_verifier):
                raise XeroGrantError("invalid_grant")
            return self._new_grant(found.organisations, found.scopes)

    def refresh(self, refresh_token: str) -> TokenGrant:
        time.sleep(self._latency)
        with self._lock:
            self.refresh_attempts += 1
            self._scripted_failure("refresh")
            now = self._clock.now()
            token = self._refresh_tokens.get(refresh_token)
            if token is None or token.superseded:
                raise XeroGrantError("invalid_grant")
            grant = self._grants[token.grant_id]
            if grant.revoked or not grant.rows:
                raise XeroGrantError("invalid_grant")
            if token.first_used is not None and now >= token.first_used + REFRESH_GRACE:
                raise XeroGrantError("invalid_grant")
            if token.first_used is None:
                token.first_used = now
            else:
                self._supersede(token.successor)
            issued = self._issue(token.grant_id, grant)
            token.successor = issued.refresh_token.get_secret_value() if issued.refresh_token else None
            self.rotations += 1
            if self._script.lost_refresh_answers:
                self._script.lost_refresh_answers -= 1
                raise XeroAnswerLostError("the refresh answer was lost")
            return issued

    def revoke(self, refresh_token: str) -> None:
        with self._lock:
            self._scripted_failure("revoke")
            self.revoked_tokens.append(refresh_token)
            token = self._refresh_tokens.get(refresh_token)
            if token is None:
                return
            grant = self._grants[token.grant_id]
            grant.revoked = True
            grant.rows = []
            for access in self._access_tokens.values():
                if access.grant_id == token.grant_id:
                    access.alive = False

    def connections(self, access_token: str, auth_event_id: str | None = None) -> list[XeroConnectionRow]:
        time.sleep(self._latency)
        with self._lock:
            self._scripted_failure("connections")
            grant = self._grant_of(access_token)
            return [row for row in grant.rows if auth_event_id is None or row.auth_event_id == auth_event_id]

    def delete_connection(self, access_token: str, connection_id: str) -> None:
        with self._lock:
            self._scripted_failure("delete_connection")
            grant = self._grant_of(access_token)
            if not any(row.id == connection_id for row in grant.rows):
                raise XeroApiError(404, "The resource you're looking for cannot be found")
            grant.rows = [row for row in grant.rows if row.id != connection_id]
            self.deleted_connections.append(connection_id)

    # --- Inside "Xero" (callers hold the lock) ---------------------------------------------------

    def _scripted_failure(self, operation: str) -> None:
        queued = self._script.failures.get(operation)
        if queued:
            raise queued.popleft()

    def _new_grant(self, organisations: list[tuple[str, str]], scopes: tuple[str, ...]) -> TokenGrant:
        now = self._clock.now()
        auth_event_id = _new_id()
        rows = [
            XeroConnectionRow(
                id=_new_id(),
                tenant_id=tenant_id,
                tenant_type="ORGANISATION",
                tenant_name=name,
                auth_event_id=auth_event_id,
                created=now,
                updated=now,
            )
            for tenant_id, name in organisations
        ]
        grant_id = _new_id()
        self._grants[grant_id] = _Grant(scopes, auth_event_id, rows)
        return self._issue(grant_id, self._grants[grant_id])

    def _issue(self, grant_id: str, grant: _Grant) -> TokenGrant:
        access_token = f"fake-access-{secrets.token_hex(16)}"
        self._access_tokens[access_token] = _AccessToken(grant_id, self._clock.now() + ACCESS_TOKEN_LIFETIME)
        refresh_token = None
        if "offline_access" in grant.scopes:
            refresh_token = f"fake-refresh-{secrets.token_hex(16)}"
            self._refresh_tokens[refresh_token] = _RefreshToken(grant_id, access_token)
        return TokenGrant(
            access_token=SecretStr(access_token),
            refresh_token=SecretStr(refresh_token) if refresh_token else None,
            expires_in=int(ACCESS_TOKEN_LIFETIME.total_seconds()),
            scopes=grant.scopes,
            authentication_event_id=grant.auth_event_id,
        )

    def _supersede(self, refresh_token: str | None) -> None:
        while refresh_token is not None:
            token = self._refresh_tokens[refresh_token]
            token.superseded = True
            self._access_tokens[token.access_token].alive = False
            refresh_token = token.successor

    def _grant_of(self, access_token: str) -> _Grant:
        token = self._access_tokens.get(access_token)
        if token is None or not token.alive or self._clock.now() >= token.expires_at:
            raise XeroApiError(401, "AuthenticationUnsuccessful")
        grant = self._grants[token.grant_id]
        if grant.revoked:
            raise XeroApiError(401, "AuthenticationUnsuccessful")
        return grant


def _new_id() -> str:
    return str(uuid.uuid4())


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
