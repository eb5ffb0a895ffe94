"""GET /oauth/authorize: the hosted authorise URL takes its connect session and sends the browser to Xero."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from shared.domain.oauth import OAUTH_STATE_LIFETIME
from shared.domain.pkce import s256_challenge
from shared.fakes.memory_app_secrets import MemoryAppSecrets
from tests.unit.connect_fakes import LOGIN_URL, REDIRECT_URI, RETURN_URL, SCOPES, TENANT, ConnectWorld

# RFC 7636 §4.1: 43 to 128 characters of the unreserved alphabet.
VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


@pytest.fixture
def world() -> ConnectWorld:
    return ConnectWorld()


def test_authorise_redirects_to_xeros_authorise_page_with_the_apps_request(world: ConnectWorld) -> None:
    # Given a connect session issued by the platform
    session = world.connect_session()
    # When the tenant's browser opens the hosted authorise URL
    answer = world.open_authorise(session)
    # Then it is sent to Xero's authorise endpoint with the app's code-flow request
    assert answer.status == 302
    assert answer.location.startswith(f"{LOGIN_URL}/identity/connect/authorize?")
    query = answer.query
    assert query["response_type"] == "code"
    assert query["client_id"] == "test-client-id"
    assert query["redirect_uri"] == REDIRECT_URI
    assert query["scope"] == " ".join(SCOPES)
    assert query["code_challenge_method"] == "S256"


def test_authorise_keeps_the_state_server_side_bound_to_tenant_and_return_url_for_ten_minutes(
    world: ConnectWorld,
) -> None:
    # Given a connect session
    session = world.connect_session()
    # When the browser opens the hosted authorise URL
    answer = world.open_authorise(session)
    # Then the state sent to Xero is a stored record bound to the tenant and the session's return URL
    stored = world.state.oauth_states.take(answer.query["state"], world.clock.now())
    assert stored is not None
    assert (stored.tenant_id, stored.return_url) == (TENANT, RETURN_URL)
    assert stored.expires_at == world.clock.now() + OAUTH_STATE_LIFETIME
    assert len(stored.state) >= 43  # token_urlsafe(32)


def test_authorise_sends_the_s256_challenge_of_a_stored_rfc7636_verifier(world: ConnectWorld) -> None:
    # Given a connect session
    session = world.connect_session()
    # When the browser opens the hosted authorise URL
    answer = world.open_authorise(session)
    # Then the challenge is S256 of the verifier kept in the state, which never leaves the server
    stored = world.state.oauth_states.take(answer.query["state"], world.clock.now())
    assert stored is not None
    verifier = stored.code_verifier.get_secret_value()
    assert VERIFIER.match(verifier)
    assert answer.query["code_challenge"] == s256_challenge(verifier)
    assert verifier not in answer.location


def test_each_authorise_gets_its_own_state_and_verifier(world: ConnectWorld) -> None:
    # Given two connect sessions of the same tenant
    first, second = world.connect_session(), world.connect_session()
    # When both are opened
    one, two = world.open_authorise(first).query, world.open_authorise(second).query
    # Then neither the state nor the challenge repeats
    assert one["state"] != two["state"]
    assert one["code_challenge"] != two["code_challenge"]


def test_connect_session_is_single_use(world: ConnectWorld) -> None:
    # Given a connect session that was opened once
    session = world.connect_session()
    world.open_authorise(session)
    # When the same hosted authorise URL is opened again
    answer = world.open_authorise(session)
    # Then the expired-link page answers 410 and no second state is created
    assert answer.status == 410
    assert answer.page().main_id == "connect-link-unusable"
    assert "location" not in answer.headers


def test_expired_connect_session_shows_the_expired_link_page(world: ConnectWorld) -> None:
    # Given a connect session 15 minutes old
    session = world.connect_session()
    world.clock.advance(timedelta(minutes=15))
    # When it is opened
    answer = world.open_authorise(session)
    # Then the browser gets the expired-link page
    assert answer.status == 410
    assert answer.page().main_id == "connect-link-unusable"


@pytest.mark.parametrize("query", [{"session": "never-issued"}, {}], ids=["unknown", "missing"])
def test_unknown_or_missing_connect_session_shows_the_expired_link_page(
    world: ConnectWorld, query: dict[str, str]
) -> None:
    # Given no connect session behind the link
    # When the link is opened
    answer = world.request("GET", "/oauth/authorize", query)
    # Then the expired-link page answers: there is no trusted return URL to go to
    assert answer.status == 410
    assert answer.page().main_id == "connect-link-unusable"


def test_return_url_off_the_allowlist_is_refused_before_going_to_xero(world: ConnectWorld) -> None:
    # Given a session whose return URL is not on the allow-list (the list changed since it was issued)
    session = world.connect_session(return_url="https://platform.test.evil.example/settings/")
    # When it is opened
    answer = world.open_authorise(session)
    # Then the browser is not sent anywhere, and no state exists for a callback to use
    assert answer.status == 400
    assert answer.page().main_id == "return-url-not-allowed"
    assert "location" not in answer.headers


def test_unconfigured_xero_app_shows_the_misconfigured_page_and_keeps_the_link_working(world: ConnectWorld) -> None:
    # Given an operator who has not filled the Xero app secret yet
    world.app_secrets = MemoryAppSecrets(client_id=None, client_secret=None)
    session = world.connect_session()
    # When the tenant opens the link
    refused = world.open_authorise(session)
    # Then the page says the app is misconfigured (502), and once the secret is filled the same link works
    assert refused.status == 502
    assert refused.page().main_id == "app-misconfigured"
    world.app_secrets = MemoryAppSecrets()
    assert world.open_authorise(session).status == 302
