"""The whole connect flow against moto and the real Xero simulator: hosted authorise URL, Xero's sign-in
and consent forms, the callback, the organisation picker, and what ends up in Secrets Manager,
DynamoDB and on the event bus."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from shared.domain.connections import ConnectionStatus
from tests.integration.conftest import Stage
from tests.integration.connect_stack import PUBLIC_BASE_URL, RETURN_URL, ConnectStack
from tests.simulator.identity_flow import exchange
from xero_simulator.server import Simulator


@pytest.fixture
def stack(simulator: Simulator, stage: Stage, monkeypatch: pytest.MonkeyPatch) -> ConnectStack:
    return ConnectStack.build(simulator, stage, monkeypatch)


@pytest.fixture
def two_organisations(simulator: Simulator, stage: Stage, monkeypatch: pytest.MonkeyPatch) -> ConnectStack:
    return ConnectStack.build(simulator, stage, monkeypatch, organisations=2)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_authorise_sends_the_browser_to_the_simulators_sign_in_form(stack: ConnectStack) -> None:
    # Given a hosted authorise URL created by the platform API's use case
    _, url = stack.hosted_authorise_url()
    # When the browser opens it and follows the redirect
    page = stack.party.http.get(stack.to_xero(url).location)
    # Then the simulator accepts the request (client id, exact redirect URI, scopes, S256 challenge)
    assert page.status_code == 200
    assert 'id="sign-in-form"' in page.text


def test_one_organisation_ends_connected_on_the_return_url(stack: ConnectStack) -> None:
    # Given a tenant who allowed its one organisation at Xero
    tenant_id, callback = stack.consent_to_callback()
    # When Xero's redirect reaches the callback
    answer = stack.call("GET", callback)
    # Then the browser goes back to the platform, connected
    assert answer.status == 302
    assert answer.location.startswith(RETURN_URL)
    assert answer.query == {"platform": "demo", "status": "connected", "tenant_id": tenant_id}


def test_connected_tenant_has_a_token_secret_xero_accepts_under_the_tokens_key(stack: ConnectStack) -> None:
    # Given a completed connect
    tenant_id, callback = stack.consent_to_callback()
    stack.call("GET", callback)
    # When its token secret is read from Secrets Manager
    secret = stack.token_secret(tenant_id)
    # Then it is version 1, encrypted under the tokens key, and its access token lists this consent's organisation
    assert secret is not None
    assert secret["version"] == 1
    assert secret["refresh_token"]
    assert stack.secret_key_id(tenant_id) in {stack.stage.names.tokens_key_alias, stack.stage.tokens_key_id}
    rows = stack.connections_at_xero(secret["access_token"])
    assert [row["tenantId"] for row in rows] == [stack.party.org.organisation_id]


def test_connected_tenant_has_a_connection_record_and_an_event(stack: ConnectStack) -> None:
    # Given a completed connect
    tenant_id, callback = stack.consent_to_callback()
    stack.call("GET", callback)
    # When the connection record and the bus are read
    connection = stack.connection(tenant_id)
    events = stack.events()
    # Then the record names the organisation and its connection, and the platform heard about it
    assert connection is not None
    assert connection.status is ConnectionStatus.CONNECTED
    assert connection.xero_tenant_id == stack.party.org.organisation_id
    assert connection.organisation_name == "Company 1"
    assert connection.xero_connection_id is not None
    assert connection.token_version == 1
    assert "offline_access" in connection.scopes
    assert [(e["detail-type"], e["detail"]["tenant_id"]) for e in events] == [("connection.connected", tenant_id)]


def test_two_organisations_lead_to_the_picker(two_organisations: ConnectStack) -> None:
    # Given a tenant who allowed two organisations at Xero
    stack = two_organisations
    tenant_id, callback = stack.consent_to_callback()
    # When the callback runs
    picker = stack.call("GET", callback)
    # Then the picker offers both, posting to our /oauth/pick, and the connection waits in PICKING
    assert picker.status == 200
    page = picker.page()
    assert sorted(page.radios) == sorted(o.organisation_id for o in stack.party.orgs)
    assert page.form_action == f"{PUBLIC_BASE_URL}/oauth/pick"
    connection = stack.connection(tenant_id)
    assert connection is not None
    assert connection.status is ConnectionStatus.PICKING


def test_picking_one_organisation_deletes_the_other_connection_at_xero(two_organisations: ConnectStack) -> None:
    # Given the picker for two organisations
    stack = two_organisations
    tenant_id, callback = stack.consent_to_callback()
    picker = stack.call("GET", callback)
    chosen = stack.party.orgs[1].organisation_id
    # When the tenant picks the second one
    answer = stack.pick(picker, chosen)
    # Then it is connected to that one, and Xero lists only that connection for the app
    assert answer.status == 302
    assert answer.query["status"] == "connected"
    connection = stack.connection(tenant_id)
    assert connection is not None
    assert (connection.status, connection.xero_tenant_id) == (ConnectionStatus.CONNECTED, chosen)
    secret = stack.token_secret(tenant_id)
    assert secret is not None
    assert [row["tenantId"] for row in stack.connections_at_xero(secret["access_token"])] == [chosen]
    assert [e["detail-type"] for e in stack.events()] == ["connection.connected"]


def test_replayed_callback_stores_nothing_more(stack: ConnectStack) -> None:
    # Given a callback that already connected the tenant
    tenant_id, callback = stack.consent_to_callback()
    stack.call("GET", callback)
    first_secret = stack.token_secret(tenant_id)
    stack.events()
    # When the same callback URL is loaded again (a replayed state and code)
    answer = stack.call("GET", callback)
    # Then the sign-in page refuses it, and the secret and the bus are untouched
    assert answer.status == 400
    assert answer.page().main_id == "sign-in-unusable"
    assert stack.token_secret(tenant_id) == first_secret
    assert stack.events() == []


def test_forged_state_stores_nothing(stack: ConnectStack) -> None:
    # Given a real code from the simulator presented with a state we never issued
    tenant_id, callback = stack.consent_to_callback()
    forged = f"{PUBLIC_BASE_URL}/oauth/callback?code={query_of(callback)['code']}&state=forged"
    # When it reaches the callback
    answer = stack.call("GET", forged)
    # Then it is refused and nothing is stored
    assert answer.status == 400
    assert stack.token_secret(tenant_id) is None
    assert stack.connection(tenant_id) is None


def test_replayed_code_returns_code_rejected_and_stores_nothing(stack: ConnectStack) -> None:
    # Given a code someone already exchanged at the simulator
    tenant_id, callback = stack.consent_to_callback()
    spent = exchange(
        stack.party,
        query_of(callback)["code"],
        redirect_uri=f"{PUBLIC_BASE_URL}/oauth/callback",
        verifier=stack.verifier_of(callback),
    )
    assert spent.status_code == 200
    # When the callback exchanges it again
    answer = stack.call("GET", callback)
    # Then Xero's invalid_grant sends the tenant back with code_rejected, and nothing is stored
    assert answer.status == 302
    assert answer.query["status"] == "error"
    assert answer.query["reason"] == "code_rejected"
    assert stack.token_secret(tenant_id) is None
    assert stack.connection(tenant_id) is None


def test_access_denied_returns_denied_and_stores_nothing(stack: ConnectStack) -> None:
    # Given a tenant who clicked Cancel on the simulator's consent page
    tenant_id, url = stack.hosted_authorise_url()
    callback = stack.decide(stack.consent_page(stack.to_xero(url)), "deny")
    # When Xero's redirect reaches the callback
    answer = stack.call("GET", callback)
    # Then the platform hears "denied" and nothing is stored
    assert answer.status == 302
    assert answer.query["status"] == "denied"
    assert stack.token_secret(tenant_id) is None
    assert stack.connection(tenant_id) is None


def test_wrong_client_secret_shows_the_misconfigured_app_page(
    simulator: Simulator, stage: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an operator who pasted a wrong client secret into the app secret
    stack = ConnectStack.build(simulator, stage, monkeypatch, client_secret="not-the-apps-secret")
    tenant_id, callback = stack.consent_to_callback()
    # When the callback exchanges the code and the simulator answers invalid_client
    answer = stack.call("GET", callback)
    # Then the tenant sees the misconfigured-app page (502) and nothing is stored
    assert answer.status == 502
    assert answer.page().main_id == "app-misconfigured"
    assert stack.token_secret(tenant_id) is None


def test_used_hosted_authorise_url_shows_the_expired_link_page(stack: ConnectStack) -> None:
    # Given a hosted authorise URL that was opened once
    _, url = stack.hosted_authorise_url()
    stack.to_xero(url)
    # When it is opened again
    answer = stack.call("GET", url)
    # Then the expired-link page answers
    assert answer.status == 410
    assert answer.page().main_id == "connect-link-unusable"
