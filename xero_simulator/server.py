"""The simulator as a WSGI application and a threaded HTTP server on loopback.

One process serves what Xero spreads over several hosts (login.xero.com, identity.xero.com,
api.xero.com): clients point their three base URLs at the same address.
"""

from __future__ import annotations

import importlib
import threading
import traceback
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from xero_simulator.api_call import API_PREFIX, AccountingCall, ConnectionDropped
from xero_simulator.clock import SimClock
from xero_simulator.counters import Counters
from xero_simulator.faults import FaultPlan
from xero_simulator.idempotency import IdempotencyStore
from xero_simulator.identity.access import AccessTokens
from xero_simulator.plain_routes import control, identity
from xero_simulator.rate_limits import Limits, RateLimiter
from xero_simulator.webhooks.dispatcher import WebhookDispatcher
from xero_simulator.world import World

CONTROL_PREFIX = "/_sim"

# Each module registers its routes when imported.
ROUTE_MODULES = (
    "xero_simulator.accounting.organisation",
    "xero_simulator.accounting.contacts",
    "xero_simulator.accounting.accounts",
    "xero_simulator.accounting.tax_rates",
    "xero_simulator.accounting.tracking_categories",
    "xero_simulator.accounting.items",
    "xero_simulator.accounting.invoices",
    "xero_simulator.accounting.credit_notes",
    "xero_simulator.accounting.payments",
    "xero_simulator.accounting.bank_transactions",
    "xero_simulator.accounting.reports",
    "xero_simulator.identity.routes",
    "xero_simulator.control.routes",
)
for _module in ROUTE_MODULES:
    importlib.import_module(_module)


class Simulator:
    """A simulated Xero: its world, its limits and faults, and the WSGI app that serves them.

    `strict` checks every Accounting API answer against Xero's OpenAPI spec and turns a mismatch
    into a 500 recorded in `conformance_failures`; tests run strict.
    """

    def __init__(self, clock: SimClock | None = None, limits: Limits | None = None, *, strict: bool = True) -> None:
        self.world = World(clock)
        self.limiter = RateLimiter(limits)
        self.idempotency = IdempotencyStore()
        self.faults = FaultPlan()
        self.counters = Counters()
        self.tokens = AccessTokens()
        self.strict = strict
        self.conformance_failures: list[str] = []
        self.internal_errors: list[str] = []
        self.base_url = "http://127.0.0.1"
        self.extensions: dict[str, Any] = {}  # per-subsystem state (identity grants, webhooks), keyed by module
        self.webhooks = WebhookDispatcher(self)  # hears every change; its delivery thread runs while served

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except ConnectionDropped:
            response = Response(b"", status=500)  # the socket is already closed; nothing reaches the client
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        try:
            if path.lower().startswith(API_PREFIX.lower()):
                return AccountingCall(self, request).run()
            table = control if path.startswith(CONTROL_PREFIX) else identity
            matched = table.match(request.method, path)
            if matched is None:
                if table.knows_path(path):
                    return Response("Method Not Allowed", status=405, content_type="text/plain")
                return Response("Not Found", status=404, content_type="text/plain")
            handler, params = matched
            return handler(self, request, params)
        except ConnectionDropped:
            raise
        except Exception:  # a simulator bug must fail loudly in tests, not pass as a Xero 500
            self.internal_errors.append(traceback.format_exc())
            raise


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log per request: a benchmark makes tens of thousands of calls."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class SimulatorServer:
    """Serves a Simulator on a loopback port in a background thread (port 0 picks a free one)."""

    def __init__(
        self, simulator: Simulator, host: str = "127.0.0.1", port: int = 0, *, access_log: bool = False
    ) -> None:
        self.simulator = simulator
        handler = WSGIRequestHandler if access_log else _QuietRequestHandler
        self._server: BaseWSGIServer = make_server(host, port, simulator, threaded=True, request_handler=handler)
        # A short poll keeps stop() fast: a test suite starts and stops hundreds of simulators.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="xero-simulator", daemon=True
        )
        self.base_url = f"http://{host}:{self._server.server_port}"
        simulator.base_url = self.base_url

    def start(self) -> str:
        self.simulator.webhooks.start()
        self._thread.start()
        return self.base_url

    def serve_forever(self) -> None:
        self.simulator.webhooks.start()
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.simulator.webhooks.stop()
