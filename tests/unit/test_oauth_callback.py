"""GET /oauth/callback: Xero's redirect back is finished, refused or reported, and a bad one stores nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pydantic import SecretStr

from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.oauth import OAuthState
from shared.domain.platform_events import EventType, PlatformEvent
from shared.fakes.memory_event_bus import MemoryEventBus
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import XeroGrantError, XeroUnavailableError
from shared.usecases.oauth_flow import PICK_TOKEN_PREFIX
from tests.unit.connect_fakes import ORG_A, ORG_B, REDIRECT_URI, RETURN_URL, SCOPES, TENANT, ConnectWorld, service_log


@pytest.fixture
def world() -> ConnectWorld:
    return ConnectWorld()


def assert_nothing_stored(world: ConnectWorld, tenant_id: str = TENANT) -> None:
    assert world.vault.write_count == 0
    assert world.state.connections.get(tenant_id) is None
    assert world.bus.events == []


def test_one_organisation_connects_and_returns_to_the_platform(world: ConnectWorld) -> None:
    # Given a tenant who consented to one organisation at Xero
    # When Xero redirects back to the callback
    answer = world.connect([ORG_A])
    # Then the browser goes back to the platform's return URL (its own query kept) with the outcome
    assert answer.status == 302
    assert answer.location.startswith("https://platform.test/settings/xero?")
    assert answer.query == {"from": "connect", "status": "connected", "tenant_id": TENANT}


def test_connecting_stores_the_connection_record(world: ConnectWorld) -> None:
    # Given a consent to one organisation
    # When the callback completes it
    world.connect([ORG_A])
    # Then the connection says which organisation, since when, and which token version
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    now = world.clock.now()
    assert connection.status is ConnectionStatus.CONNECTED
    assert connection.xero_tenant_id == ORG_A[0]
    assert connection.organisation_name == ORG_A[1]
    assert connection.xero_connection_id is not None
    assert connection.scopes == SCOPES
    assert connection.connected_since == now
    assert connection.token_version == 1
    assert connection.access_expires_at == now + timedelta(minutes=30)
    assert connection.refresh_token_issued_at == now
    assert connection.choices == []
    assert connection.return_url is None


def test_connecting_stores_the_token_set_as_version_one(world: ConnectWorld) -> None:
    # Given a consent to one organisation
    # When the callback completes it
    world.connect([ORG_A])
    # Then the vault holds tokens Xero accepts, version 1, expiring with the access token
    tokens = world.vault.read(TENANT)
    assert tokens is not None
    assert tokens.version == 1
    assert world.identity.accepts(tokens.access_token.get_secret_value())
    assert tokens.expires_at == world.clock.now() + timedelta(minutes=30)


def test_connecting_publishes_connection_connected(world: ConnectWorld) -> None:
    # Given a consent to one organisation
    # When the callback completes it
    world.connect([ORG_A])
    # Then the platform hears of it once
    [event] = world.bus.events
    assert event.type is EventType.CONNECTION_CONNECTED
    assert event.tenant_id == TENANT
    assert event.data["xero_tenant_id"] == ORG_A[0]
    assert event.data["organisation_name"] == ORG_A[1]


def test_connecting_asks_the_sync_worker_to_pull_the_organisations_reference_data(world: ConnectWorld) -> None:
    # Given a consent to one organisation
    # When the callback completes it
    world.connect([ORG_A])
    # Then one sync request for the tenant is on the work queue, saying why
    [body] = world.work_queue.bodies(TENANT)
    assert json.loads(body)["reason"] == "connect"


def test_the_code_is_exchanged_with_the_pkce_verifier_and_the_registered_redirect_uri(world: ConnectWorld) -> None:
    # Given "Xero" that checks the redirect_uri and the S256 challenge it was given at authorise time
    authorise = world.open_authorise(world.connect_session())
    query = world.consent(authorise)
    # When the callback exchanges the code
    answer = world.callback(query)
    # Then the exchange passes both checks (a wrong verifier would be invalid_grant)
    assert answer.query["status"] == "connected"


def test_tokens_are_stored_before_the_organisations_are_listed(world: ConnectWorld) -> None:
    # Given Xero's connections endpoint failing right after the code exchange
    world.identity.fail_next("connections", XeroUnavailableError("down"))
    # When the callback runs
    answer = world.connect([ORG_A])
    # Then the grant's tokens were kept all the same, and the tenant sees the try-again page
    assert world.vault.read(TENANT) is not None
    assert answer.status == 503
    assert answer.page().main_id == "xero-unavailable"


def test_interrupted_connect_marks_the_connection_for_reauthorisation(world: ConnectWorld) -> None:
    # Given Xero's connections endpoint failing right after the code exchange
    world.identity.fail_next("connections", XeroUnavailableError("down"))
    # When the callback runs
    world.connect([ORG_A])
    # Then the record matches the stored token version and says the tenant must connect again
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    assert connection.status is ConnectionStatus.NEEDS_REAUTH
    assert connection.token_version == 1
    assert world.bus.events == []


def test_forged_state_stores_nothing(world: ConnectWorld) -> None:
    # Given a real code but a state this service never issued
    authorise = world.open_authorise(world.connect_session())
    query = {**world.consent(authorise), "state": "forged-state-value-0123456789abcdefghijkl"}
    # When the callback receives them
    answer = world.callback(query)
    # Then the sign-in page answers 400, nothing is stored, and the code was never spent
    assert answer.status == 400
    assert answer.page().main_id == "sign-in-unusable"
    assert_nothing_stored(world)
    verifier = world.verifier_of(authorise.query["state"])
    assert world.identity.exchange_code(query["code"], REDIRECT_URI, verifier).refresh_token is not None


def test_replayed_state_stores_nothing(world: ConnectWorld) -> None:
    # Given a consent whose callback already ran, and a second code "Xero" issued for the same state
    authorise = world.open_authorise(world.connect_session())
    world.callback(world.consent(authorise, [ORG_A]))
    writes, events = world.vault.write_count, len(world.bus.events)
    replay = world.consent(authorise, [ORG_B])
    # When the state is presented again
    answer = world.callback(replay)
    # Then the replay is refused and nothing more is written
    assert answer.status == 400
    assert answer.page().main_id == "sign-in-unusable"
    assert (world.vault.write_count, len(world.bus.events)) == (writes, events)
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    assert connection.xero_tenant_id == ORG_A[0]


def test_expired_state_stores_nothing(world: ConnectWorld) -> None:
    # Given a consent that came back more than 10 minutes after the authorise
    authorise = world.open_authorise(world.connect_session())
    query = world.consent(authorise)
    world.later(minutes=10)
    # When the callback receives it
    answer = world.callback(query)
    # Then it is refused and nothing is stored
    assert answer.status == 400
    assert answer.page().main_id == "sign-in-unusable"
    assert_nothing_stored(world)


def test_callback_without_state_stores_nothing(world: ConnectWorld) -> None:
    # Given a callback with a code and no state
    authorise = world.open_authorise(world.connect_session())
    query = world.consent(authorise)
    # When it arrives
    answer = world.callback({"code": query["code"]})
    # Then it is refused and nothing is stored
    assert answer.status == 400
    assert_nothing_stored(world)


def test_pick_token_is_not_accepted_as_a_state(world: ConnectWorld) -> None:
    # Given a pick record in the shared state store (what a picker page carries)
    world.state.oauth_states.put(
        OAuthState(
            state=PICK_TOKEN_PREFIX + "pick-token-value",
            tenant_id=TENANT,
            return_url=RETURN_URL,
            code_verifier=SecretStr(""),
            expires_at=world.clock.now() + timedelta(minutes=10),
        )
    )
    # When a callback presents it as its state
    answer = world.callback({"code": "any", "state": PICK_TOKEN_PREFIX + "pick-token-value"})
    # Then it is refused without spending the pick record
    assert answer.status == 400
    assert world.state.oauth_states.take(PICK_TOKEN_PREFIX + "pick-token-value", world.clock.now()) is not None


def test_access_denied_returns_to_the_platform_with_status_denied(world: ConnectWorld) -> None:
    # Given a tenant who clicked Cancel at Xero
    authorise = world.open_authorise(world.connect_session())
    # When Xero redirects back with error=access_denied
    answer = world.callback({"error": "access_denied", "state": authorise.query["state"]})
    # Then the platform hears "denied" and nothing is stored
    assert answer.status == 302
    assert answer.query == {"from": "connect", "status": "denied", "tenant_id": TENANT}
    assert_nothing_stored(world)


def test_access_denied_with_a_forged_state_shows_the_sign_in_page(world: ConnectWorld) -> None:
    # Given an access_denied callback whose state was never issued
    # When it arrives
    answer = world.callback({"error": "access_denied", "state": "forged"})
    # Then no redirect is made: there is no trusted return URL
    assert answer.status == 400
    assert answer.page().main_id == "sign-in-unusable"


def test_other_authorise_errors_return_with_reason_xero_refused(world: ConnectWorld) -> None:
    # Given Xero refusing the authorise request with another error
    authorise = world.open_authorise(world.connect_session())
    # When it redirects back
    answer = world.callback({"error": "invalid_request", "state": authorise.query["state"]})
    # Then the platform hears an error with a reason it can branch on
    assert answer.query["status"] == "error"
    assert answer.query["reason"] == "xero_refused"
    assert_nothing_stored(world)


def test_replayed_code_returns_with_code_rejected_and_stores_nothing(world: ConnectWorld) -> None:
    # Given a code that was already exchanged (a reload of the callback with a fresh state would look like this)
    authorise = world.open_authorise(world.connect_session())
    query = world.consent(authorise)
    world.identity.exchange_code(query["code"], REDIRECT_URI, world.verifier_of(query["state"]))
    # When the callback exchanges it
    answer = world.callback(query)
    # Then Xero's invalid_grant sends the tenant back with reason code_rejected, and nothing is stored
    assert answer.status == 302
    assert answer.query["status"] == "error"
    assert answer.query["reason"] == "code_rejected"
    assert_nothing_stored(world)


def test_invalid_client_shows_the_misconfigured_app_page(world: ConnectWorld) -> None:
    # Given Xero refusing the app's credentials at the token endpoint
    world.identity.fail_next("exchange_code", XeroGrantError("invalid_client"))
    # When the callback exchanges the code
    answer = world.connect()
    # Then the page says the operator must check the app, links back to the platform, and nothing is stored
    assert answer.status == 502
    page = answer.page()
    assert page.main_id == "app-misconfigured"
    assert "client id and client secret" in answer.body
    assert page.links == [f"{RETURN_URL}&status=error&reason=app_misconfigured&tenant_id={TENANT}"]
    assert_nothing_stored(world)


def test_invalid_client_is_logged_as_an_error_without_secrets(world: ConnectWorld) -> None:
    # Given Xero refusing the app's credentials
    world.identity.fail_next("exchange_code", XeroGrantError("invalid_client"))
    authorise = world.open_authorise(world.connect_session())
    query = world.consent(authorise)
    verifier = world.verifier_of(query["state"])
    # When the callback runs
    with service_log() as lines:
        world.callback(query)
    # Then an error line names the problem, and no code, state, verifier or client secret appears in the logs
    errors = [json.loads(line) for line in lines if json.loads(line)["level"] == "ERROR"]
    assert any("invalid_client" in error["message"] for error in errors)
    logs = "\n".join(lines)
    for secret in (query["code"], query["state"], verifier, "test-client-secret"):
        assert secret not in logs


def test_xero_unavailable_during_the_exchange_shows_the_try_again_page(world: ConnectWorld) -> None:
    # Given Xero's token endpoint not answering
    world.identity.fail_next("exchange_code", XeroUnavailableError("503"))
    # When the callback runs
    answer = world.connect()
    # Then the tenant is told to try again, with a link back to the platform, and nothing is stored
    assert answer.status == 503
    assert answer.page().main_id == "xero-unavailable"
    assert answer.page().links == [f"{RETURN_URL}&status=error&reason=xero_unavailable&tenant_id={TENANT}"]
    assert_nothing_stored(world)


def test_return_url_taken_off_the_allowlist_is_not_redirected_to(world: ConnectWorld) -> None:
    # Given a consent in flight when the operator removed its return URL from the allow-list
    authorise = world.open_authorise(world.connect_session())
    query = world.consent(authorise)
    world.allowlist = ("https://other-platform.test/",)
    # When the callback runs
    answer = world.callback(query)
    # Then the browser is not redirected there, and nothing is stored
    assert answer.status == 400
    assert answer.page().main_id == "return-url-not-allowed"
    assert "location" not in answer.headers
    assert_nothing_stored(world)


def test_grant_without_refresh_token_returns_with_offline_access_missing(world: ConnectWorld) -> None:
    # Given a consent whose scopes lack offline_access, so Xero issues no refresh token
    authorise = world.open_authorise(world.connect_session())
    query = world.consent(authorise, [ORG_A], scopes=("openid", "accounting.settings"))
    # When the callback exchanges the code
    answer = world.callback(query)
    # Then the tenant goes back with a reason, and nothing is stored: the connection could not last
    assert answer.query["reason"] == "offline_access_missing"
    assert_nothing_stored(world)


def test_callback_without_code_or_error_returns_with_missing_code(world: ConnectWorld) -> None:
    # Given a callback carrying only the state
    authorise = world.open_authorise(world.connect_session())
    # When it arrives
    answer = world.callback({"state": authorise.query["state"]})
    # Then the platform hears an error
    assert answer.query["reason"] == "missing_code"
    assert_nothing_stored(world)


def test_consent_to_no_organisation_returns_with_no_organisation(world: ConnectWorld) -> None:
    # Given a consent that covered no organisation
    authorise = world.open_authorise(world.connect_session())
    query = world.consent(authorise, [])
    # When the callback runs
    answer = world.callback(query)
    # Then the tenant goes back with a reason and no CONNECTED connection exists
    assert answer.query["reason"] == "no_organisation"
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    assert connection.status is ConnectionStatus.NEEDS_REAUTH


def test_reconnecting_keeps_the_tenant_and_replaces_its_tokens(world: ConnectWorld) -> None:
    # Given a tenant connected an hour ago
    world.connect([ORG_A])
    first = world.vault.read(TENANT)
    world.later(minutes=60)
    # When it connects again
    answer = world.connect([ORG_A])
    # Then the same tenant is connected since now, with new tokens under a newer version
    assert answer.query["tenant_id"] == TENANT
    connection = world.state.connections.get(TENANT)
    tokens = world.vault.read(TENANT)
    assert connection is not None
    assert tokens is not None
    assert first is not None
    assert connection.connected_since == world.clock.now()
    assert tokens.access_token != first.access_token
    assert connection.token_version == tokens.version == 2


def test_reconnecting_clears_the_last_error_and_any_refresh_lease(world: ConnectWorld) -> None:
    # Given a connection that needs re-authorisation, with a stale refresh lease
    now = world.clock.now()
    world.state.connections.put(
        Connection(
            tenant_id=TENANT,
            status=ConnectionStatus.NEEDS_REAUTH,
            xero_tenant_id=ORG_A[0],
            token_version=7,
            last_error="invalid_grant",
            refresh_lease_owner="worker-1",
            refresh_lease_expires_at=now + timedelta(seconds=30),
            updated_at=now,
        )
    )
    # When the tenant connects again
    world.connect([ORG_A])
    # Then the connection is healthy again and no old worker can publish a refresh over it
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    assert connection.status is ConnectionStatus.CONNECTED
    assert connection.last_error is None
    assert connection.refresh_lease_owner is None
    assert connection.token_version == 8
    assert not world.state.connections.record_refresh(TENANT, "worker-1", 8, now, now)


def test_connections_refused_after_the_exchange_returns_with_xero_refused(world: ConnectWorld) -> None:
    # Given Xero refusing GET /connections with the token it just issued
    world.identity.fail_next("connections", XeroApiError(403, "AuthenticationUnsuccessful"))
    # When the callback runs
    answer = world.connect([ORG_A])
    # Then the tenant goes back with an error, and the record says to connect again
    assert answer.query["reason"] == "xero_refused"
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    assert connection.status is ConnectionStatus.NEEDS_REAUTH


class UnreachableBus(MemoryEventBus):
    def publish(self, event: PlatformEvent) -> None:
        raise RuntimeError("bus down")


def test_an_unexpected_failure_shows_an_html_page_not_a_stack_trace(world: ConnectWorld) -> None:
    # Given an event bus that cannot be reached
    world.bus = UnreachableBus()
    # When a connect completes up to the event
    answer = world.connect([ORG_A])
    # Then the tenant sees the generic page with a 500, and nothing of the error
    assert answer.status == 500
    assert answer.page().main_id == "unexpected"
    assert "bus down" not in answer.body
