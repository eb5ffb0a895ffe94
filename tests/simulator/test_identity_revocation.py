"""POST /connect/revocation: a refresh token revokes the user's tokens and connections (FACTS.md §1.1, §1.4)."""

from __future__ import annotations

import httpx

from tests.simulator.identity_flow import (
    Party,
    bearer,
    client_auth,
    connect,
    refresh,
    register,
)
from xero_simulator.server import Simulator


def _revoke(party: Party, token: str) -> httpx.Response:
    auth, body = client_auth(party.app)
    return party.http.post("/connect/revocation", data={**body, "token": token}, auth=auth)


def test_revocation_answers_200_with_an_empty_body(simulator: Simulator) -> None:
    # Given a token set
    party = register(simulator)
    tokens = connect(party)
    # When the refresh token is revoked
    answer = _revoke(party, tokens["refresh_token"])
    # Then Xero answers 200 with no body
    assert answer.status_code == 200
    assert answer.content == b""


def test_a_revoked_refresh_token_is_invalid_grant(simulator: Simulator) -> None:
    # Given a revoked refresh token
    party = register(simulator)
    tokens = connect(party)
    _revoke(party, tokens["refresh_token"])
    # When it is used, then Xero answers invalid_grant
    assert refresh(party, tokens["refresh_token"]).json() == {"error": "invalid_grant"}


def test_revocation_revokes_the_access_token(simulator: Simulator) -> None:
    # Given a revoked refresh token
    party = register(simulator)
    tokens = connect(party)
    _revoke(party, tokens["refresh_token"])
    # When its access token is used, then Xero answers 401
    assert party.http.get("/connections", headers=bearer(tokens["access_token"])).status_code == 401


def test_revocation_removes_the_users_connections(simulator: Simulator) -> None:
    # Given a user who connected two organisations
    party = register(simulator, organisations=2)
    tokens = connect(party)
    # When the refresh token is revoked
    _revoke(party, tokens["refresh_token"])
    # Then the user has no connection left to the app
    assert simulator.world.connections_of(party.app.client_id, party.user.user_id) == []


def test_revocation_ends_every_grant_the_user_gave_the_app(simulator: Simulator) -> None:
    # Given a user who consented twice, leaving two refresh tokens
    party = register(simulator)
    earlier = connect(party)
    later = connect(party)
    # When the later refresh token is revoked
    _revoke(party, later["refresh_token"])
    # Then the earlier one is refused as well
    assert refresh(party, earlier["refresh_token"]).json() == {"error": "invalid_grant"}


def test_revocation_leaves_other_users_connected(simulator: Simulator) -> None:
    # Given two users of the same app, each connected
    party = register(simulator)
    other_user = register(simulator)
    other_user.app = party.app
    other_tokens = connect(other_user)
    # When the first user's refresh token is revoked
    _revoke(party, connect(party)["refresh_token"])
    # Then the second user's refresh token still works
    assert refresh(other_user, other_tokens["refresh_token"]).status_code == 200


def test_revocation_requires_client_authentication(simulator: Simulator) -> None:
    # Given a token set
    party = register(simulator)
    tokens = connect(party)
    # When the revocation carries no client credentials
    answer = party.http.post("/connect/revocation", data={"token": tokens["refresh_token"]})
    # Then Xero answers 400 invalid_client and the refresh token still works
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_client"}
    assert refresh(party, tokens["refresh_token"]).status_code == 200


def test_revoking_an_unknown_token_is_a_harmless_200(simulator: Simulator) -> None:
    # When a token Xero never issued is revoked, then it answers 200 (RFC 7009 §2.2)
    party = register(simulator)
    assert _revoke(party, "0123456789abcdef").status_code == 200


def test_another_app_cannot_revoke_a_users_token(simulator: Simulator) -> None:
    # Given one app's refresh token and a second app
    party = register(simulator)
    other = register(simulator)
    tokens = connect(party)
    # When the second app revokes it
    answer = _revoke(other, tokens["refresh_token"])
    # Then Xero refuses and the token still works
    assert answer.json() == {"error": "invalid_grant"}
    assert refresh(party, tokens["refresh_token"]).status_code == 200


def test_revocation_drops_the_consented_scopes(simulator: Simulator) -> None:
    # Given a user who consented to settings and transactions, then revoked
    party = register(simulator)
    _revoke(
        party, connect(party, ("offline_access", "accounting.settings", "accounting.transactions"))["refresh_token"]
    )
    # When they consent again to settings only
    tokens = connect(party, ("offline_access", "accounting.settings"))
    # Then the new token has only the scopes of the new consent
    assert tokens["scope"].split() == ["offline_access", "accounting.settings"]
