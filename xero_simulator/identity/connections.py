"""GET /connections and DELETE /connections/{id} (OAS-ID), and disconnecting a tenant from Xero's side.

FACTS.md §1.6: a Connection carries its own `id` (used for DELETE), the `tenantId` (used in the
xero-tenant-id header) and the `authEventId` of the consent that last connected it; datetimes
have no zone suffix. These calls are tenantless: they take only the app's minute budget and send
only `X-AppMinLimit-Remaining`. DELETE with anything but one of this user's connection ids (a
tenant id is the classic mistake) is a 404: FACTS.md says 403 or 404, and 404 is the only error
the identity spec lists for the operation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from xero_simulator import conformance
from xero_simulator.api_call import error_response
from xero_simulator.errors import InternalError, NotFoundError, RateLimitError, UnauthorizedError, XeroError
from xero_simulator.identity.access import Principal
from xero_simulator.identity.state import identity_state
from xero_simulator.msjson import naive_utc
from xero_simulator.plain_routes import identity
from xero_simulator.world import AppKind, Connection

if TYPE_CHECKING:
    from xero_simulator.server import Simulator


def disconnect(sim: Simulator, connection_id: str) -> Connection | None:
    """Remove a connection, as a user does from Xero's side (Settings > Connected apps) or through DELETE.

    Accounting calls for that tenant then get 403. When it was the user's last connection to the
    app, the user's refresh tokens for the app stop working (`invalid_grant`, FACTS.md §1.5); the
    access tokens live out their 30 minutes, able to call /connections only. A custom connection
    loses its authorisation and must be authorised again. Returns the removed connection, or None.
    """
    world = sim.world
    with world.lock:
        connection = world.connections.pop(connection_id, None)
        if connection is None:
            return None
        if not world.connections_of(connection.client_id, connection.user_id):
            identity_state(sim).grants.end_refreshing(connection.client_id, connection.user_id)
        app = world.apps.get(connection.client_id)
        if (
            app is not None
            and app.kind is AppKind.CUSTOM_CONNECTION
            and app.custom_connection_tenant_id == connection.tenant_id
        ):
            app.custom_connection_tenant_id = None
    return connection


def _rendered(sim: Simulator, connection: Connection) -> dict[str, Any]:
    org = sim.world.organisation(connection.tenant_id)
    rendered = {
        "id": connection.id,
        "authEventId": connection.auth_event_id,
        "tenantId": connection.tenant_id,
        "tenantType": connection.tenant_type,
        "tenantName": org.name if org is not None else None,
        "createdDateUtc": naive_utc(connection.created),
        "updatedDateUtc": naive_utc(connection.updated),
    }
    return {key: value for key, value in rendered.items() if value is not None}


def _conforming(sim: Simulator, method: str, status: int, body: Any) -> None:
    """In strict mode, an answer the identity spec does not allow becomes a recorded 500."""
    if not sim.strict:
        return
    op = conformance.operation(conformance.IDENTITY_URI, "/Connections", method)
    if op is None:
        return
    try:
        conformance.check_response(op, status, body)
    except conformance.ConformanceError as exc:
        sim.conformance_failures.append(str(exc))
        raise InternalError(f"simulator answer breaks Xero's schema: {exc}") from exc


def _tenantless(sim: Simulator, request: Request, endpoint: str, answer: Callable[[Principal], Response]) -> Response:
    """Authenticate the bearer token, take one call from the app's minute budget, answer, add the limit header."""
    now = sim.world.clock.now()
    try:
        principal = sim.tokens.authenticate(request.headers.get("Authorization"), now)
        if principal.client_id not in sim.world.apps:
            raise UnauthorizedError("AuthenticationUnsuccessful")
        sim.counters.count_call(None, endpoint)
        ticket = sim.limiter.admit(principal.client_id, None, now)
    except RateLimitError as limited:
        sim.counters.count_429(limited.headers["X-Rate-Limit-Problem"])
        return error_response(limited)
    except XeroError as error:
        return error_response(error)
    try:
        with sim.world.lock:
            response = answer(principal)
    except XeroError as error:
        return error_response(error, ticket.headers)
    finally:
        sim.limiter.release(ticket)
    response.headers.extend(ticket.headers)
    return response


@identity.route("GET", "/connections")
def list_connections(sim: Simulator, request: Request, _: dict[str, str]) -> Response:
    """The token's user's connections to its app (every one for a custom connection), optionally of one authEventId."""
    auth_event_id = request.args.get("authEventId")

    def answer(principal: Principal) -> Response:
        connections = sim.world.connections_of(principal.client_id, principal.user_id)
        body = [_rendered(sim, c) for c in connections if auth_event_id is None or c.auth_event_id == auth_event_id]
        _conforming(sim, "get", 200, body)
        return Response(json.dumps(body), status=200, content_type="application/json")

    return _tenantless(sim, request, "GET /connections", answer)


@identity.route("DELETE", "/connections/{id}")
def delete_connection(sim: Simulator, request: Request, params: dict[str, str]) -> Response:
    """Disconnect one of the token's user's connections by its connection id: 204, or 404 for any other id."""

    def answer(principal: Principal) -> Response:
        mine = sim.world.connections_of(principal.client_id, principal.user_id)
        if not any(c.id == params["id"] for c in mine):
            raise NotFoundError()
        disconnect(sim, params["id"])
        return Response(status=204)

    return _tenantless(sim, request, "DELETE /connections/{id}", answer)
