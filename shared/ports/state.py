"""The state xero-sync keeps in DynamoDB, as one small interface per kind of record.

Adapters: shared/adapters/dynamodb_state.py (one table, see docs/decisions.md); fakes:
shared/fakes/memory_state.py. Every method that "takes" a record does so atomically, so a state,
a connect session or a webhook receipt is used once even when two requests race.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime, timedelta

from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.oauth import ConnectSession, OAuthState
from shared.domain.tenants import Tenant


class TenantRepository(ABC):
    @abstractmethod
    def create(self, tenant: Tenant) -> None:
        """Store a new tenant; raises TenantExistsError if the id is taken."""

    @abstractmethod
    def get(self, tenant_id: str) -> Tenant | None: ...

    @abstractmethod
    def list(self, limit: int, cursor: str | None = None) -> tuple[list[Tenant], str | None]:
        """A page of tenants, oldest first, and the opaque cursor of the next page (None at the end);
        raises InvalidCursorError for a cursor this repository did not hand out."""


class TenantExistsError(Exception):
    pass


class InvalidCursorError(ValueError):
    """A listing cursor that is not one the repository handed out (tampered, truncated, from elsewhere)."""


class ConnectionRepository(ABC):
    @abstractmethod
    def get(self, tenant_id: str) -> Connection | None: ...

    @abstractmethod
    def put(self, connection: Connection) -> None:
        """Store the connection as given (connecting, picking, disconnecting)."""

    @abstractmethod
    def find_by_xero_tenant(self, xero_tenant_id: str) -> list[Connection]:
        """Connections to one Xero organisation (several platform tenants may connect the same one)."""

    @abstractmethod
    def acquire_refresh_lease(
        self, tenant_id: str, owner: str, expected_version: int, now: datetime, lease_for: timedelta
    ) -> bool:
        """Take the right to refresh: succeeds only if the token is still at `expected_version` and
        no unexpired lease is held by someone else. The compare-and-swap that stops two workers
        spending the same refresh token (FACTS.md §6.1)."""

    @abstractmethod
    def record_refresh(
        self, tenant_id: str, owner: str, new_version: int, access_expires_at: datetime, refreshed_at: datetime
    ) -> bool:
        """Publish a refresh whose tokens are already in the vault and release the lease; False if
        the lease was lost (another worker took over after it expired)."""

    @abstractmethod
    def release_refresh_lease(self, tenant_id: str, owner: str) -> None: ...

    @abstractmethod
    def set_status(self, tenant_id: str, status: ConnectionStatus, last_error: str | None, now: datetime) -> None: ...

    @abstractmethod
    def refreshed_before(self, cutoff: datetime) -> list[Connection]:
        """CONNECTED connections whose refresh token was issued before `cutoff` (for keep-alive)."""


class ConnectSessionStore(ABC):
    @abstractmethod
    def put(self, session: ConnectSession) -> None: ...

    @abstractmethod
    def take(self, session_id: str, now: datetime) -> ConnectSession | None:
        """Remove and return the session; None if unknown, already taken or expired."""


class OAuthStateStore(ABC):
    @abstractmethod
    def put(self, state: OAuthState) -> None: ...

    @abstractmethod
    def take(self, state: str, now: datetime) -> OAuthState | None:
        """Remove and return the state; None if unknown, already taken (a replay) or expired."""


class ApiKeyStore(ABC):
    @abstractmethod
    def put(self, key_id: str, secret_hash: str, name: str, created_at: datetime) -> None: ...

    @abstractmethod
    def secret_hash(self, key_id: str) -> str | None:
        """The stored SHA-256 of the key's secret part; the key itself is never stored."""


class WebhookReceipts(ABC):
    @abstractmethod
    def first_time(self, receipt_key: str, now: datetime, keep_for: timedelta) -> bool:
        """Record a webhook event as received; False if it was already (a Xero retry or duplicate)."""

    @abstractmethod
    def forget(self, receipt_key: str) -> None:
        """Undo `first_time` when the event could not be enqueued, so Xero's retry gets through."""
