"""One Accounting API call, in the order Xero applies its checks.

faults -> token -> tenant -> scope -> rate limits -> idempotency replay -> request schema -> route
-> response schema (strict mode) -> envelope and limit headers.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
import uuid
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from xero_simulator import conformance
from xero_simulator.errors import (
    ForbiddenError,
    InternalError,
    NotFoundError,
    PostDataInvalidError,
    RateLimitError,
    ServiceUnavailableError,
    UnauthorizedError,
    XeroError,
)
from xero_simulator.faults import Fault, FaultKind
from xero_simulator.idempotency import StoredAnswer, fingerprint
from xero_simulator.msjson import ms_date
from xero_simulator.rendering import render
from xero_simulator.routing import ApiRequest, Route, accounting
from xero_simulator.scopes import allows
from xero_simulator.xml_answers import json_to_xml, wants_json

if TYPE_CHECKING:
    from xero_simulator.rate_limits import Ticket
    from xero_simulator.server import Simulator

API_PREFIX = "/api.xro/2.0"
WRITE_METHODS = frozenset({"PUT", "POST", "DELETE"})


class ConnectionDropped(Exception):  # noqa: N818 - not an error of the caller's: a fault Xero's network causes
    """The simulator closed the socket without answering (timeout and lost-response faults)."""


def _json_response(status: int, body: Any, headers: dict[str, str]) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")


def error_response(error: XeroError, headers: dict[str, str] | None = None) -> Response:
    merged = {**(headers or {}), **error.headers}
    if error.content_type == "application/json":
        return _json_response(error.status, error.body, merged)
    return Response(str(error.body), status=error.status, headers=merged, content_type=error.content_type)


def drop_connection(request: Request) -> None:
    """Close the client's socket so that it sees no answer at all, as when Xero's response is lost."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):  # the client may have gone already
            sock.shutdown(socket.SHUT_RDWR)
    raise ConnectionDropped


def _parse_body(request: Request, route: Route) -> Any:
    if request.method not in {"PUT", "POST"}:
        return None
    raw = request.get_data()
    if not raw.strip():
        return None
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise PostDataInvalidError(f"Invalid JSON in request body: {exc}") from exc
    op = conformance.operation(conformance.ACCOUNTING_URI, route.spec_path, request.method)
    if op is not None:
        try:
            conformance.check_request(op, body)
        except conformance.ConformanceError as exc:
            raise PostDataInvalidError(str(exc)) from exc
    return body


class AccountingCall:
    """Runs one request against the simulator; the server creates one per request."""

    def __init__(self, sim: Simulator, request: Request) -> None:
        self.sim = sim
        self.request = request
        self.method = request.method
        self.path = request.path[len(API_PREFIX) :] or "/"
        self.lose_after_commit = False
        self.in_flight_faults: list[Fault] = []

    def run(self) -> Response:
        try:
            response = self._run()
        except XeroError as error:
            response = error_response(error)
        if response.mimetype == "application/json" and not wants_json(self.request.headers.get("Accept")):
            response.set_data(json_to_xml(response.get_data()))
            response.mimetype = "text/xml"
        return response

    def _run(self) -> Response:
        sim, request = self.sim, self.request
        matched = accounting.match(self.method, self.path)
        if matched is None:
            raise NotFoundError()
        route, params = matched
        tenant_id = request.headers.get("xero-tenant-id")
        self._strike_faults(tenant_id)

        now = sim.world.clock.now()
        principal = sim.tokens.authenticate(request.headers.get("Authorization"), now)
        app = sim.world.apps.get(principal.client_id)
        if app is None:
            raise UnauthorizedError("AuthenticationUnsuccessful")
        if not tenant_id:
            raise ForbiddenError()
        connection = sim.world.find_connection(principal.client_id, principal.user_id, tenant_id.strip())
        org = sim.world.organisation(tenant_id.strip())
        if connection is None or org is None:
            raise ForbiddenError()
        if not allows(principal.scopes, route.scope, write=self.method in WRITE_METHODS):
            raise UnauthorizedError("AuthorizationUnsuccessful", insufficient_scope=True)

        endpoint = f"{self.method} {route.template}"
        sim.counters.count_call(org.organisation_id, endpoint)
        try:
            ticket = sim.limiter.admit(principal.client_id, org.organisation_id, now)
        except RateLimitError as limited:
            sim.counters.count_429(limited.headers["X-Rate-Limit-Problem"])
            raise
        try:
            self._strike_in_flight_faults()
            return self._admitted(
                route,
                params,
                ticket,
                app_name=app.name,
                principal_client=principal.client_id,
                org=org,
                connection=connection,
                user_id=principal.user_id,
            )
        finally:
            sim.limiter.release(ticket)

    def _admitted(
        self,
        route: Route,
        params: dict[str, str],
        ticket: Ticket,
        *,
        app_name: str,
        principal_client: str,
        org: Any,
        connection: Any,
        user_id: str | None,
    ) -> Response:
        sim, request = self.sim, self.request
        query = {k.lower(): v for k, v in request.args.items()}
        key = request.headers.get("Idempotency-Key") if self.method in {"PUT", "POST"} else None
        try:
            body = _parse_body(request, route)
            print_ = fingerprint(self.method, self.path, query, body)
            if key:
                stored = sim.idempotency.lookup(principal_client, key, print_, sim.world.clock.now())
                if stored is not None:
                    sim.counters.count_replay()
                    return Response(stored.body, status=stored.status, headers={**stored.headers, **ticket.headers})
            with sim.world.lock:
                now = sim.world.clock.now()
                api_request = ApiRequest(
                    method=self.method,
                    path=self.path,
                    template=route.template,
                    path_params=params,
                    query=query,
                    headers=request.headers,
                    body=body,
                    world=sim.world,
                    org=org,
                    app=sim.world.apps[principal_client],
                    connection=connection,
                    now=now,
                    user_id=user_id,
                )
                try:
                    payload = route.handler(api_request)
                    if payload is None:  # a route Xero answers with 204 No Content (DELETE /Items/{ItemID})
                        status, answer = 204, None
                    else:
                        status, answer = 200, self._envelope(app_name, payload, now)
                except XeroError as error:
                    if error.content_type != "application/json":
                        raise
                    status, answer = error.status, error.body
                self._check_conformance(route, status, answer)
                encoded = b"" if status == 204 else json.dumps(answer).encode()
                if key:
                    sim.idempotency.store(
                        principal_client,
                        key,
                        StoredAnswer(print_, status, {"Content-Type": "application/json"}, encoded, now),
                    )
        except XeroError as error:
            return error_response(error, ticket.headers)
        if self.lose_after_commit:
            drop_connection(request)
        return Response(encoded, status=status, headers=ticket.headers, content_type="application/json")

    @staticmethod
    def _envelope(app_name: str, payload: dict[str, Any], now: Any) -> dict[str, Any]:
        rendered: dict[str, Any] = render(payload)
        return {
            "Id": str(uuid.uuid4()),
            "Status": "OK",
            "ProviderName": app_name,
            "DateTimeUTC": ms_date(now, offset=False),
            **rendered,
        }

    def _check_conformance(self, route: Route, status: int, answer: Any) -> None:
        if not self.sim.strict:
            return
        op = conformance.operation(conformance.ACCOUNTING_URI, route.spec_path, self.method)
        if op is None:
            return
        try:
            conformance.check_response(op, status, answer)
        except conformance.ConformanceError as exc:
            self.sim.conformance_failures.append(str(exc))
            raise InternalError(f"simulator answer breaks Xero's schema: {exc}") from exc

    def _strike_faults(self, tenant_id: str | None) -> None:
        """Faults Xero's edge answers at once; slow and hanging calls wait until they hold a concurrency slot."""
        for fault in self.sim.faults.draw(self.method, self.path, tenant_id):
            if fault.kind is FaultKind.ERROR_500:
                raise InternalError()
            if fault.kind is FaultKind.MAINTENANCE_503:
                raise ServiceUnavailableError()
            if fault.kind is FaultKind.LOSE_RESPONSE:
                self.lose_after_commit = True
            else:
                self.in_flight_faults.append(fault)

    def _strike_in_flight_faults(self) -> None:
        # Latency and timeouts happen while the call is in progress, so they count towards the
        # 5-concurrent limit like a slow Xero call does.
        for fault in self.in_flight_faults:
            time.sleep(fault.seconds)
            if fault.kind is FaultKind.TIMEOUT:
                drop_connection(self.request)
