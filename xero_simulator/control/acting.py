"""Acting as a Xero user: an Accounting API route run for one organisation as Xero's own web app would.

A user editing an invoice in Xero's web app goes through the same rules as an API call but spends
no app's rate limits and needs no token: `act_as_user` runs the route's handler under `world.lock`,
with the request body checked against Xero's schema and, in strict mode, the answer against it too.
Changes announce webhook events like any other.

Route: POST /_sim/organisations/{tenant_id}/act
  {"method": "POST", "path": "/Invoices/<id>", "body": {...}, "query": {"summarizeErrors": "false"},
   "headers": {"If-Modified-Since": "..."}, "user_id": "<optional>"}
  -> 200 {"status": <Xero's status>, "body": <Xero's rendered answer>}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from werkzeug.datastructures import Headers

from xero_simulator import conformance
from xero_simulator.api_call import API_PREFIX
from xero_simulator.control.bodies import ControlError, ControlRequest, choice, control_route, optional_text, text
from xero_simulator.control.setup import find_organisation
from xero_simulator.errors import InternalError, NotFoundError, PostDataInvalidError, XeroError
from xero_simulator.rendering import render
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.world import App, AppKind, Organisation

if TYPE_CHECKING:
    from xero_simulator.server import Simulator

# The app a Xero user works through: Xero's own web app, not one of the registered apps.
XERO_WEB_APP = App(client_id="XERO-WEB-APP", name="Xero", kind=AppKind.WEB, client_secret=None, redirect_uris=[])


@dataclass(frozen=True)
class Outcome:
    """Xero's answer to one action: the status it would send and its rendered body."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return self.status == 200


def act_as_user(
    sim: Simulator,
    org: Organisation,
    method: str,
    path: str,
    *,
    body: Any = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    user_id: str | None = None,
) -> Outcome:
    """Run the Accounting route for `method` and `path` (relative to /api.xro/2.0) in `org`, as a Xero user."""
    path, query = _split_path(path, query or {})
    matched = accounting.match(method, path)
    if matched is None:
        return _answer(NotFoundError())
    route, params = matched
    op = conformance.operation(conformance.ACCOUNTING_URI, route.spec_path, method)
    try:
        if body is not None and op is not None:
            try:
                conformance.check_request(op, body)
            except conformance.ConformanceError as exc:
                raise PostDataInvalidError(str(exc)) from exc
        with sim.world.lock:
            request = ApiRequest(
                method=method,
                path=path,
                template=route.template,
                path_params=params,
                query={k.lower(): v for k, v in query.items()},
                headers=Headers(headers or {}),
                body=body,
                world=sim.world,
                org=org,
                app=XERO_WEB_APP,
                connection=None,
                now=sim.world.clock.now(),
                user_id=user_id or _a_user_of(sim, org),
            )
            outcome = Outcome(200, render(route.handler(request)))
    except XeroError as error:
        outcome = _answer(error)
    if sim.strict and op is not None and isinstance(outcome.body, dict):
        try:
            conformance.check_response(op, outcome.status, outcome.body)
        except conformance.ConformanceError as exc:
            sim.conformance_failures.append(str(exc))
            return _answer(InternalError(f"simulator answer breaks Xero's schema: {exc}"))
    return outcome


def _answer(error: XeroError) -> Outcome:
    return Outcome(error.status, error.body)


def _split_path(path: str, query: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Accept `/Invoices?page=2` and `/api.xro/2.0/Invoices` as well as a bare `/Invoices`."""
    parts = urlsplit(path)
    bare = parts.path
    if bare.lower().startswith(API_PREFIX.lower()):
        bare = bare[len(API_PREFIX) :]
    if not bare.startswith("/"):
        bare = "/" + bare
    return bare, {**dict(parse_qsl(parts.query)), **query}


def _a_user_of(sim: Simulator, org: Organisation) -> str | None:
    return next((u.user_id for u in sim.world.users.values() if org.organisation_id in u.organisation_ids), None)


def _string_map(body: dict[str, Any], name: str) -> dict[str, str]:
    value = body.get(name, {})
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ControlError(f"'{name}' must be an object of strings")
    return value


@control_route("POST", "/organisations/{tenant_id}/act")
def act(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/organisations/{tenant_id}/act: run one Accounting call as a Xero user and return its answer."""
    body = request.body
    org = find_organisation(sim, params["tenant_id"])
    method = choice(body, "method", ["GET", "PUT", "POST", "DELETE"])
    outcome = act_as_user(
        sim,
        org,
        method,
        text(body, "path"),
        body=body.get("body"),
        query=_string_map(body, "query"),
        headers=_string_map(body, "headers"),
        user_id=optional_text(body, "user_id"),
    )
    return {"status": outcome.status, "body": outcome.body}
