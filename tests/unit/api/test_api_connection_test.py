"""POST /v1/tenants/{tenant_id}/connection/test: one read-only GET /Organisation, its outcome in words
a tenant (or the platform operator) can act on."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.domain.connections import ConnectionStatus
from shared.domain.platform_events import EventType
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import XeroGrantError, XeroUnavailableError
from tests.unit.api.api_world import ORGANISATION, XERO_TENANT, ApiWorld

OTHER_XERO_TENANT = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"


def run_test(world: ApiWorld, tenant_id: str) -> dict[str, object]:
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/connection/test")
    assert answer.status == 200, answer.text
    body: dict[str, object] = answer.body
    return body


def test_organisation_answering_as_the_connected_one_is_ok(world: ApiWorld, tenant_id: str) -> None:
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then Xero answered for the connected organisation
    assert result["ok"] is True
    assert result["outcome"] == "ok"
    assert result["organisation"] == {"xero_tenant_id": XERO_TENANT, "name": ORGANISATION}
    assert ORGANISATION in str(result["message"])


def test_expired_access_token_is_refreshed_before_the_test(world: ApiWorld, tenant_id: str) -> None:
    # Given the access token expired an hour ago
    world.clock.advance(timedelta(hours=1, minutes=30))
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then the custodian refreshed it and Xero answered
    assert result["outcome"] == "ok"
    assert world.identity.rotations == 1


def test_tenant_that_never_connected_is_told_to_connect(world: ApiWorld) -> None:
    # When the connection of a tenant that never connected is tested
    result = run_test(world, world.tenant())
    # Then it is told how to connect, and Xero was not called
    assert result["outcome"] == "not_connected"
    assert "connect session" in str(result["message"])
    assert world.accounting.calls == 0


def test_tenant_still_picking_is_told_to_finish_choosing(world: ApiWorld, tenant_id: str) -> None:
    # Given the tenant has not chosen an organisation yet
    world.state.connections.put(world.connection(tenant_id).model_copy(update={"status": ConnectionStatus.PICKING}))
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then it is told to finish on the picker
    assert result["outcome"] == "not_connected"
    assert "picker" in str(result["message"])


def test_invalid_client_tells_the_operator_to_fix_the_app(world: ApiWorld, tenant_id: str) -> None:
    # Given the access token expired and Xero refuses the app's credentials when refreshing
    world.clock.advance(timedelta(hours=1))
    world.identity.fail_next("refresh", XeroGrantError("invalid_client"))
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then the platform operator is told to fix the Xero app, and the tenant to do nothing
    assert result["outcome"] == "credentials_invalid"
    assert "invalid_client" in str(result["message"])
    assert "platform operator" in str(result["message"])
    assert world.connection(tenant_id).status is ConnectionStatus.CONNECTED


def test_refused_refresh_tells_the_tenant_to_connect_again(world: ApiWorld, tenant_id: str) -> None:
    # Given the access token expired and the grant was revoked in Xero (refresh: invalid_grant)
    tokens = world.vault.read(tenant_id)
    assert tokens is not None
    world.identity.revoke(tokens.refresh_token.get_secret_value())
    world.clock.advance(timedelta(hours=1))
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then the tenant is told to connect again, and the connection says so from now on
    assert result["outcome"] == "reauthorisation_needed"
    assert "Connect to Xero again" in str(result["message"])
    assert world.connection(tenant_id).status is ConnectionStatus.NEEDS_REAUTH


def test_disconnect_made_in_xero_turns_the_connection_to_needs_reauth(world: ApiWorld, tenant_id: str) -> None:
    # Given the user disconnected the organisation in Xero (the access token is still valid)
    world.identity.disconnect(XERO_TENANT)
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then the tenant is told to connect again, the status is needs_reauth and the platform was told
    assert result["outcome"] == "reauthorisation_needed"
    assert "disconnected" in str(result["message"])
    assert world.connection(tenant_id).status is ConnectionStatus.NEEDS_REAUTH
    assert [event.tenant_id for event in world.events.of_type(EventType.CONNECTION_NEEDS_REAUTH)] == [tenant_id]


def test_connection_without_offline_access_is_missing_a_scope(world: ApiWorld) -> None:
    # Given a tenant connected without offline_access (no refresh token)
    tenant_id = world.tenant()
    world.connect(tenant_id, scopes=("openid", "accounting.settings"))
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then it is told the connection cannot last and must be made again
    assert result["outcome"] == "missing_scope"
    assert "offline_access" in str(result["message"])


def test_missing_accounting_settings_scope_is_missing_a_scope(world: ApiWorld, tenant_id: str) -> None:
    # Given Xero refuses GET /Organisation with insufficient_scope (FACTS.md §1.7)
    world.accounting.fail_next(XeroApiError(401, "AuthorizationUnsuccessful", insufficient_scope=True))
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then the tenant is told which permission to grant
    assert result["outcome"] == "missing_scope"
    assert "accounting.settings" in str(result["message"])


def test_answer_for_another_organisation_is_the_wrong_organisation(world: ApiWorld, tenant_id: str) -> None:
    # Given Xero answers with another organisation's record
    world.accounting.answer_as(XERO_TENANT, OTHER_XERO_TENANT, "Someone Else Ltd")
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then it is the wrong organisation, naming both
    assert result["outcome"] == "wrong_organisation"
    assert "Someone Else Ltd" in str(result["message"])
    assert ORGANISATION in str(result["message"])
    assert result["organisation"] == {"xero_tenant_id": OTHER_XERO_TENANT, "name": "Someone Else Ltd"}


def test_xero_outage_says_try_later(world: ApiWorld, tenant_id: str) -> None:
    # Given Xero is down for maintenance
    world.accounting.fail_next(XeroUnavailableError("Xero answered 503 to GET /Organisation"))
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then the outcome says to try again later, and the connection is left as it was
    assert result["outcome"] == "xero_unavailable"
    assert "Try the test again" in str(result["message"])
    assert world.connection(tenant_id).status is ConnectionStatus.CONNECTED


def test_refusal_while_the_connection_still_exists_is_reported_with_xeros_words(
    world: ApiWorld, tenant_id: str
) -> None:
    # Given Xero refuses twice although it still lists the connection
    for _ in range(2):
        world.accounting.fail_next(XeroApiError(403, "The user has no access to this organisation"))
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then Xero's refusal is passed on, and the connection is not condemned
    assert result["outcome"] == "xero_refused"
    assert "The user has no access to this organisation" in str(result["message"])
    assert world.connection(tenant_id).status is ConnectionStatus.CONNECTED


def test_one_rejected_token_is_retried_after_the_custodian_checks(world: ApiWorld, tenant_id: str) -> None:
    # Given Xero rejects the first call once (a token it considered expired) but still lists the connection
    world.accounting.fail_next(XeroApiError(401, "TokenExpired: token expired"))
    # When the connection is tested
    result = run_test(world, tenant_id)
    # Then the second call answers and the test is ok
    assert result["outcome"] == "ok"
    assert world.accounting.calls == 2


def test_unexpected_failure_is_a_500_problem_without_a_stack_trace(world: ApiWorld, tenant_id: str) -> None:
    # Given the Xero client fails in a way nobody planned for
    world.accounting.fail_next(RuntimeError("socket went away in /srv/app/xero.py line 12"))
    # When the connection is tested
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/connection/test")
    # Then the platform gets a plain 500 problem, with nothing of the failure in it
    assert answer.status == 500
    assert answer.body["title"] == "Internal Server Error"
    assert "Traceback" not in answer.text
    assert "xero.py" not in answer.text


def test_test_of_an_unknown_tenant_is_a_404(world: ApiWorld) -> None:
    # When the connection of a tenant that does not exist is tested
    answer = world.call("POST", f"/v1/tenants/{uuid.uuid4()}/connection/test")
    # Then the answer is 404
    assert answer.status == 404
