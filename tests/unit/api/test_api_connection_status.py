"""GET /v1/tenants/{tenant_id}/connection: status, organisation, scopes, token health, last error."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.domain.connections import ConnectionStatus
from tests.unit.api.api_world import ORGANISATION, XERO_TENANT, ApiWorld


def test_tenant_that_never_connected_is_not_connected(world: ApiWorld) -> None:
    # Given a tenant that never connected
    tenant_id = world.tenant()
    # When its connection is read
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/connection")
    # Then it is not connected and has no organisation
    assert answer.status == 200
    assert answer.body["status"] == "not_connected"
    assert answer.body["organisation"] is None


def test_connected_tenant_shows_its_organisation_scopes_and_since_when(world: ApiWorld) -> None:
    # Given a tenant connected at 09:00
    tenant_id = world.tenant()
    world.connect(tenant_id, scopes=("offline_access", "accounting.settings"))
    # When its connection is read an hour later
    world.clock.advance(timedelta(hours=1))
    body = world.call("GET", f"/v1/tenants/{tenant_id}/connection").body
    # Then it shows the organisation, the scopes granted and the connection time
    assert body["status"] == "connected"
    assert body["organisation"] == {"xero_tenant_id": XERO_TENANT, "name": ORGANISATION}
    assert body["scopes"] == ["offline_access", "accounting.settings"]
    assert body["connected_since"] == "2026-01-05T09:00:00Z"


def test_token_health_shows_expiry_and_refresh_token_age(world: ApiWorld) -> None:
    # Given a tenant connected at 09:00 (access token until 09:30)
    tenant_id = world.tenant()
    world.connect(tenant_id)
    # When its connection is read at 10:00
    world.clock.advance(timedelta(hours=1))
    health = world.call("GET", f"/v1/tenants/{tenant_id}/connection").body["token_health"]
    # Then the access token is expired (the next call to Xero refreshes it) and the refresh token is an hour old
    assert health == {
        "access_expires_at": "2026-01-05T09:30:00Z",
        "access_token_expired": True,
        "refresh_token_issued_at": "2026-01-05T09:00:00Z",
        "refresh_token_age_seconds": 3600,
        "refresh_token_expires_at": "2026-03-06T09:00:00Z",
    }


def test_connection_needing_reauthorisation_says_so_with_the_last_error(world: ApiWorld) -> None:
    # Given a connection whose grant Xero refused
    tenant_id = world.tenant()
    world.connect(tenant_id)
    message = "Xero no longer accepts this app's access. Connect to Xero again to resume syncing."
    world.state.connections.set_status(tenant_id, ConnectionStatus.NEEDS_REAUTH, message, world.clock.now())
    # When its connection is read
    body = world.call("GET", f"/v1/tenants/{tenant_id}/connection").body
    # Then the tenant is told to connect again, and why
    assert body["status"] == "needs_reauth"
    assert body["reauthorisation_needed"] is True
    assert body["last_error"] == message


def test_refresh_token_unused_for_60_days_needs_reauthorisation(world: ApiWorld) -> None:
    # Given a connection whose refresh token was issued 60 days ago and never used (FACTS.md §1.4)
    tenant_id = world.tenant()
    world.connect(tenant_id)
    world.clock.advance(timedelta(days=60))
    # When its connection is read
    body = world.call("GET", f"/v1/tenants/{tenant_id}/connection").body
    # Then re-authorisation is needed although no refresh has failed yet
    assert body["status"] == "connected"
    assert body["reauthorisation_needed"] is True


def test_healthy_connection_needs_no_reauthorisation(world: ApiWorld) -> None:
    # Given a connection refreshed 59 days ago
    tenant_id = world.tenant()
    world.connect(tenant_id)
    world.clock.advance(timedelta(days=59))
    # When its connection is read
    body = world.call("GET", f"/v1/tenants/{tenant_id}/connection").body
    # Then nothing is needed from the tenant
    assert body["reauthorisation_needed"] is False


def test_connection_of_an_unknown_tenant_is_a_404(world: ApiWorld) -> None:
    # When the connection of a tenant that does not exist is read
    answer = world.call("GET", f"/v1/tenants/{uuid.uuid4()}/connection")
    # Then the answer is 404
    assert answer.status == 404
