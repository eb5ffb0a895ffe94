"""The browser side of Xero's OAuth 2.0 flow: GET /identity/connect/authorize, sign in, consent (FACTS.md §1.2).

Allow with at least one organisation ticked connects them under one new authEventId (FACTS.md
§1.6: "shared across connections authorised at the same time") and redirects to the app with a
code; Deny redirects with `error=access_denied`. Every step re-reads the OAuth parameters from
the form, so a tampered hidden field is judged as a fresh authorize request would be.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from xero_simulator.builders import connect_organisations
from xero_simulator.identity import pages
from xero_simulator.identity.authorize_request import (
    AuthorizePageError,
    AuthorizeRedirectError,
    AuthorizeRequest,
    read_authorize_request,
)
from xero_simulator.identity.grants import Consent
from xero_simulator.identity.state import identity_state
from xero_simulator.plain_routes import identity
from xero_simulator.world import User, World, new_id

if TYPE_CHECKING:
    from xero_simulator.server import Simulator


def _checked(world: World, params: Mapping[str, str]) -> AuthorizeRequest | Response:
    """The authorize request, or the answer Xero gives to a bad one: its error page or a redirect to the app."""
    try:
        return read_authorize_request(world, params)
    except AuthorizePageError as refused:
        return pages.error_page(refused.error, refused.description)
    except AuthorizeRedirectError as refused:
        return redirect(refused.location(), code=302)


def _user_by_email(world: World, email: str) -> User | None:
    wanted = email.strip().lower()
    return next((u for u in world.users.values() if u.email.lower() == wanted), None)


@identity.route("GET", "/identity/connect/authorize")
def authorize(sim: Simulator, request: Request, _: dict[str, str]) -> Response:
    """The start of the flow: the sign-in form for a good request, Xero's error page or a redirect for a bad one."""
    with sim.world.lock:
        checked = _checked(sim.world, request.args)
    if isinstance(checked, Response):
        return checked
    return pages.sign_in_page(checked)


@identity.route("POST", pages.SIGN_IN_ACTION)
def sign_in(sim: Simulator, request: Request, _: dict[str, str]) -> Response:
    """A simulated user signs in by email (no password): the consent page, or the form again for an unknown email."""
    world = sim.world
    with world.lock:
        checked = _checked(world, request.form)
        if isinstance(checked, Response):
            return checked
        email = request.form.get("email", "")
        user = _user_by_email(world, email)
        if user is None:
            return pages.sign_in_page(checked, email=email, error="We couldn't find a user with that email address.")
        session = identity_state(sim).sign_ins.start(user.user_id)
        return pages.consent_page(world, checked, user, session)


@identity.route("POST", pages.CONSENT_ACTION)
def consent(sim: Simulator, request: Request, _: dict[str, str]) -> Response:
    """Allow (connect the ticked organisations, redirect with a code) or Deny (redirect with access_denied)."""
    world, state = sim.world, identity_state(sim)
    with world.lock:
        checked = _checked(world, request.form)
        if isinstance(checked, Response):
            return checked
        session = request.form.get("sign_in", "")
        user_id = state.sign_ins.user_of(session)
        user = world.users.get(user_id) if user_id else None
        if user is None:
            return pages.sign_in_page(checked, error="Your session has ended. Log in again.")
        decision = request.form.get("decision")
        tenants = list(dict.fromkeys(request.form.getlist("tenant")))
        if decision == "deny":
            state.sign_ins.end(session)
            return redirect(checked.callback({"error": "access_denied"}), code=302)
        if decision != "allow":
            return pages.consent_page(world, checked, user, session, ticked=tenants, error="Choose Allow or Cancel.")
        if not tenants or any(t not in user.organisation_ids for t in tenants):
            return pages.consent_page(
                world, checked, user, session, ticked=tenants, error="Select an organisation to connect."
            )
        state.sign_ins.end(session)
        auth_event_id = new_id()
        connect_organisations(world, checked.app, user.user_id, tenants, auth_event_id)
        scopes = state.grants.remember_consent(checked.app.client_id, user.user_id, checked.scopes)
        code = state.grants.issue_code(
            Consent(
                client_id=checked.app.client_id,
                user_id=user.user_id,
                scopes=scopes,
                auth_event_id=auth_event_id,
                redirect_uri=checked.redirect_uri,
                code_challenge=checked.code_challenge,
                nonce=checked.nonce,
            ),
            world.clock.now(),
        )
        return redirect(checked.callback({"code": code}), code=302)
