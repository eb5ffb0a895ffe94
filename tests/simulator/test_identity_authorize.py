"""GET /identity/connect/authorize, the sign-in form and the consent page (FACTS.md §1.2, §1.6)."""

from __future__ import annotations

import httpx

from tests.simulator.identity_flow import (
    GRANULAR_SCOPES,
    OFFLINE_SCOPES,
    REDIRECT_URI,
    STATE,
    Party,
    authorize_params,
    bearer,
    callback_query,
    connect,
    consent_to,
    decide,
    exchange,
    form_data,
    open_authorize,
    pkce_pair,
    read_page,
    register,
    sign_in,
    submit,
)
from xero_simulator.server import Simulator
from xero_simulator.world import AppKind


def _consent_page(party: Party, scopes: tuple[str, ...] = OFFLINE_SCOPES) -> httpx.Response:
    return sign_in(party, open_authorize(party, authorize_params(party.app, scopes)))


def _is_error_page(answer: httpx.Response, error: str) -> bool:
    page = read_page(answer.text)
    return (
        answer.status_code == 400
        and "location" not in answer.headers
        and "error-code" in page.ids
        and f'id="error-code">{error}<' in answer.text
    )


def test_authorize_shows_a_sign_in_form_carrying_the_oauth_parameters(simulator: Simulator) -> None:
    # Given a registered web app
    party = register(simulator)
    params = authorize_params(party.app, OFFLINE_SCOPES)
    # When the user's browser opens the authorize URL
    page = open_authorize(party, params)
    # Then a sign-in form asks for the email and carries every OAuth parameter in hidden fields
    reader = read_page(page.text)
    assert page.status_code == 200
    assert {"email", "sign-in"} <= reader.ids
    assert dict(reader.forms["sign-in-form"].hidden) == params


def test_an_unknown_client_id_gets_xeros_error_page_not_a_redirect(simulator: Simulator) -> None:
    # Given an authorize request naming a client Xero does not know
    party = register(simulator)
    params = {**authorize_params(party.app, OFFLINE_SCOPES), "client_id": "0" * 32}
    # When it is opened, then Xero shows its own error page and never goes back to the redirect_uri
    assert _is_error_page(open_authorize(party, params), "invalid_client")


def test_a_redirect_uri_not_registered_exactly_gets_the_error_page(simulator: Simulator) -> None:
    # Given a redirect_uri that differs from the registered one by a trailing slash (no wildcards, FACTS.md §1.2)
    party = register(simulator)
    params = {**authorize_params(party.app, OFFLINE_SCOPES), "redirect_uri": REDIRECT_URI + "/"}
    # When it is opened, then Xero shows its error page without redirecting
    assert _is_error_page(open_authorize(party, params), "invalid_request")


def test_unknown_scopes_get_the_error_page_with_invalid_scope(simulator: Simulator) -> None:
    # Given a request for a scope Xero does not have
    party = register(simulator)
    params = authorize_params(party.app, ("offline_access", "accounting.everything"))
    # When it is opened, then Xero shows its error page: invalid_scope
    assert _is_error_page(open_authorize(party, params), "invalid_scope")


def test_broad_scopes_from_an_app_created_after_march_2026_get_the_error_page(simulator: Simulator) -> None:
    # Given an app that may only use granular scopes, asking for accounting.transactions
    party = register(simulator, granular_only=True)
    params = authorize_params(party.app, ("offline_access", "accounting.transactions"))
    # When it is opened, then Xero refuses on its error page with unauthorized_client ("Invalid scope for client")
    answer = open_authorize(party, params)
    assert _is_error_page(answer, "unauthorized_client")
    assert "Invalid scope for client" in answer.text


def test_granular_scopes_from_an_app_created_after_march_2026_are_accepted(simulator: Simulator) -> None:
    # Given an app that may only use granular scopes, asking for granular ones
    party = register(simulator, granular_only=True)
    # When it is opened, then the sign-in form is shown
    answer = open_authorize(party, authorize_params(party.app, GRANULAR_SCOPES))
    assert answer.status_code == 200
    assert "sign-in-form" in read_page(answer.text).forms


def test_a_response_type_other_than_code_is_sent_back_to_the_app(simulator: Simulator) -> None:
    # Given a request for the implicit flow
    party = register(simulator)
    params = {**authorize_params(party.app, OFFLINE_SCOPES), "response_type": "token"}
    # When it is opened, then the app's redirect_uri gets unsupported_response_type and its state
    query = callback_query(open_authorize(party, params))
    assert query["error"] == "unsupported_response_type"
    assert query["state"] == STATE


def test_a_pkce_app_without_a_code_challenge_is_sent_back_with_invalid_request(simulator: Simulator) -> None:
    # Given a PKCE app that forgets the code challenge
    party = register(simulator, kind=AppKind.PKCE)
    # When it opens the authorize URL, then it is redirected with invalid_request
    query = callback_query(open_authorize(party, authorize_params(party.app, OFFLINE_SCOPES)))
    assert query["error"] == "invalid_request"


def test_a_pkce_app_using_the_plain_method_is_sent_back_with_invalid_request(simulator: Simulator) -> None:
    # Given a PKCE app sending its verifier as a plain challenge
    party = register(simulator, kind=AppKind.PKCE)
    verifier, _ = pkce_pair()
    params = authorize_params(party.app, OFFLINE_SCOPES, code_challenge=verifier, code_challenge_method="plain")
    # When it opens the authorize URL, then it is redirected with invalid_request: only S256 is accepted
    query = callback_query(open_authorize(party, params))
    assert query["error"] == "invalid_request"


def test_a_pkce_app_with_an_s256_challenge_gets_the_sign_in_form(simulator: Simulator) -> None:
    # Given a PKCE app sending an S256 challenge
    party = register(simulator, kind=AppKind.PKCE)
    _, challenge = pkce_pair()
    params = authorize_params(party.app, OFFLINE_SCOPES, code_challenge=challenge, code_challenge_method="S256")
    # When it opens the authorize URL, then the sign-in form is shown
    assert open_authorize(party, params).status_code == 200


def test_an_unknown_email_shows_the_sign_in_form_again_with_an_error(simulator: Simulator) -> None:
    # Given the sign-in form
    party = register(simulator)
    page = open_authorize(party, authorize_params(party.app, OFFLINE_SCOPES))
    # When an email no Xero user has is submitted
    answer = sign_in(party, page, "nobody@example.com")
    # Then the sign-in form comes back with an error, not the consent page
    reader = read_page(answer.text)
    assert "sign-in-form" in reader.forms
    assert "error" in reader.ids
    assert "consent-form" not in reader.forms


def test_the_consent_page_lists_the_users_organisations_and_the_requested_scopes(simulator: Simulator) -> None:
    # Given a user with two organisations
    party = register(simulator, organisations=2)
    # When they sign in
    page = _consent_page(party)
    # Then each organisation has a checkbox and each requested scope is listed, with Allow and Deny
    reader = read_page(page.text)
    assert {f"tenant-{org.organisation_id}" for org in party.orgs} <= reader.ids
    assert {"allow", "deny"} <= reader.ids
    assert all(f'data-scope="{scope}"' in page.text for scope in OFFLINE_SCOPES)


def test_allow_redirects_to_the_app_with_a_code_and_the_state(simulator: Simulator) -> None:
    # Given the consent page
    party = register(simulator)
    # When the user ticks their organisation and allows
    query = callback_query(decide(party, _consent_page(party), "allow", [party.org.organisation_id]))
    # Then the redirect_uri gets a code and the state the app sent
    assert query["code"]
    assert query["state"] == STATE
    assert "error" not in query


def test_deny_redirects_to_the_app_with_access_denied_and_the_state(simulator: Simulator) -> None:
    # Given the consent page
    party = register(simulator)
    # When the user denies
    query = callback_query(decide(party, _consent_page(party), "deny", []))
    # Then the redirect_uri gets access_denied and the state, and no code
    assert query == {"error": "access_denied", "state": STATE}


def test_allow_without_an_organisation_shows_the_consent_page_again_with_an_error(simulator: Simulator) -> None:
    # Given the consent page
    party = register(simulator)
    # When the user allows without ticking any organisation
    answer = decide(party, _consent_page(party), "allow", [])
    # Then the consent page comes back with an error and nothing is connected
    reader = read_page(answer.text)
    assert answer.status_code == 200
    assert "consent-form" in reader.forms
    assert "error" in reader.ids
    assert simulator.world.connections_of(party.app.client_id, party.user.user_id) == []


def test_an_organisation_the_user_does_not_belong_to_cannot_be_connected(simulator: Simulator) -> None:
    # Given the consent page and another user's organisation
    party = register(simulator)
    stranger = register(simulator)
    # When the form is posted with the stranger's organisation id
    answer = decide(party, _consent_page(party), "allow", [stranger.org.organisation_id])
    # Then the consent page comes back with an error instead of a code
    assert answer.status_code == 200
    assert "error" in read_page(answer.text).ids


def test_consent_without_signing_in_goes_back_to_the_sign_in_form(simulator: Simulator) -> None:
    # Given a consent form whose sign-in id was forged
    party = register(simulator)
    page = _consent_page(party)
    hidden = [(k, "forged" if k == "sign_in" else v) for k, v in read_page(page.text).forms["consent-form"].hidden]
    # When it is posted
    answer = party.http.post(
        "/identity/connect/authorize/consent",
        data=form_data([*hidden, ("tenant", party.org.organisation_id), ("decision", "allow")]),
    )
    # Then the user is asked to sign in again
    assert answer.status_code == 200
    assert "sign-in-form" in read_page(answer.text).forms


def test_a_redirect_uri_changed_in_the_hidden_fields_gets_the_error_page(simulator: Simulator) -> None:
    # Given the consent page, whose hidden redirect_uri a script replaces with an unregistered one
    party = register(simulator)
    page = _consent_page(party)
    hidden = [
        (k, "https://attacker.example/cb" if k == "redirect_uri" else v)
        for k, v in read_page(page.text).forms["consent-form"].hidden
    ]
    # When the user allows
    answer = party.http.post(
        "/identity/connect/authorize/consent",
        data=form_data([*hidden, ("tenant", party.org.organisation_id), ("decision", "allow")]),
    )
    # Then Xero shows its error page and sends nothing anywhere
    assert _is_error_page(answer, "invalid_request")


def test_the_pages_escape_what_the_app_sent(simulator: Simulator) -> None:
    # Given a state carrying markup
    party = register(simulator)
    params = authorize_params(party.app, OFFLINE_SCOPES, state='"><script>alert(1)</script>')
    # When the sign-in page is shown, then the markup is escaped, and the hidden field still holds the state
    page = open_authorize(party, params)
    assert "<script>" not in page.text
    assert dict(read_page(page.text).forms["sign-in-form"].hidden)["state"] == params["state"]


def test_allow_connects_only_the_ticked_organisations_under_one_auth_event(simulator: Simulator) -> None:
    # Given a user with three organisations
    party = register(simulator, organisations=3)
    ticked = [party.orgs[0].organisation_id, party.orgs[2].organisation_id]
    # When they allow two of them and the app exchanges the code
    tokens = exchange(party, consent_to(party, tenant_ids=ticked)["code"]).json()
    # Then /connections lists exactly those two, sharing one authEventId
    listed = party.http.get("/connections", headers=bearer(tokens["access_token"])).json()
    assert sorted(c["tenantId"] for c in listed) == sorted(ticked)
    assert len({c["authEventId"] for c in listed}) == 1


def test_reconnecting_keeps_the_connection_id_and_bumps_updated_date(simulator: Simulator) -> None:
    # Given an organisation connected once
    party = register(simulator)
    first = party.http.get("/connections", headers=bearer(connect(party)["access_token"])).json()[0]
    # When the user consents again a minute later
    simulator.world.clock.advance(60)
    second = party.http.get("/connections", headers=bearer(connect(party)["access_token"])).json()[0]
    # Then the connection keeps its id and creation date, gets a new authEventId and a later updatedDateUtc
    assert second["id"] == first["id"]
    assert second["createdDateUtc"] == first["createdDateUtc"]
    assert second["authEventId"] != first["authEventId"]
    assert second["updatedDateUtc"] > first["updatedDateUtc"]


def test_the_sign_in_form_posts_to_an_action_a_browser_can_follow(simulator: Simulator) -> None:
    # Given the sign-in page
    party = register(simulator)
    page = open_authorize(party, authorize_params(party.app, OFFLINE_SCOPES))
    # When its form is submitted with the user's email exactly as a browser would
    answer = submit(party, page, "sign-in-form", [("email", party.user.email.upper())])
    # Then the consent page follows (emails match case-insensitively)
    assert "consent-form" in read_page(answer.text).forms
