"""The HTML pages of Xero's login: sign-in, consent and the error page, rendered by jinja2 with autoescape.

Element ids are stable (`#email`, `#sign-in`, `#allow`, `#deny`, `#tenant-<organisation id>`,
`#error`, `#error-code`) so a headless browser can drive the pages, and both forms are plain
POSTs a script can send, carrying the original OAuth parameters in hidden fields.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from werkzeug.wrappers import Response

from xero_simulator.identity.authorize_request import AuthorizeRequest
from xero_simulator.world import User, World

SIGN_IN_ACTION = "/identity/connect/authorize/sign-in"
CONSENT_ACTION = "/identity/connect/authorize/consent"

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class OrganisationChoice:
    id: str
    name: str
    connected: bool
    ticked: bool


def _html(template: str, status: int, **context: object) -> Response:
    body = _templates.get_template(template).render(**context)
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def error_page(error: str, description: str) -> Response:
    """Xero's own error page, shown instead of a redirect when the app or its request cannot be trusted."""
    return _html("error.html", 400, error=error, description=description)


def sign_in_page(request: AuthorizeRequest, *, email: str = "", error: str | None = None) -> Response:
    """The email form of a simulated user, with the authorize request in hidden fields."""
    return _html(
        "sign_in.html",
        200,
        action=SIGN_IN_ACTION,
        app_name=request.app.name,
        oauth_parameters=request.parameters,
        email=email,
        error=error,
    )


def consent_page(
    world: World,
    request: AuthorizeRequest,
    user: User,
    sign_in: str,
    *,
    ticked: Collection[str] = (),
    error: str | None = None,
) -> Response:
    """The user's organisations to tick, the scopes asked for, and Allow / Deny."""
    organisations = [
        OrganisationChoice(
            id=org.organisation_id,
            name=org.name,
            connected=world.find_connection(request.app.client_id, user.user_id, org.organisation_id) is not None,
            ticked=org.organisation_id in ticked,
        )
        for org in (world.organisation(tenant_id) for tenant_id in user.organisation_ids)
        if org is not None
    ]
    return _html(
        "consent.html",
        200,
        action=CONSENT_ACTION,
        app_name=request.app.name,
        user_email=user.email,
        oauth_parameters=request.parameters,
        sign_in=sign_in,
        organisations=organisations,
        scopes=request.scopes,
        error=error,
    )
