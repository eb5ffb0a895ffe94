"""The state ports' contract. A subclass provides the `state` fixture: an object with `tenants`,
`connections`, `connect_sessions`, `oauth_states`, `api_keys` and `webhook_receipts`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from shared.domain.connections import Connection, ConnectionStatus, OrganisationChoice
from shared.domain.oauth import ConnectSession, OAuthState
from shared.domain.tenants import Tenant
from shared.ports.state import InvalidCursorError, TenantExistsError

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def a_tenant(tenant_id: str = "tenant-1", created_at: datetime = T0) -> Tenant:
    return Tenant(
        tenant_id=tenant_id, name=f"Customer {tenant_id}", external_id=f"ext-{tenant_id}", created_at=created_at
    )


def a_connection(
    tenant_id: str = "tenant-1",
    *,
    xero_tenant_id: str = "xero-org-1",
    status: ConnectionStatus = ConnectionStatus.CONNECTED,
    token_version: int = 1,
    refresh_token_issued_at: datetime | None = T0,
    last_error: str | None = None,
) -> Connection:
    return Connection(
        tenant_id=tenant_id,
        status=status,
        xero_tenant_id=xero_tenant_id,
        xero_connection_id=f"conn-{tenant_id}",
        organisation_name="Demo Company (AU)",
        scopes=("offline_access", "accounting.contacts"),
        auth_event_id="auth-event-1",
        connected_since=T0,
        token_version=token_version,
        access_expires_at=T0 + timedelta(minutes=30),
        refresh_token_issued_at=refresh_token_issued_at,
        last_error=last_error,
        choices=[OrganisationChoice(xero_tenant_id=xero_tenant_id, xero_connection_id="c-1", name="Demo")],
        return_url="https://platform.example/return",
        updated_at=T0,
    )


class TenantRepositoryContract:
    def test_a_created_tenant_reads_back_unchanged(self, state: Any) -> None:
        # Given a stored tenant
        tenant = a_tenant()
        state.tenants.create(tenant)
        # When it is read / Then it equals what was stored
        assert state.tenants.get("tenant-1") == tenant

    def test_an_unknown_tenant_is_none(self, state: Any) -> None:
        # Given no tenants / When one is read / Then there is none
        assert state.tenants.get("nobody") is None

    def test_a_tenant_id_can_be_created_only_once(self, state: Any) -> None:
        # Given a stored tenant
        state.tenants.create(a_tenant())
        # When another tenant with the same id is created / Then it is refused
        with pytest.raises(TenantExistsError):
            state.tenants.create(a_tenant().model_copy(update={"name": "Someone else"}))

    def test_tenants_are_listed_oldest_first_page_by_page(self, state: Any) -> None:
        # Given three tenants created in an order unlike their ids
        for index, tenant_id in enumerate(["c", "a", "b"]):
            state.tenants.create(a_tenant(tenant_id, T0 + timedelta(minutes=index)))
        # When they are listed two at a time
        first, cursor = state.tenants.list(2)
        second, end = state.tenants.list(2, cursor)
        # Then pages follow creation order and the last page has no cursor
        assert [t.tenant_id for t in first + second] == ["c", "a", "b"]
        assert end is None

    def test_a_page_that_ends_the_list_has_no_cursor(self, state: Any) -> None:
        # Given exactly two tenants
        state.tenants.create(a_tenant("a", T0))
        state.tenants.create(a_tenant("b", T0 + timedelta(seconds=1)))
        # When a page of two is listed
        page, cursor = state.tenants.list(2)
        # Then no cursor leads to an empty page
        assert len(page) == 2
        assert cursor is None

    def test_a_forged_cursor_is_refused(self, state: Any) -> None:
        # Given a tenant
        state.tenants.create(a_tenant())
        # When the list is asked to continue from a cursor it never handed out / Then it refuses
        with pytest.raises(InvalidCursorError):
            state.tenants.list(10, "eyJwayI6ICJTRVNTSU9OI3gifQ==")


class ConnectionRepositoryContract:
    def test_a_stored_connection_reads_back_unchanged(self, state: Any) -> None:
        # Given a connection with every field set
        connection = a_connection(last_error="none yet")
        state.connections.put(connection)
        # When it is read / Then it equals what was stored
        assert state.connections.get("tenant-1") == connection

    def test_connections_are_found_by_their_xero_organisation(self, state: Any) -> None:
        # Given two tenants connected to one organisation and a third to another
        state.connections.put(a_connection("t1", xero_tenant_id="org-a"))
        state.connections.put(a_connection("t2", xero_tenant_id="org-a"))
        state.connections.put(a_connection("t3", xero_tenant_id="org-b"))
        # When connections of org-a are looked up
        found = state.connections.find_by_xero_tenant("org-a")
        # Then both of its tenants are found, and only they
        assert sorted(c.tenant_id for c in found) == ["t1", "t2"]

    def test_the_refresh_lease_is_granted_at_the_current_version(self, state: Any) -> None:
        # Given a connection at token version 1
        state.connections.put(a_connection(token_version=1))
        # When a worker asks for the lease at version 1 / Then it gets it, until now + lease
        assert state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)
        connection = state.connections.get("tenant-1")
        assert (connection.refresh_lease_owner, connection.refresh_lease_expires_at) == ("w1", T0 + LEASE)

    def test_the_refresh_lease_is_refused_at_a_stale_version(self, state: Any) -> None:
        # Given a connection already refreshed to version 2
        state.connections.put(a_connection(token_version=2))
        # When a worker that read version 1 asks for the lease / Then it is refused
        assert not state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)

    def test_the_refresh_lease_is_refused_without_a_connection(self, state: Any) -> None:
        # Given no connection / When a worker asks for the lease / Then it is refused
        assert not state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)

    def test_a_held_lease_blocks_another_worker(self, state: Any) -> None:
        # Given a lease held by w1
        state.connections.put(a_connection())
        state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)
        # When w2 asks before it expires / Then w2 is refused
        assert not state.connections.acquire_refresh_lease("tenant-1", "w2", 1, T0 + LEASE, LEASE)

    def test_an_expired_lease_can_be_taken_over(self, state: Any) -> None:
        # Given a lease held by w1 that has expired (a worker that crashed mid-refresh)
        state.connections.put(a_connection())
        state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)
        # When w2 asks after the expiry / Then w2 gets it
        later = T0 + LEASE + timedelta(microseconds=1)
        assert state.connections.acquire_refresh_lease("tenant-1", "w2", 1, later, LEASE)
        assert state.connections.get("tenant-1").refresh_lease_owner == "w2"

    def test_the_lease_holder_can_renew_its_lease(self, state: Any) -> None:
        # Given a lease held by w1
        state.connections.put(a_connection())
        state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)
        # When w1 asks again before expiry / Then it is extended from the new instant
        assert state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0 + timedelta(seconds=10), LEASE)
        assert state.connections.get("tenant-1").refresh_lease_expires_at == T0 + timedelta(seconds=10) + LEASE

    def test_recording_a_refresh_publishes_the_new_version_and_frees_the_lease(self, state: Any) -> None:
        # Given w1 holds the lease at version 1
        state.connections.put(a_connection())
        state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)
        refreshed_at = T0 + timedelta(seconds=2)
        # When w1 records its refresh
        recorded = state.connections.record_refresh(
            "tenant-1", "w1", 2, refreshed_at + timedelta(minutes=30), refreshed_at
        )
        # Then the connection carries version 2, the new expiry and issue time, and no lease
        connection = state.connections.get("tenant-1")
        assert recorded
        assert (connection.token_version, connection.access_expires_at, connection.refresh_token_issued_at) == (
            2,
            refreshed_at + timedelta(minutes=30),
            refreshed_at,
        )
        assert (connection.refresh_lease_owner, connection.refresh_lease_expires_at) == (None, None)

    def test_a_worker_that_lost_the_lease_cannot_record_its_refresh(self, state: Any) -> None:
        # Given w1's lease expired and w2 took it over
        state.connections.put(a_connection())
        state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)
        state.connections.acquire_refresh_lease("tenant-1", "w2", 1, T0 + 2 * LEASE, LEASE)
        # When w1 tries to record a refresh / Then it is refused and the version is unchanged
        assert not state.connections.record_refresh("tenant-1", "w1", 2, T0, T0)
        assert state.connections.get("tenant-1").token_version == 1

    def test_a_released_lease_lets_another_worker_in(self, state: Any) -> None:
        # Given w1 held the lease and released it
        state.connections.put(a_connection())
        state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)
        state.connections.release_refresh_lease("tenant-1", "w1")
        # When w2 asks at once / Then it gets the lease
        assert state.connections.acquire_refresh_lease("tenant-1", "w2", 1, T0, LEASE)

    def test_a_worker_cannot_release_a_lease_it_does_not_hold(self, state: Any) -> None:
        # Given w1 holds the lease
        state.connections.put(a_connection())
        state.connections.acquire_refresh_lease("tenant-1", "w1", 1, T0, LEASE)
        # When w2 releases / Then w1 still holds it
        state.connections.release_refresh_lease("tenant-1", "w2")
        assert state.connections.get("tenant-1").refresh_lease_owner == "w1"

    def test_setting_a_status_records_the_error_and_time(self, state: Any) -> None:
        # Given a connected connection
        state.connections.put(a_connection())
        # When the refresh is refused
        later = T0 + timedelta(hours=1)
        state.connections.set_status("tenant-1", ConnectionStatus.NEEDS_REAUTH, "invalid_grant", later)
        # Then the status, the error and the update time are stored
        connection = state.connections.get("tenant-1")
        assert (connection.status, connection.last_error, connection.updated_at) == (
            ConnectionStatus.NEEDS_REAUTH,
            "invalid_grant",
            later,
        )

    def test_setting_a_status_without_an_error_clears_the_last_one(self, state: Any) -> None:
        # Given a connection that needs reauthorisation after an error
        state.connections.put(a_connection(status=ConnectionStatus.NEEDS_REAUTH, last_error="invalid_grant"))
        # When it is connected again without error / Then the old error is gone
        state.connections.set_status("tenant-1", ConnectionStatus.CONNECTED, None, T0)
        assert state.connections.get("tenant-1").last_error is None

    def test_setting_the_status_of_a_missing_connection_creates_nothing(self, state: Any) -> None:
        # Given no connection / When a status is set / Then still no connection exists
        state.connections.set_status("tenant-1", ConnectionStatus.NEEDS_REAUTH, "revoked", T0)
        assert state.connections.get("tenant-1") is None

    def test_keep_alive_finds_connected_connections_refreshed_before_the_cutoff(self, state: Any) -> None:
        # Given an old and a recent connected connection, an old one needing reauth and one never refreshed
        cutoff = T0 + timedelta(days=30)
        state.connections.put(a_connection("old", refresh_token_issued_at=T0))
        state.connections.put(a_connection("recent", refresh_token_issued_at=cutoff))
        state.connections.put(a_connection("broken", status=ConnectionStatus.NEEDS_REAUTH))
        state.connections.put(a_connection("picking", status=ConnectionStatus.PICKING, refresh_token_issued_at=None))
        # When connections refreshed before the cutoff are asked for / Then only the old connected one is
        assert [c.tenant_id for c in state.connections.refreshed_before(cutoff)] == ["old"]


def a_session(expires_at: datetime = T0 + timedelta(minutes=15)) -> ConnectSession:
    return ConnectSession(
        session_id="session-1", tenant_id="tenant-1", return_url="https://platform.example/r", expires_at=expires_at
    )


def an_oauth_state(expires_at: datetime = T0 + timedelta(minutes=10)) -> OAuthState:
    return OAuthState(
        state="state-1",
        tenant_id="tenant-1",
        return_url="https://platform.example/r",
        code_verifier=SecretStr("verifier-" + "x" * 40),
        expires_at=expires_at,
    )


class ConnectSessionStoreContract:
    def test_a_session_is_given_once(self, state: Any) -> None:
        # Given a stored session
        state.connect_sessions.put(a_session())
        # When it is taken twice / Then the first take gets it and the second nothing
        assert state.connect_sessions.take("session-1", T0) == a_session()
        assert state.connect_sessions.take("session-1", T0) is None

    def test_a_session_is_expired_from_its_expiry_instant(self, state: Any) -> None:
        # Given a session expiring at T0 + 15 min, still stored (TTL lags)
        state.connect_sessions.put(a_session())
        # When it is taken at that instant / Then it is not given
        assert state.connect_sessions.take("session-1", T0 + timedelta(minutes=15)) is None

    def test_an_unknown_session_is_none(self, state: Any) -> None:
        # Given no session / When one is taken / Then there is none
        assert state.connect_sessions.take("session-1", T0) is None


class OAuthStateStoreContract:
    def test_a_state_is_given_once_with_its_verifier(self, state: Any) -> None:
        # Given a stored state
        state.oauth_states.put(an_oauth_state())
        # When it is taken twice (a replayed callback)
        first = state.oauth_states.take("state-1", T0)
        replay = state.oauth_states.take("state-1", T0)
        # Then only the first take gets it, verifier included
        assert first is not None
        assert first.code_verifier.get_secret_value() == "verifier-" + "x" * 40
        assert replay is None

    def test_a_state_is_expired_from_its_expiry_instant(self, state: Any) -> None:
        # Given a state expiring at T0 + 10 min
        state.oauth_states.put(an_oauth_state())
        # When it is taken at that instant / Then it is not given
        assert state.oauth_states.take("state-1", T0 + timedelta(minutes=10)) is None

    def test_an_unknown_state_is_none(self, state: Any) -> None:
        # Given no state / When one is taken / Then there is none
        assert state.oauth_states.take("forged", T0) is None


class ApiKeyStoreContract:
    def test_a_key_s_secret_hash_is_found_by_its_id(self, state: Any) -> None:
        # Given a stored key
        state.api_keys.put("key-1", "a" * 64, "platform backend", T0)
        # When its hash is asked for / Then it is the stored one
        assert state.api_keys.secret_hash("key-1") == "a" * 64

    def test_an_unknown_key_has_no_hash(self, state: Any) -> None:
        # Given no keys / When a hash is asked for / Then there is none
        assert state.api_keys.secret_hash("key-1") is None


class WebhookReceiptsContract:
    def test_an_event_is_received_for_the_first_time_once(self, state: Any) -> None:
        # Given an event received once
        assert state.webhook_receipts.first_time("receipt-1", T0, timedelta(days=2))
        # When Xero retries it / Then it is a repeat
        assert not state.webhook_receipts.first_time("receipt-1", T0 + timedelta(hours=1), timedelta(days=2))

    def test_a_receipt_is_forgotten_once_it_has_been_kept_long_enough(self, state: Any) -> None:
        # Given an event received and kept for two days (TTL may not have deleted it yet)
        state.webhook_receipts.first_time("receipt-1", T0, timedelta(days=2))
        # When it arrives again two days later / Then it counts as new
        assert state.webhook_receipts.first_time("receipt-1", T0 + timedelta(days=2), timedelta(days=2))

    def test_a_forgotten_receipt_lets_the_retry_through(self, state: Any) -> None:
        # Given an event received but then forgotten (it could not be enqueued)
        state.webhook_receipts.first_time("receipt-1", T0, timedelta(days=2))
        state.webhook_receipts.forget("receipt-1")
        # When Xero retries it / Then it is received as new
        assert state.webhook_receipts.first_time("receipt-1", T0, timedelta(days=2))

    def test_receipts_of_different_events_are_independent(self, state: Any) -> None:
        # Given one event received
        state.webhook_receipts.first_time("receipt-1", T0, timedelta(days=2))
        # When another arrives / Then it is new
        assert state.webhook_receipts.first_time("receipt-2", T0, timedelta(days=2))


class StateContract(
    TenantRepositoryContract,
    ConnectionRepositoryContract,
    ConnectSessionStoreContract,
    OAuthStateStoreContract,
    ApiKeyStoreContract,
    WebhookReceiptsContract,
):
    """All state ports: subclass it and provide the `state` fixture."""
