"""In-memory state ports with the DynamoDB adapter's rules: atomic single-use takes, expiry checked in
code, the refresh lease's compare-and-swap, and the webhook receipts' keep window.

Every store holds a lock around each operation, so concurrent workers (the token-custody tests run
50 threads) see the same all-or-nothing behaviour as DynamoDB's conditional writes. Records are
copied in and out, so a caller never shares an object with the store.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.oauth import ConnectSession, OAuthState
from shared.domain.tenants import Tenant
from shared.ports.state import (
    ApiKeyStore,
    ConnectionRepository,
    ConnectSessionStore,
    InvalidCursorError,
    OAuthStateStore,
    TenantExistsError,
    TenantRepository,
    WebhookReceipts,
)


class MemoryTenantRepository(TenantRepository):
    """Lists tenants oldest first (then by id), as the adapter's index does."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tenants: dict[str, Tenant] = {}

    def create(self, tenant: Tenant) -> None:
        with self._lock:
            if tenant.tenant_id in self._tenants:
                raise TenantExistsError(tenant.tenant_id)
            self._tenants[tenant.tenant_id] = tenant.model_copy(deep=True)

    def get(self, tenant_id: str) -> Tenant | None:
        with self._lock:
            tenant = self._tenants.get(tenant_id)
            return tenant.model_copy(deep=True) if tenant else None

    def list(self, limit: int, cursor: str | None = None) -> tuple[list[Tenant], str | None]:
        with self._lock:
            ordered = sorted(self._tenants.values(), key=_listing_position)
        if cursor is not None:
            after = _decode_cursor(cursor)
            ordered = [tenant for tenant in ordered if _listing_position(tenant) > after]
        page = [tenant.model_copy(deep=True) for tenant in ordered[:limit]]
        more = len(ordered) > limit
        return page, (_encode_cursor(_listing_position(page[-1])) if more and page else None)


def _listing_position(tenant: Tenant) -> tuple[datetime, str]:
    return tenant.created_at, tenant.tenant_id


def _encode_cursor(position: tuple[datetime, str]) -> str:
    created_at, tenant_id = position
    return base64.urlsafe_b64encode(json.dumps([created_at.isoformat(), tenant_id]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        created_at, tenant_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(created_at), str(tenant_id)
    except (ValueError, TypeError) as error:
        raise InvalidCursorError("not a tenant listing cursor") from error


class MemoryConnectionRepository(ConnectionRepository):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}

    def get(self, tenant_id: str) -> Connection | None:
        with self._lock:
            connection = self._connections.get(tenant_id)
            return connection.model_copy(deep=True) if connection else None

    def put(self, connection: Connection) -> None:
        with self._lock:
            self._connections[connection.tenant_id] = connection.model_copy(deep=True)

    def find_by_xero_tenant(self, xero_tenant_id: str) -> list[Connection]:
        with self._lock:
            return [
                connection.model_copy(deep=True)
                for connection in self._connections.values()
                if connection.xero_tenant_id == xero_tenant_id
            ]

    def acquire_refresh_lease(
        self, tenant_id: str, owner: str, expected_version: int, now: datetime, lease_for: timedelta
    ) -> bool:
        with self._lock:
            connection = self._connections.get(tenant_id)
            if connection is None or connection.token_version != expected_version:
                return False
            held_by_another = (
                connection.refresh_lease_expires_at is not None
                and connection.refresh_lease_expires_at >= now
                and connection.refresh_lease_owner != owner
            )
            if held_by_another:
                return False
            connection.refresh_lease_owner = owner
            connection.refresh_lease_expires_at = now + lease_for
            return True

    def record_refresh(
        self, tenant_id: str, owner: str, new_version: int, access_expires_at: datetime, refreshed_at: datetime
    ) -> bool:
        with self._lock:
            connection = self._connections.get(tenant_id)
            if connection is None or connection.refresh_lease_owner != owner:
                return False
            connection.token_version = new_version
            connection.access_expires_at = access_expires_at
            connection.refresh_token_issued_at = refreshed_at
            connection.updated_at = refreshed_at
            connection.refresh_lease_owner = None
            connection.refresh_lease_expires_at = None
            return True

    def release_refresh_lease(self, tenant_id: str, owner: str) -> None:
        with self._lock:
            connection = self._connections.get(tenant_id)
            if connection is not None and connection.refresh_lease_owner == owner:
                connection.refresh_lease_owner = None
                connection.refresh_lease_expires_at = None

    def set_status(self, tenant_id: str, status: ConnectionStatus, last_error: str | None, now: datetime) -> None:
        """Does nothing when the tenant has no connection, as the adapter's conditional update."""
        with self._lock:
            connection = self._connections.get(tenant_id)
            if connection is not None:
                connection.status = status
                connection.last_error = last_error
                connection.updated_at = now

    def refreshed_before(self, cutoff: datetime) -> list[Connection]:
        with self._lock:
            return [
                connection.model_copy(deep=True)
                for connection in self._connections.values()
                if connection.status == ConnectionStatus.CONNECTED
                and connection.refresh_token_issued_at is not None
                and connection.refresh_token_issued_at < cutoff
            ]


class MemoryConnectSessionStore(ConnectSessionStore):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, ConnectSession] = {}

    def put(self, session: ConnectSession) -> None:
        with self._lock:
            self._sessions[session.session_id] = session.model_copy(deep=True)

    def take(self, session_id: str, now: datetime) -> ConnectSession | None:
        with self._lock:
            session = self._sessions.pop(session_id, None)
        # Taken even when expired: an expired session is gone either way.
        return session if session is not None and now < session.expires_at else None


class MemoryOAuthStateStore(OAuthStateStore):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, OAuthState] = {}

    def put(self, state: OAuthState) -> None:
        with self._lock:
            self._states[state.state] = state.model_copy(deep=True)

    def take(self, state: str, now: datetime) -> OAuthState | None:
        with self._lock:
            found = self._states.pop(state, None)
        return found if found is not None and now < found.expires_at else None


class MemoryApiKeyStore(ApiKeyStore):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hashes: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def put(self, key_id: str, secret_hash: str, name: str, created_at: datetime) -> None:
        with self._lock:
            self._hashes[key_id] = secret_hash
            self.names[key_id] = name

    def secret_hash(self, key_id: str) -> str | None:
        with self._lock:
            return self._hashes.get(key_id)


class MemoryWebhookReceipts(WebhookReceipts):
    """A receipt counts until `now + keep_for`; after that the same key is new again (as DynamoDB's
    TTL would eventually delete it; the adapter checks the expiry in its condition)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept_until: dict[str, datetime] = {}

    def first_time(self, receipt_key: str, now: datetime, keep_for: timedelta) -> bool:
        with self._lock:
            kept_until = self._kept_until.get(receipt_key)
            if kept_until is not None and now < kept_until:
                return False
            self._kept_until[receipt_key] = now + keep_for
            return True

    def forget(self, receipt_key: str) -> None:
        with self._lock:
            self._kept_until.pop(receipt_key, None)


@dataclass
class MemoryState:
    """Every state port in one bundle, for composing a function's dependencies in tests."""

    tenants: MemoryTenantRepository = field(default_factory=MemoryTenantRepository)
    connections: MemoryConnectionRepository = field(default_factory=MemoryConnectionRepository)
    connect_sessions: MemoryConnectSessionStore = field(default_factory=MemoryConnectSessionStore)
    oauth_states: MemoryOAuthStateStore = field(default_factory=MemoryOAuthStateStore)
    api_keys: MemoryApiKeyStore = field(default_factory=MemoryApiKeyStore)
    webhook_receipts: MemoryWebhookReceipts = field(default_factory=MemoryWebhookReceipts)
