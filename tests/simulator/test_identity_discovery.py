"""OpenID Connect discovery, the JWKS, and the tokens it verifies (FACTS.md §1.1, §1.3)."""

from __future__ import annotations

from typing import Any

import jwt

from tests.simulator.identity_flow import Party, connect, consent_to, exchange, register
from xero_simulator.server import Simulator


def _verified(party: Party, token: str, audience: str) -> dict[str, Any]:
    """Verify a token as a client library would: discovery document, then JWKS, then the key named by kid."""
    document = party.http.get("/.well-known/openid-configuration").json()
    keys = party.http.get(document["jwks_uri"]).json()["keys"]
    kid = jwt.get_unverified_header(token)["kid"]
    key = jwt.PyJWK(next(k for k in keys if k["kid"] == kid))
    claims: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=document["id_token_signing_alg_values_supported"],
        audience=audience,
        issuer=document["issuer"],
        options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
    )
    return claims


def test_discovery_points_at_the_simulators_endpoints(simulator: Simulator) -> None:
    # When the discovery document is fetched
    party = register(simulator)
    document = party.http.get("/.well-known/openid-configuration").json()
    # Then it names Xero's issuer and this simulator's endpoints, and S256 as the only PKCE method
    assert document["issuer"] == "https://identity.xero.com"
    assert document["token_endpoint"] == f"{simulator.base_url}/connect/token"
    assert document["authorization_endpoint"] == f"{simulator.base_url}/identity/connect/authorize"
    assert document["revocation_endpoint"] == f"{simulator.base_url}/connect/revocation"
    assert document["code_challenge_methods_supported"] == ["S256"]


def test_the_id_token_verifies_with_the_published_keys_and_names_the_user(simulator: Simulator) -> None:
    # Given a token set from a consent to openid, profile and email
    party = register(simulator)
    tokens = connect(party)
    # When the id_token is verified against the JWKS
    claims = _verified(party, tokens["id_token"], audience=party.app.client_id)
    # Then it names the user
    assert claims["sub"] == party.user.user_id
    assert claims["xero_userid"] == party.user.user_id
    assert claims["email"] == party.user.email
    assert claims["given_name"] == party.user.first_name


def test_the_access_token_verifies_with_the_published_keys(simulator: Simulator) -> None:
    # Given an access token from the flow
    party = register(simulator)
    tokens = connect(party)
    # When it is verified against the JWKS, then its claims name the app and the user
    claims = _verified(party, tokens["access_token"], audience="https://identity.xero.com/resources")
    assert claims["client_id"] == party.app.client_id
    assert claims["xero_userid"] == party.user.user_id


def test_the_id_token_carries_the_nonce_of_the_authorize_request(simulator: Simulator) -> None:
    # Given an authorize request with a nonce
    party = register(simulator)
    code = consent_to(party, nonce="n-0S6_WzA2Mj")["code"]
    # When the code is exchanged, then the id_token carries the nonce back
    tokens = exchange(party, code).json()
    assert _verified(party, tokens["id_token"], audience=party.app.client_id)["nonce"] == "n-0S6_WzA2Mj"
