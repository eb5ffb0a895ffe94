"""DELETE /v1/tenants/{tenant_id}/connection: the connection removed at Xero (by its connection id),
the grant revoked when nothing else hangs on it, the token secret deleted, the tenant and its
history kept, connection.disconnected published; a repeat answers the same."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from shared.domain.connections import ConnectionStatus, OrganisationChoice
from shared.domain.platform_events import EventType
from shared.domain.tokens import TokenSet
from shared.ports.xero_identity import XeroGrantError, XeroUnavailableError
from tests.unit.api.api_world import ORGANISATION, RETURN_URL, XERO_TENANT, ApiWorld

OTHER_XERO_TENANT = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"


def stored_tokens(world: ApiWorld, tenant_id: str) -> TokenSet:
    tokens = world.vault.read(tenant_id)
    assert tokens is not None
    return tokens


def disconnect(world: ApiWorld, tenant_id: str) -> dict[str, object]:
    answer = world.call("DELETE", f"/v1/tenants/{tenant_id}/connection")
    assert answer.status == 200, answer.text
    body: dict[str, object] = answer.body
    return body


def test_xero_connection_is_deleted_by_its_connection_id(world: ApiWorld, tenant_id: str) -> None:
    # Given the connection's Xero connection id (not the organisation's tenant id)
    connection_id = world.connection(tenant_id).xero_connection_id
    # When the tenant is disconnected
    disconnect(world, tenant_id)
    # Then exactly that connection was deleted at Xero
    assert world.identity.deleted_connections == [connection_id]
    assert connection_id != XERO_TENANT


def test_refresh_token_is_revoked(world: ApiWorld, tenant_id: str) -> None:
    # Given the stored refresh token
    refresh_token = stored_tokens(world, tenant_id).refresh_token.get_secret_value()
    # When the tenant is disconnected
    disconnect(world, tenant_id)
    # Then it was revoked at Xero
    assert world.identity.revoked_tokens == [refresh_token]


def test_token_secret_is_deleted(world: ApiWorld, tenant_id: str) -> None:
    # When the tenant is disconnected
    disconnect(world, tenant_id)
    # Then no tokens are kept
    assert world.vault.read(tenant_id) is None


def test_tenant_and_organisation_are_kept_and_the_status_is_disconnected(world: ApiWorld, tenant_id: str) -> None:
    # When the tenant is disconnected
    body = disconnect(world, tenant_id)
    # Then the answer is the connection, disconnected, still naming the organisation it was connected to
    assert body["status"] == "disconnected"
    assert body["organisation"] == {"xero_tenant_id": XERO_TENANT, "name": ORGANISATION}
    assert body["token_health"] is None
    # And the tenant still exists
    assert world.call("GET", f"/v1/tenants/{tenant_id}").status == 200


def test_connection_disconnected_is_published(world: ApiWorld, tenant_id: str) -> None:
    # When the tenant is disconnected
    disconnect(world, tenant_id)
    # Then the platform is told once, with the organisation
    [event] = world.events.of_type(EventType.CONNECTION_DISCONNECTED)
    assert event.tenant_id == tenant_id
    assert event.data["xero_tenant_id"] == XERO_TENANT


def test_second_disconnect_answers_the_same_and_does_nothing_more(world: ApiWorld, tenant_id: str) -> None:
    # Given a tenant disconnected once
    first = disconnect(world, tenant_id)
    # When it is disconnected again
    second = disconnect(world, tenant_id)
    # Then the answer is the same, and Xero and the platform heard of it once
    assert second == first
    assert len(world.events.of_type(EventType.CONNECTION_DISCONNECTED)) == 1
    assert len(world.identity.deleted_connections) == 1
    assert len(world.identity.revoked_tokens) == 1


def test_grant_covering_other_organisations_is_not_revoked(world: ApiWorld) -> None:
    # Given a consent that also connected another organisation (for instance for another tenant)
    tenant_id = world.tenant()
    world.connect(tenant_id, organisations=((XERO_TENANT, ORGANISATION), (OTHER_XERO_TENANT, "Other Co")))
    # When the tenant is disconnected
    disconnect(world, tenant_id)
    # Then only its connection was deleted; revoking would have removed the other one too (FACTS.md §1.1)
    assert len(world.identity.deleted_connections) == 1
    assert world.identity.revoked_tokens == []


def test_xero_connection_another_tenant_uses_is_left_in_place(world: ApiWorld, tenant_id: str) -> None:
    # Given a second tenant connected through the same Xero connection (same user, same organisation)
    second = world.tenant("Second")
    shared = world.connection(tenant_id).model_copy(update={"tenant_id": second})
    world.state.connections.put(shared)
    world.vault.write(second, stored_tokens(world, tenant_id))
    # When the first tenant is disconnected
    disconnect(world, tenant_id)
    # Then the Xero connection is still there for the second tenant
    assert world.identity.deleted_connections == []
    assert world.identity.revoked_tokens == []
    assert world.connection(second).status is ConnectionStatus.CONNECTED


def test_xero_outage_changes_nothing_and_answers_503(world: ApiWorld, tenant_id: str) -> None:
    # Given Xero does not answer
    world.identity.fail_next("delete_connection", XeroUnavailableError("Xero could not be reached"))
    # When the tenant is disconnected
    answer = world.call("DELETE", f"/v1/tenants/{tenant_id}/connection")
    # Then the platform is told to retry, and the connection and its tokens are untouched
    assert answer.status == 503
    assert answer.headers["Retry-After"] == "60"
    assert world.connection(tenant_id).status is ConnectionStatus.CONNECTED
    assert world.vault.read(tenant_id) is not None
    assert world.events.events == []


def test_retry_after_an_outage_finishes_the_disconnect(world: ApiWorld, tenant_id: str) -> None:
    # Given a disconnect that failed half-way: the connection was deleted at Xero, then Xero went silent
    world.identity.fail_next("connections", XeroUnavailableError("Xero could not be reached"))
    assert world.call("DELETE", f"/v1/tenants/{tenant_id}/connection").status == 503
    # When the platform retries
    body = disconnect(world, tenant_id)
    # Then the disconnect completes: the grant revoked, the secret gone
    assert body["status"] == "disconnected"
    assert len(world.identity.revoked_tokens) == 1
    assert world.vault.read(tenant_id) is None


def test_connection_already_removed_in_xero_is_still_disconnected(world: ApiWorld, tenant_id: str) -> None:
    # Given the user already removed the organisation in Xero
    world.identity.disconnect(XERO_TENANT)
    # When the tenant is disconnected
    body = disconnect(world, tenant_id)
    # Then our side is disconnected all the same
    assert body["status"] == "disconnected"
    assert world.vault.read(tenant_id) is None


def test_connection_needing_reauth_with_dead_tokens_is_disconnected(world: ApiWorld, tenant_id: str) -> None:
    # Given a connection whose grant Xero refused a day ago
    world.identity.revoke(stored_tokens(world, tenant_id).refresh_token.get_secret_value())
    world.state.connections.set_status(tenant_id, ConnectionStatus.NEEDS_REAUTH, "revoked", world.clock.now())
    world.clock.advance(timedelta(days=1))
    # When the tenant is disconnected
    body = disconnect(world, tenant_id)
    # Then it is disconnected without asking anything more of Xero
    assert body["status"] == "disconnected"
    assert world.identity.deleted_connections == []
    assert world.vault.read(tenant_id) is None


def test_disconnect_waits_for_a_refresh_in_progress(world: ApiWorld, tenant_id: str) -> None:
    # Given another worker holds the refresh lease
    version = world.connection(tenant_id).token_version
    world.state.connections.acquire_refresh_lease(tenant_id, "worker-9", version, world.clock.now(), timedelta(30))
    # When the tenant is disconnected
    answer = world.call("DELETE", f"/v1/tenants/{tenant_id}/connection")
    # Then the platform is asked to retry in a moment, and the secret the worker may write to is kept
    assert answer.status == 503
    assert answer.headers["Retry-After"] == "5"
    assert world.vault.read(tenant_id) is not None


def test_app_credentials_refused_by_xero_leave_the_tenant_connected(world: ApiWorld, tenant_id: str) -> None:
    # Given the access token expired and Xero refuses the app's credentials when refreshing
    world.clock.advance(timedelta(hours=1))
    world.identity.fail_next("refresh", XeroGrantError("invalid_client"))
    # When the tenant is disconnected
    answer = world.call("DELETE", f"/v1/tenants/{tenant_id}/connection")
    # Then the operator is told to fix the app first, and nothing of the connection is lost meanwhile
    assert answer.status == 502
    assert "invalid_client" in answer.body["detail"]
    assert world.connection(tenant_id).status is ConnectionStatus.CONNECTED
    assert world.vault.read(tenant_id) is not None


def test_tenant_still_picking_has_every_offered_connection_deleted(world: ApiWorld) -> None:
    # Given a tenant who authorised two organisations and has not chosen one yet
    tenant_id = world.tenant()
    tokens = world.connect(tenant_id, organisations=((XERO_TENANT, ORGANISATION), (OTHER_XERO_TENANT, "Other Co")))
    rows = world.identity.connections(tokens.access_token.get_secret_value())
    picking = world.connection(tenant_id).model_copy(
        update={
            "status": ConnectionStatus.PICKING,
            "xero_tenant_id": None,
            "xero_connection_id": None,
            "choices": [OrganisationChoice(xero_tenant_id=r.tenant_id, xero_connection_id=r.id, name="") for r in rows],
        }
    )
    world.state.connections.put(picking)
    # When the tenant is disconnected
    disconnect(world, tenant_id)
    # Then both connections of that consent are deleted at Xero and the grant is revoked
    assert sorted(world.identity.deleted_connections) == sorted(row.id for row in rows)
    assert len(world.identity.revoked_tokens) == 1


def test_tenant_that_never_connected_answers_not_connected(world: ApiWorld) -> None:
    # When a tenant that never connected is disconnected
    body = disconnect(world, world.tenant())
    # Then nothing happens and the answer says not connected
    assert body["status"] == "not_connected"
    assert world.events.events == []


def test_disconnected_tenant_can_start_connecting_again(world: ApiWorld, tenant_id: str) -> None:
    # Given a disconnected tenant
    disconnect(world, tenant_id)
    # When the platform creates a connect session for the same tenant
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/connect-sessions", body={"return_url": RETURN_URL})
    # Then the tenant keeps its id and can connect again
    assert answer.status == 201


def test_disconnect_of_an_unknown_tenant_is_a_404(world: ApiWorld) -> None:
    # When a tenant that does not exist is disconnected
    answer = world.call("DELETE", f"/v1/tenants/{uuid.uuid4()}/connection")
    # Then the answer is 404
    assert answer.status == 404


def test_a_disconnect_stopped_before_the_secret_was_deleted_is_finished_by_the_next_call(
    world: ApiWorld, tenant_id: str
) -> None:
    # Given a disconnect that stored DISCONNECTED and then stopped, leaving the secret behind
    tokens = stored_tokens(world, tenant_id)
    disconnect(world, tenant_id)
    world.vault.write(tenant_id, tokens)
    # When the platform calls disconnect again
    disconnect(world, tenant_id)
    # Then the secret is gone
    assert world.vault.read(tenant_id) is None


def test_the_record_says_disconnected_before_the_secret_disappears(
    world: ApiWorld, tenant_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a vault that records the connection's status at the moment its secret is deleted
    seen: list[ConnectionStatus] = []
    delete = world.vault.delete

    def delete_and_look(tenant: str) -> None:
        seen.append(world.connection(tenant).status)
        delete(tenant)

    monkeypatch.setattr(world.vault, "delete", delete_and_look)
    # When the tenant is disconnected
    disconnect(world, tenant_id)
    # Then no worker could have seen a CONNECTED record without tokens
    assert seen == [ConnectionStatus.DISCONNECTED]
