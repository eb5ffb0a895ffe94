"""POST /connect/token: code exchange, PKCE, client authentication, client credentials (FACTS.md §1.3-§1.5)."""

from __future__ import annotations

import httpx
import jwt

from tests.simulator.identity_flow import (
    OFFLINE_SCOPES,
    Party,
    accounting,
    bearer,
    connect,
    consent_to,
    exchange,
    pkce_pair,
    register,
    token_request,
)
from xero_simulator.identity.pkce import s256_challenge
from xero_simulator.server import Simulator
from xero_simulator.world import AppKind

CODE_LIFETIME_SECONDS = 5 * 60


def _claims(token: str) -> dict[str, object]:
    claims: dict[str, object] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _pkce_code(party: Party, challenge: str) -> str:
    return consent_to(party, code_challenge=challenge, code_challenge_method="S256")["code"]


def _custom_connection(simulator: Simulator, scopes: frozenset[str]) -> Party:
    party = register(simulator, kind=AppKind.CUSTOM_CONNECTION)
    party.app.custom_connection_tenant_id = party.org.organisation_id
    party.app.custom_connection_scopes = scopes
    return party


def test_a_code_exchanges_for_a_bearer_token_set(simulator: Simulator) -> None:
    # Given a code from a consent to openid and offline_access scopes
    party = register(simulator)
    code = consent_to(party)["code"]
    # When the app exchanges it with Basic client authentication
    answer = exchange(party, code)
    # Then it gets Xero's token set: a 30-minute bearer token, a refresh token, an id_token and the scopes
    tokens = answer.json()
    assert answer.status_code == 200
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 1800
    assert tokens["refresh_token"]
    assert tokens["id_token"]
    assert tokens["scope"].split() == list(OFFLINE_SCOPES)


def test_the_access_token_carries_the_consents_auth_event_id(simulator: Simulator) -> None:
    # Given a token set from the flow
    party = register(simulator)
    tokens = connect(party)
    # When the connections are listed
    listed = party.http.get("/connections", headers=bearer(tokens["access_token"])).json()
    # Then the token's authentication_event_id is the connection's authEventId
    assert _claims(tokens["access_token"])["authentication_event_id"] == listed[0]["authEventId"]


def test_token_answers_are_not_cached(simulator: Simulator) -> None:
    # When a code is exchanged
    party = register(simulator)
    answer = exchange(party, consent_to(party)["code"])
    # Then the answer forbids caching (RFC 6749 §5.1)
    assert answer.headers["cache-control"] == "no-store"


def test_no_refresh_token_without_offline_access(simulator: Simulator) -> None:
    # Given a consent without offline_access
    party = register(simulator)
    tokens = connect(party, ("openid", "accounting.settings"))
    # Then the token set has no refresh token
    assert "refresh_token" not in tokens
    assert tokens["access_token"]


def test_no_id_token_without_openid(simulator: Simulator) -> None:
    # Given a consent without openid
    party = register(simulator)
    tokens = connect(party, ("offline_access", "accounting.settings"))
    # Then the token set has no id_token
    assert "id_token" not in tokens


def test_a_code_can_be_exchanged_only_once(simulator: Simulator) -> None:
    # Given a code already exchanged
    party = register(simulator)
    code = consent_to(party)["code"]
    exchange(party, code)
    # When it is exchanged again
    answer = exchange(party, code)
    # Then Xero answers 400 invalid_grant
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_grant"}


def test_replaying_a_code_revokes_the_tokens_its_first_exchange_returned(simulator: Simulator) -> None:
    # Given a code exchanged once
    party = register(simulator)
    code = consent_to(party)["code"]
    first = exchange(party, code).json()
    # When it is replayed (RFC 6749 §4.1.2)
    exchange(party, code)
    # Then the access token and the refresh token of the first exchange stop working
    assert party.http.get("/connections", headers=bearer(first["access_token"])).status_code == 401
    refreshed = token_request(party, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert refreshed.json() == {"error": "invalid_grant"}


def test_a_code_expires_five_minutes_after_issue(simulator: Simulator) -> None:
    # Given a code issued five minutes ago
    party = register(simulator)
    code = consent_to(party)["code"]
    simulator.world.clock.advance(CODE_LIFETIME_SECONDS)
    # When it is exchanged, then Xero answers invalid_grant
    assert exchange(party, code).json() == {"error": "invalid_grant"}


def test_a_code_still_exchanges_just_before_five_minutes(simulator: Simulator) -> None:
    # Given a code issued four minutes and fifty seconds ago
    party = register(simulator)
    code = consent_to(party)["code"]
    simulator.world.clock.advance(CODE_LIFETIME_SECONDS - 10)
    # When it is exchanged, then it works
    assert exchange(party, code).status_code == 200


def test_the_redirect_uri_must_equal_the_authorize_requests(simulator: Simulator) -> None:
    # Given a code
    party = register(simulator)
    code = consent_to(party)["code"]
    # When it is exchanged with another redirect_uri, then Xero answers invalid_grant
    assert exchange(party, code, redirect_uri="http://localhost/other").json() == {"error": "invalid_grant"}


def test_a_refused_exchange_spends_the_code(simulator: Simulator) -> None:
    # Given a code whose first exchange named the wrong redirect_uri
    party = register(simulator)
    code = consent_to(party)["code"]
    exchange(party, code, redirect_uri="http://localhost/other")
    # When it is exchanged again with the right one, then it is gone: invalid_grant
    assert exchange(party, code).json() == {"error": "invalid_grant"}


def test_a_code_issued_to_another_app_is_invalid_grant(simulator: Simulator) -> None:
    # Given a code issued to one app, and a second app of the same developer
    party = register(simulator)
    other = register(simulator)
    code = consent_to(party)["code"]
    # When the second app exchanges it, then Xero answers invalid_grant
    assert exchange(other, code).json() == {"error": "invalid_grant"}


def test_a_wrong_client_secret_is_invalid_client(simulator: Simulator) -> None:
    # Given a code
    party = register(simulator)
    code = consent_to(party)["code"]
    # When the app authenticates with a wrong secret
    answer = party.http.post(
        "/connect/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": party.app.redirect_uris[0]},
        auth=httpx.BasicAuth(party.app.client_id, "not-the-secret"),
    )
    # Then Xero answers 400 invalid_client
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_client"}


def test_a_web_app_without_its_secret_is_invalid_client(simulator: Simulator) -> None:
    # Given a code
    party = register(simulator)
    code = consent_to(party)["code"]
    # When the web app sends only its client_id, as a PKCE app would
    answer = party.http.post(
        "/connect/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": party.app.redirect_uris[0],
            "client_id": party.app.client_id,
        },
    )
    # Then Xero answers invalid_client
    assert answer.json() == {"error": "invalid_client"}


def test_an_unknown_client_id_is_invalid_client(simulator: Simulator) -> None:
    # When a client Xero does not know asks for a token
    party = register(simulator)
    answer = party.http.post(
        "/connect/token", data={"grant_type": "refresh_token", "refresh_token": "x"}, auth=("0" * 32, "secret")
    )
    # Then Xero answers invalid_client
    assert answer.json() == {"error": "invalid_client"}


def test_client_credentials_in_the_body_are_accepted(simulator: Simulator) -> None:
    # Given a code
    party = register(simulator)
    code = consent_to(party)["code"]
    # When the app sends client_id and client_secret in the form body instead of a Basic header
    answer = party.http.post(
        "/connect/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": party.app.redirect_uris[0],
            "client_id": party.app.client_id,
            "client_secret": party.app.client_secret or "",
        },
    )
    # Then the exchange succeeds
    assert answer.status_code == 200


def test_a_pkce_app_exchanges_its_code_with_the_matching_verifier(simulator: Simulator) -> None:
    # Given a PKCE app's code issued for an S256 challenge
    party = register(simulator, kind=AppKind.PKCE)
    verifier, challenge = pkce_pair()
    code = _pkce_code(party, challenge)
    # When it exchanges the code with its client_id and the verifier, and no secret
    answer = exchange(party, code, verifier=verifier)
    # Then it gets a token set
    assert answer.status_code == 200
    assert answer.json()["refresh_token"]


def test_a_pkce_exchange_with_the_wrong_verifier_is_invalid_grant(simulator: Simulator) -> None:
    # Given a PKCE app's code
    party = register(simulator, kind=AppKind.PKCE)
    _, challenge = pkce_pair()
    code = _pkce_code(party, challenge)
    # When it is exchanged with another verifier, then Xero answers invalid_grant
    other_verifier, _ = pkce_pair()
    assert exchange(party, code, verifier=other_verifier).json() == {"error": "invalid_grant"}


def test_a_pkce_exchange_without_the_verifier_is_invalid_grant(simulator: Simulator) -> None:
    # Given a PKCE app's code
    party = register(simulator, kind=AppKind.PKCE)
    _, challenge = pkce_pair()
    code = _pkce_code(party, challenge)
    # When it is exchanged without a verifier, then Xero answers invalid_grant
    assert exchange(party, code).json() == {"error": "invalid_grant"}


def test_a_pkce_app_sending_a_client_secret_is_invalid_client(simulator: Simulator) -> None:
    # Given a PKCE app's code
    party = register(simulator, kind=AppKind.PKCE)
    verifier, challenge = pkce_pair()
    code = _pkce_code(party, challenge)
    # When it authenticates with a Basic header as if it had a secret
    answer = party.http.post(
        "/connect/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": party.app.redirect_uris[0],
            "code_verifier": verifier,
        },
        auth=(party.app.client_id, "made-up-secret"),
    )
    # Then Xero answers invalid_client: PKCE apps have no secret
    assert answer.json() == {"error": "invalid_client"}


def test_s256_challenge_matches_rfc_7636_appendix_b() -> None:
    # Given RFC 7636's example verifier, when its challenge is computed, then it is the RFC's
    assert (
        s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_an_unknown_grant_type_is_unsupported_grant_type(simulator: Simulator) -> None:
    # When an app asks for the password grant
    party = register(simulator)
    answer = token_request(party, {"grant_type": "password", "username": "u", "password": "p"})
    # Then Xero answers unsupported_grant_type
    assert answer.json() == {"error": "unsupported_grant_type"}


def test_a_web_app_may_not_use_client_credentials(simulator: Simulator) -> None:
    # When a web app asks for a client-credentials token
    party = register(simulator)
    answer = token_request(party, {"grant_type": "client_credentials", "scope": "accounting.settings"})
    # Then Xero answers unauthorized_client
    assert answer.json() == {"error": "unauthorized_client"}


def test_a_custom_connection_gets_a_token_for_its_organisation(simulator: Simulator) -> None:
    # Given a custom connection authorised to one organisation
    party = _custom_connection(simulator, frozenset({"accounting.settings", "accounting.invoices"}))
    # When it asks for a token with client credentials
    tokens = token_request(party, {"grant_type": "client_credentials"}).json()
    # Then the token lists that organisation as its connection
    listed = party.http.get("/connections", headers=bearer(tokens["access_token"])).json()
    assert [c["tenantId"] for c in listed] == [party.org.organisation_id]


def test_a_custom_connection_token_reads_its_organisation(simulator: Simulator) -> None:
    # Given a custom connection authorised for settings
    party = _custom_connection(simulator, frozenset({"accounting.settings"}))
    token = token_request(party, {"grant_type": "client_credentials"}).json()["access_token"]
    # When it reads its organisation, then Xero answers 200
    assert accounting(party, token).get("/Organisation").status_code == 200


def test_a_custom_connection_token_has_no_refresh_token(simulator: Simulator) -> None:
    # Given a custom connection whose scopes include offline_access
    party = _custom_connection(simulator, frozenset({"offline_access", "accounting.settings"}))
    # When it asks for a token
    tokens = token_request(party, {"grant_type": "client_credentials"}).json()
    # Then there is no refresh token: it asks again with client credentials (RFC 6749 §4.4.3)
    assert "refresh_token" not in tokens
    assert tokens["expires_in"] == 1800


def test_client_credentials_beyond_the_custom_connections_scopes_is_invalid_scope(simulator: Simulator) -> None:
    # Given a custom connection authorised for settings only
    party = _custom_connection(simulator, frozenset({"accounting.settings"}))
    # When it asks for invoices too
    answer = token_request(
        party, {"grant_type": "client_credentials", "scope": "accounting.settings accounting.invoices"}
    )
    # Then Xero answers invalid_scope
    assert answer.json() == {"error": "invalid_scope"}


def test_a_custom_connection_may_not_exchange_codes(simulator: Simulator) -> None:
    # When a custom connection uses the authorization_code grant
    party = _custom_connection(simulator, frozenset({"accounting.settings"}))
    answer = token_request(party, {"grant_type": "authorization_code", "code": "x", "redirect_uri": "y"})
    # Then Xero answers unauthorized_client
    assert answer.json() == {"error": "unauthorized_client"}


def test_successful_grants_are_counted_by_grant_type(simulator: Simulator) -> None:
    # Given one code exchange and one failed exchange
    party = register(simulator)
    code = consent_to(party)["code"]
    exchange(party, code)
    exchange(party, code)
    # Then only the success is counted, under its grant type
    assert simulator.counters.snapshot()["tokenGrants"] == {"authorization_code": 1}
