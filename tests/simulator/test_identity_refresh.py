"""Refresh tokens: rotation, the 30-minute grace, the 60-day expiry, and the end of a grant (FACTS.md §1.4, §1.5)."""

from __future__ import annotations

import jwt

from tests.simulator.identity_flow import (
    Party,
    bearer,
    connect,
    consent_to,
    exchange,
    pkce_pair,
    refresh,
    register,
)
from xero_simulator.identity.connections import disconnect
from xero_simulator.server import Simulator
from xero_simulator.world import AppKind

GRACE_SECONDS = 30 * 60
DAY_SECONDS = 24 * 60 * 60


def _connections_status(party: Party, access_token: str) -> int:
    return party.http.get("/connections", headers=bearer(access_token)).status_code


def test_refreshing_returns_a_new_pair(simulator: Simulator) -> None:
    # Given a token set
    party = register(simulator)
    first = connect(party)
    # When the refresh token is used
    second = refresh(party, first["refresh_token"]).json()
    # Then a new refresh token and a new access token come back (rotation)
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["expires_in"] == 1800


def test_the_rotated_refresh_token_works(simulator: Simulator) -> None:
    # Given a refresh token obtained by refreshing
    party = register(simulator)
    second = refresh(party, connect(party)["refresh_token"]).json()
    # When it is used in turn, then it is accepted
    assert refresh(party, second["refresh_token"]).status_code == 200


def test_a_refreshed_token_keeps_the_scopes_and_the_auth_event(simulator: Simulator) -> None:
    # Given a token set and its refreshed successor
    party = register(simulator)
    first = connect(party)
    second = refresh(party, first["refresh_token"]).json()
    # Then the successor has the same scopes and the same authentication_event_id
    claims = [jwt.decode(t["access_token"], options={"verify_signature": False}) for t in (first, second)]
    assert second["scope"] == first["scope"]
    assert claims[1]["authentication_event_id"] == claims[0]["authentication_event_id"]


def test_a_used_refresh_token_can_be_retried_within_the_grace_period(simulator: Simulator) -> None:
    # Given a refresh token used 29 minutes ago (its answer was lost)
    party = register(simulator)
    original = connect(party)["refresh_token"]
    first_use = refresh(party, original).json()
    simulator.world.clock.advance(GRACE_SECONDS - 60)
    # When it is retried
    retry = refresh(party, original)
    # Then Xero answers with another new pair
    assert retry.status_code == 200
    assert retry.json()["refresh_token"] not in {original, first_use["refresh_token"]}


def test_a_used_refresh_token_is_refused_once_the_grace_period_is_over(simulator: Simulator) -> None:
    # Given a refresh token used 30 minutes ago
    party = register(simulator)
    original = connect(party)["refresh_token"]
    refresh(party, original)
    simulator.world.clock.advance(GRACE_SECONDS)
    # When it is used again, then Xero answers invalid_grant
    answer = refresh(party, original)
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_grant"}


def test_a_grace_retry_invalidates_the_refresh_token_the_first_use_returned(simulator: Simulator) -> None:
    # Given two workers that refreshed the same token, one after the other
    party = register(simulator)
    original = connect(party)["refresh_token"]
    worker_a = refresh(party, original).json()
    refresh(party, original)
    # When the first worker uses the refresh token it got, then Xero answers invalid_grant
    assert refresh(party, worker_a["refresh_token"]).json() == {"error": "invalid_grant"}


def test_a_grace_retry_invalidates_the_access_token_the_first_use_returned(simulator: Simulator) -> None:
    # Given two workers that refreshed the same token, one after the other
    party = register(simulator)
    original = connect(party)["refresh_token"]
    worker_a = refresh(party, original).json()
    worker_b = refresh(party, original).json()
    # Then the first worker's access token is refused and the second's works
    assert _connections_status(party, worker_a["access_token"]) == 401
    assert _connections_status(party, worker_b["access_token"]) == 200


def test_a_grace_retry_also_invalidates_tokens_refreshed_from_the_superseded_pair(simulator: Simulator) -> None:
    # Given a worker that refreshed, then refreshed again from its new token
    party = register(simulator)
    original = connect(party)["refresh_token"]
    worker_a = refresh(party, original).json()
    worker_a_next = refresh(party, worker_a["refresh_token"]).json()
    # When another worker retries the original token within the grace period
    refresh(party, original)
    # Then the first worker's whole line of tokens is dead
    assert refresh(party, worker_a_next["refresh_token"]).json() == {"error": "invalid_grant"}


def test_an_unused_refresh_token_expires_after_60_days(simulator: Simulator) -> None:
    # Given a refresh token left unused for 60 days
    party = register(simulator)
    tokens = connect(party)
    simulator.world.clock.advance(60 * DAY_SECONDS)
    # When it is used, then Xero answers invalid_grant and the user must reauthorise
    assert refresh(party, tokens["refresh_token"]).json() == {"error": "invalid_grant"}


def test_a_refresh_token_still_works_on_day_59(simulator: Simulator) -> None:
    # Given a refresh token left unused for 59 days
    party = register(simulator)
    tokens = connect(party)
    simulator.world.clock.advance(59 * DAY_SECONDS)
    # When it is used, then it is accepted
    assert refresh(party, tokens["refresh_token"]).status_code == 200


def test_each_rotation_starts_a_new_60_days(simulator: Simulator) -> None:
    # Given a refresh token rotated on day 59
    party = register(simulator)
    tokens = connect(party)
    simulator.world.clock.advance(59 * DAY_SECONDS)
    rotated = refresh(party, tokens["refresh_token"]).json()
    # When the new one is used 59 days later, then it is accepted
    simulator.world.clock.advance(59 * DAY_SECONDS)
    assert refresh(party, rotated["refresh_token"]).status_code == 200


def test_refreshing_after_every_connection_was_deleted_is_invalid_grant(simulator: Simulator) -> None:
    # Given the user's only connection deleted through DELETE /connections/{id}
    party = register(simulator)
    tokens = connect(party)
    connection = party.http.get("/connections", headers=bearer(tokens["access_token"])).json()[0]
    party.http.delete(f"/connections/{connection['id']}", headers=bearer(tokens["access_token"]))
    # When the refresh token is used, then Xero answers invalid_grant
    assert refresh(party, tokens["refresh_token"]).json() == {"error": "invalid_grant"}


def test_refreshing_after_a_disconnect_from_xeros_side_is_invalid_grant(simulator: Simulator) -> None:
    # Given the user disconnected the app in Xero (Settings > Connected apps)
    party = register(simulator)
    tokens = connect(party)
    (connection,) = simulator.world.connections_of(party.app.client_id, party.user.user_id)
    disconnect(simulator, connection.id)
    # When the refresh token is used, then Xero answers invalid_grant
    assert refresh(party, tokens["refresh_token"]).json() == {"error": "invalid_grant"}


def test_refreshing_works_while_one_of_two_connections_remains(simulator: Simulator) -> None:
    # Given a user who connected two organisations and then disconnected one
    party = register(simulator, organisations=2)
    tokens = connect(party)
    first = simulator.world.find_connection(party.app.client_id, party.user.user_id, party.org.organisation_id)
    assert first is not None
    disconnect(simulator, first.id)
    # When the refresh token is used, then it is accepted
    assert refresh(party, tokens["refresh_token"]).status_code == 200


def test_a_refresh_token_of_another_app_is_invalid_grant(simulator: Simulator) -> None:
    # Given one app's refresh token and a second app
    party = register(simulator)
    other = register(simulator)
    tokens = connect(party)
    # When the second app uses it, then Xero answers invalid_grant
    assert refresh(other, tokens["refresh_token"]).json() == {"error": "invalid_grant"}


def test_a_pkce_app_refreshes_with_its_client_id_alone(simulator: Simulator) -> None:
    # Given a PKCE app's token set
    party = register(simulator, kind=AppKind.PKCE)
    verifier, challenge = pkce_pair()
    code = consent_to(party, code_challenge=challenge, code_challenge_method="S256")["code"]
    tokens = exchange(party, code, verifier=verifier).json()
    # When it refreshes with client_id in the body and no secret, then it is accepted
    assert refresh(party, tokens["refresh_token"]).status_code == 200


def test_successful_refreshes_are_counted(simulator: Simulator) -> None:
    # Given one refresh that works and one that Xero refuses
    party = register(simulator)
    refresh(party, connect(party)["refresh_token"])
    refresh(party, "not-a-refresh-token")
    # Then one refresh_token grant is counted
    assert simulator.counters.snapshot()["tokenGrants"]["refresh_token"] == 1
