"""Reading an authorize request (FACTS.md §1.2) and deciding who hears about a bad one.

Xero sends the user to its own error page, never back to the app, when the client_id, the
redirect_uri or the scopes are invalid (FACTS.md §1.2, AUTHFLOW): `AuthorizePageError`. Once the
app and its redirect_uri are known good, other problems go back to the app as an `error`
parameter on the redirect_uri: `AuthorizeRedirectError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from xero_simulator.identity import pkce
from xero_simulator.scopes import refused_for_app
from xero_simulator.world import App, AppKind, World

# The parameters an authorize request carries; the sign-in and consent forms echo them in hidden fields.
OAUTH_PARAMETERS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "nonce",
)


class AuthorizePageError(Exception):
    """A request Xero answers with its own error page (HTTP 400) instead of a redirect."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


class AuthorizeRedirectError(Exception):
    """A request Xero refuses by redirecting to the app with `error` (and `state`) in the query."""

    def __init__(self, request: AuthorizeRequest, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.request = request
        self.error = error
        self.description = description

    def location(self) -> str:
        return self.request.callback({"error": self.error, "error_description": self.description})


@dataclass(frozen=True)
class AuthorizeRequest:
    """A well-formed authorize request of a known app: what the sign-in and consent pages carry along."""

    app: App
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None
    nonce: str | None
    parameters: tuple[tuple[str, str], ...]  # the original OAuth parameters, for the forms' hidden fields

    def callback(self, answer: Mapping[str, str]) -> str:
        """The redirect_uri with `answer` and the app's `state` added to whatever query it already has."""
        parts = urlsplit(self.redirect_uri)
        query = parse_qsl(parts.query, keep_blank_values=True)
        query.extend(answer.items())
        if self.state:
            query.append(("state", self.state))
        return urlunsplit(parts._replace(query=urlencode(query)))


def read_authorize_request(world: World, params: Mapping[str, str]) -> AuthorizeRequest:
    """Check an authorize request's parameters against the app's registration and Xero's rules."""
    client_id = params.get("client_id", "")
    app = world.apps.get(client_id)
    if app is None:
        raise AuthorizePageError("invalid_client", "Unknown client or client not enabled")
    # FACTS.md §1.2: redirect URIs match exactly; wildcards are not supported.
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in app.redirect_uris:
        raise AuthorizePageError("invalid_request", "Invalid redirect_uri")
    if app.kind is AppKind.CUSTOM_CONNECTION:
        # Custom connections authorise machine to machine, with client credentials only (FACTS.md §1.3).
        raise AuthorizePageError("unauthorized_client", "Unauthorized client")
    scopes = tuple(dict.fromkeys(params.get("scope", "").split()))
    if not scopes:
        raise AuthorizePageError("invalid_scope", "Invalid scope")
    unknown = refused_for_app(set(scopes), granular_only=False)
    if unknown:
        raise AuthorizePageError("invalid_scope", "Invalid scope: " + " ".join(sorted(unknown)))
    refused = refused_for_app(set(scopes), granular_only=app.granular_only)
    if refused:
        # Apps created on or after 2 March 2026 may not ask for broad scopes (FACTS.md §1.5, §1.7).
        raise AuthorizePageError("unauthorized_client", "Invalid scope for client: " + " ".join(sorted(refused)))
    request = AuthorizeRequest(
        app=app,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=params.get("state") or None,
        code_challenge=params.get("code_challenge") or None,
        nonce=params.get("nonce") or None,
        parameters=tuple((name, params[name]) for name in OAUTH_PARAMETERS if params.get(name)),
    )
    if params.get("response_type") != "code":
        raise AuthorizeRedirectError(request, "unsupported_response_type", "response_type must be code")
    # PKCE apps have no secret, so the challenge is their only proof (FACTS.md §1.2); a web app may add one.
    if app.kind is AppKind.PKCE or request.code_challenge or params.get("code_challenge_method"):
        problem = pkce.challenge_problem(request.code_challenge, params.get("code_challenge_method"))
        if problem is not None:
            raise AuthorizeRedirectError(request, "invalid_request", problem)
    return request
