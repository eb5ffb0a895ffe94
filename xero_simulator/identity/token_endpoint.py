"""POST /connect/token: authorization_code, refresh_token and client_credentials grants (FACTS.md §1.3-§1.5).

Checks run in the order of Xero's identity service: client authentication (`invalid_client`),
then the grant type (`invalid_request` when missing, `unsupported_grant_type` when unknown,
`unauthorized_client` when this kind of app may not use it), then the grant itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from xero_simulator.builders import connect_organisations
from xero_simulator.identity.access import ACCESS_TOKEN_LIFETIME
from xero_simulator.identity.client_auth import authenticate_client
from xero_simulator.identity.grants import TokenSet
from xero_simulator.identity.id_tokens import issue_id_token
from xero_simulator.identity.state import identity_state
from xero_simulator.identity.token_errors import TokenError, json_response
from xero_simulator.plain_routes import identity
from xero_simulator.scopes import refused_for_app
from xero_simulator.world import App, AppKind, new_id

if TYPE_CHECKING:
    from xero_simulator.server import Simulator

AUTHORIZATION_CODE = "authorization_code"
REFRESH_TOKEN = "refresh_token"  # noqa: S105 - a grant type, not a secret
CLIENT_CREDENTIALS = "client_credentials"

# Custom connections are machine to machine and only use client credentials (FACTS.md §1.3).
GRANT_TYPES_BY_KIND = {
    AppKind.WEB: frozenset({AUTHORIZATION_CODE, REFRESH_TOKEN}),
    AppKind.PKCE: frozenset({AUTHORIZATION_CODE, REFRESH_TOKEN}),
    AppKind.CUSTOM_CONNECTION: frozenset({CLIENT_CREDENTIALS}),
}

Form = MultiDict[str, str]


def _required(form: Form, name: str) -> str:
    value = form.get(name)
    if not value:
        raise TokenError("invalid_request", f"{name} is required")
    return value


def _authorization_code(sim: Simulator, app: App, form: Form, now: datetime) -> TokenSet:
    code = _required(form, "code")
    grants = identity_state(sim).grants
    return grants.exchange_code(code, app.client_id, form.get("redirect_uri"), form.get("code_verifier"), now)


def _refresh_token(sim: Simulator, app: App, form: Form, now: datetime) -> TokenSet:
    return identity_state(sim).grants.refresh(_required(form, "refresh_token"), app.client_id, now)


def _client_credentials(sim: Simulator, app: App, form: Form, now: datetime) -> TokenSet:
    """A custom connection's token for its one organisation, with the scopes its authorisation allows."""
    world = sim.world
    tenant_id = app.custom_connection_tenant_id
    if tenant_id is None or world.organisation(tenant_id) is None:
        raise TokenError("invalid_grant", "the custom connection is not authorised to an organisation")
    requested = tuple(dict.fromkeys(form.get("scope", "").split()))
    if requested:
        if refused_for_app(set(requested), granular_only=False):
            raise TokenError("invalid_scope", "unknown scope")
        if refused_for_app(set(requested), granular_only=app.granular_only):
            raise TokenError("unauthorized_client", "Invalid scope for client")
        if not set(requested) <= app.custom_connection_scopes:
            raise TokenError("invalid_scope", "scope not authorised for this custom connection")
    scopes = requested or tuple(sorted(app.custom_connection_scopes))
    # The app stands in for the user of a custom connection, as the access token's `sub` does.
    connection = world.find_connection(app.client_id, None, tenant_id)
    if connection is None:
        (connection,) = connect_organisations(world, app, app.client_id, [tenant_id], new_id())
    return identity_state(sim).grants.issue_app_token(app.client_id, scopes, connection.auth_event_id, now)


GRANTS: dict[str, Callable[[Simulator, App, Form, datetime], TokenSet]] = {
    AUTHORIZATION_CODE: _authorization_code,
    REFRESH_TOKEN: _refresh_token,
    CLIENT_CREDENTIALS: _client_credentials,
}


def _token_answer(sim: Simulator, issued: TokenSet, now: datetime) -> dict[str, Any]:
    """The token response of FACTS.md §1.3: id_token only with openid, refresh_token only with offline_access."""
    grant = issued.grant
    answer: dict[str, Any] = {}
    user = sim.world.users.get(grant.user_id) if grant.user_id else None
    if "openid" in grant.scopes and user is not None:
        answer["id_token"] = issue_id_token(sim.tokens, grant, user, now)
    answer.update(
        access_token=issued.access_token,
        expires_in=int(ACCESS_TOKEN_LIFETIME.total_seconds()),
        token_type="Bearer",  # noqa: S106 - the token type RFC 6750 names, not a secret
    )
    if issued.refresh_token is not None:
        answer["refresh_token"] = issued.refresh_token
    answer["scope"] = " ".join(grant.scopes)
    return answer


@identity.route("POST", "/connect/token")
def token(sim: Simulator, request: Request, _: dict[str, str]) -> Response:
    """A token set for a form-encoded grant request, or 400 `{"error": ...}`; successes are counted by grant type."""
    world = sim.world
    try:
        with world.lock:
            app = authenticate_client(world, request)
            grant_type = _required(request.form, "grant_type")
            exchange = GRANTS.get(grant_type)
            if exchange is None:
                raise TokenError("unsupported_grant_type", grant_type)
            if grant_type not in GRANT_TYPES_BY_KIND[app.kind]:
                raise TokenError("unauthorized_client", f"{app.kind} apps may not use {grant_type}")
            now = world.clock.now()
            answer = _token_answer(sim, exchange(sim, app, request.form, now), now)
    except TokenError as refused:
        return refused.response()
    sim.counters.count_grant(grant_type)
    return json_response(200, answer)
