"""Control routes that set up the world: apps, users, organisations, lock dates, connections.

What Xero's developer portal (apps, webhook keys), its sign-up (users, organisations), its settings
pages (lock dates) and its connected-apps page (disconnecting) do, without a browser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xero_simulator import builders
from xero_simulator.control.bodies import (
    ControlError,
    ControlRequest,
    boolean,
    choice,
    control_route,
    optional_date,
    optional_text,
    string_list,
    text,
)
from xero_simulator.identity import connections as identity_connections
from xero_simulator.identity.access import Principal
from xero_simulator.msjson import naive_utc
from xero_simulator.world import App, AppKind, Connection, Organisation, User, new_id

if TYPE_CHECKING:
    from xero_simulator.server import Simulator


def app_json(sim: Simulator, app: App) -> dict[str, Any]:
    """An app as the control API shows it, with its credentials and webhook subscription."""
    return {
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "name": app.name,
        "kind": app.kind.value,
        "redirect_uris": app.redirect_uris,
        "granular_only": app.granular_only,
        "webhook_url": app.webhook_url,
        "webhook_key": app.webhook_key,
        "custom_connection_tenant_id": app.custom_connection_tenant_id,
        "custom_connection_scopes": sorted(app.custom_connection_scopes),
        "webhook": sim.webhooks.subscription_json(app.client_id),
    }


def user_json(user: User) -> dict[str, Any]:
    """A user as the control API shows it."""
    return {
        "user_id": user.user_id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation_ids": list(user.organisation_ids),
    }


def organisation_json(org: Organisation) -> dict[str, Any]:
    """An organisation as the control API shows it, with record counts per collection."""
    return {
        "tenant_id": org.organisation_id,
        "name": org.name,
        "country_code": org.country_code,
        "base_currency": org.base_currency,
        "short_code": org.short_code,
        "timezone": org.timezone,
        "period_lock_date": org.period_lock_date.isoformat() if org.period_lock_date else None,
        "end_of_year_lock_date": org.end_of_year_lock_date.isoformat() if org.end_of_year_lock_date else None,
        "records": {name: len(records) for name, records in sorted(org.collections.items())},
    }


def connection_json(connection: Connection) -> dict[str, Any]:
    """A connection as the control API shows it (zoneless UTC datetimes, as Xero writes them)."""
    return {
        "id": connection.id,
        "tenant_id": connection.tenant_id,
        "client_id": connection.client_id,
        "user_id": connection.user_id,
        "auth_event_id": connection.auth_event_id,
        "created": naive_utc(connection.created),
        "updated": naive_utc(connection.updated),
    }


def find_app(sim: Simulator, client_id: str) -> App:
    """The app with this client id, or a 404."""
    app = sim.world.apps.get(client_id)
    if app is None:
        raise ControlError(f"no app with client_id {client_id}", status=404)
    return app


def find_organisation(sim: Simulator, tenant_id: str) -> Organisation:
    """The organisation with this tenant id, or a 404."""
    org = sim.world.organisation(tenant_id)
    if org is None:
        raise ControlError(f"no organisation with tenant_id {tenant_id}", status=404)
    return org


def _find_user(sim: Simulator, user_id: str) -> User:
    user = sim.world.users.get(user_id)
    if user is None:
        raise ControlError(f"no user with user_id {user_id}")
    return user


def webhook_url_of(body: dict[str, Any]) -> str | None:
    """A webhook URL: http(s) only. Xero demands HTTPS on 443 (FACTS.md §2.1); loopback receivers use http."""
    url = optional_text(body, "webhook_url")
    if url is not None and not url.startswith(("http://", "https://")):
        raise ControlError("'webhook_url' must be an http:// or https:// URL")
    return url


# --- apps ----------------------------------------------------------------------------------------


@control_route("POST", "/apps")
def create_app(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/apps: register an app as the developer portal does."""
    body = request.body
    kind = AppKind(choice(body, "kind", [k.value for k in AppKind], default=AppKind.WEB.value))
    name = text(body, "name")
    redirect_uris = string_list(body, "redirect_uris")
    granular_only = boolean(body, "granular_only", default=False)
    webhook_url = webhook_url_of(body)
    tenant_id = None
    if kind is AppKind.CUSTOM_CONNECTION:
        tenant_id = find_organisation(sim, text(body, "tenant_id")).organisation_id
    scopes = string_list(body, "scopes")
    app = builders.create_app(
        sim.world, name, redirect_uris, kind=kind, granular_only=granular_only, webhook_url=webhook_url
    )
    with sim.world.lock:
        app.custom_connection_tenant_id = tenant_id
        app.custom_connection_scopes = frozenset(scopes) if tenant_id else frozenset()
    return 201, app_json(sim, app)


@control_route("GET", "/apps")
def list_apps(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/apps: every registered app."""
    with sim.world.lock:
        return {"apps": [app_json(sim, app) for app in sim.world.apps.values()]}


@control_route("GET", "/apps/{client_id}")
def get_app(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/apps/{client_id}: one app and its webhook subscription."""
    return app_json(sim, find_app(sim, params["client_id"]))


# --- users and organisations ---------------------------------------------------------------------


@control_route("POST", "/users")
def create_user(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/users: a Xero user who can sign in and consent."""
    body = request.body
    user = builders.create_user(
        sim.world,
        text(body, "email"),
        text(body, "first_name", default="Demo"),
        text(body, "last_name", default="User"),
    )
    return 201, user_json(user)


@control_route("GET", "/users")
def list_users(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/users: every user and the organisations they can see."""
    with sim.world.lock:
        return {"users": [user_json(user) for user in sim.world.users.values()]}


@control_route("POST", "/organisations")
def create_organisation(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/organisations: a new organisation with its country's chart, visible to `user_ids`."""
    body = request.body
    name = text(body, "name")
    country = text(body, "country_code", default="AU").upper()
    users = [_find_user(sim, user_id) for user_id in string_list(body, "user_ids")]
    try:
        org = builders.create_organisation(sim.world, name, country, users)
    except (ValueError, ImportError) as exc:
        raise ControlError(f"'country_code' {country} is not supported: {exc}") from exc
    return 201, organisation_json(org)


@control_route("GET", "/organisations")
def list_organisations(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/organisations: every organisation."""
    with sim.world.lock:
        return {"organisations": [organisation_json(org) for org in sim.world.organisations.values()]}


@control_route("GET", "/organisations/{tenant_id}")
def get_organisation(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/organisations/{tenant_id}: one organisation, its lock dates and record counts."""
    with sim.world.lock:
        return organisation_json(find_organisation(sim, params["tenant_id"]))


@control_route("PUT", "/organisations/{tenant_id}/lock-dates")
def set_lock_dates(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """Set or clear (null) the period and end-of-year lock dates; a field left out keeps its value."""
    body = request.body
    unknown = set(body) - {"period_lock_date", "end_of_year_lock_date"}
    if unknown:
        raise ControlError(f"unknown fields: {', '.join(sorted(unknown))}")
    with sim.world.lock:
        org = find_organisation(sim, params["tenant_id"])
        period = optional_date(body, "period_lock_date") if "period_lock_date" in body else org.period_lock_date
        year_end = (
            optional_date(body, "end_of_year_lock_date")
            if "end_of_year_lock_date" in body
            else org.end_of_year_lock_date
        )
        org.period_lock_date = period
        org.end_of_year_lock_date = year_end
        return organisation_json(org)


# --- connections ---------------------------------------------------------------------------------


@control_route("POST", "/connections")
def connect(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """Connect tenants to an app as a user's consent would, and hand back an access token for them."""
    body = request.body
    app = find_app(sim, text(body, "client_id"))
    user = _find_user(sim, text(body, "user_id"))
    tenant_ids = string_list(body, "tenant_ids")
    if not tenant_ids:
        raise ControlError("'tenant_ids' must name at least one organisation")
    for tenant_id in tenant_ids:
        if tenant_id not in user.organisation_ids:
            raise ControlError(f"user {user.user_id} has no access to organisation {tenant_id}")
    scopes = string_list(body, "scopes")
    auth_event_id = new_id()
    connections = builders.connect_organisations(sim.world, app, user.user_id, tenant_ids, auth_event_id)
    principal = Principal(app.client_id, user.user_id, frozenset(scopes), auth_event_id, new_id())
    token = sim.tokens.issue(principal, sim.world.clock.now())
    return 201, {"connections": [connection_json(c) for c in connections], "access_token": token}


@control_route("GET", "/connections")
def list_connections(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/connections[?client_id=]: every connection, or one app's."""
    client_id = request.query.get("client_id")
    with sim.world.lock:
        chosen = [c for c in sim.world.connections.values() if client_id is None or c.client_id == client_id]
        return {"connections": [connection_json(c) for c in chosen]}


@control_route("DELETE", "/connections/{connection_id}")
def disconnect(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """Disconnect an app from Xero's side (a user removing it in Xero's connected apps page).

    The identity service's `disconnect` does what Xero does: calls for that tenant then answer 403, and a
    user left with no connection to the app can no longer refresh (FACTS.md §1.5). Webhooks for the
    tenant stop at once, since deliveries go only to connected apps.
    """
    connection = identity_connections.disconnect(sim, params["connection_id"])
    if connection is None:
        raise ControlError(f"no connection with id {params['connection_id']}", status=404)
    return connection_json(connection)
