"""A local API Gateway HTTP API: HTTP requests become payload 2.0 events for the deployed handler functions.

Each request is matched against the routes the CDK app declares, turned into the event API Gateway
would send (local_stack/events.py), passed to the routed function's `lambda_handler` in process with
a Lambda context, and the function's answer becomes the HTTP response the way API Gateway reads
payload 2.0 answers:

- a dict with `statusCode`: `headers`, `cookies` (one Set-Cookie each) and `body`, base64-decoded
  when `isBase64Encoded`; `multiValueHeaders` is not part of payload 2.0 and API Gateway ignores
  it, so it is ignored here too;
- any other answer: 200 with the answer as a JSON body (API Gateway's inference for 2.0);
- an exception: 500 {"message":"Internal Server Error"}, as API Gateway answers a failed invocation.

An unrouted request gets API Gateway's 404 {"message":"Not Found"}. The functions run as
local_stack/functions.py runs them: imported on their first request, one invocation at a time.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from local_stack import functions
from local_stack.events import LocalLambdaContext, http_api_event
from local_stack.functions import Handler, LocalFunction
from local_stack.moto_server import quiet_access_logs

DEFAULT_PORT = 8780
PLATFORM_RETURN_PATH = "/_platform/return"

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Route:
    """One HTTP API route: `method` ("ANY" for every method) and a path, or a path prefix for `{proxy+}`."""

    method: str
    path: str
    function: str
    handler: str | Handler  # "package.module:attribute", imported on first use; or the function itself
    greedy: bool = False  # the path is a prefix, as in "ANY /v1/{proxy+}"

    @property
    def route_key(self) -> str:
        path = f"{self.path}{{proxy+}}" if self.greedy else self.path
        return f"{self.method} {path}"

    def matches(self, method: str, path: str) -> bool:
        if self.method not in {"ANY", method}:
            return False
        return path.startswith(self.path) if self.greedy else path == self.path

    def path_parameters(self, path: str) -> dict[str, str] | None:
        return {"proxy": path[len(self.path) :]} if self.greedy else None


# The routes of the deployed HTTP API: the platform API under /v1, the OAuth pages, the Xero webhook.
SERVICE_ROUTES: tuple[Route, ...] = (
    Route("ANY", "/v1/", "api", functions.API, greedy=True),
    Route("GET", "/oauth/authorize", "oauth_callback", functions.OAUTH_CALLBACK),
    Route("GET", "/oauth/callback", "oauth_callback", functions.OAUTH_CALLBACK),
    Route("POST", "/oauth/pick", "oauth_callback", functions.OAUTH_CALLBACK),
    Route("POST", "/webhooks/xero", "webhook", functions.WEBHOOK),
)


class LocalGateway:
    """The WSGI application: routes, events, invocations and responses (serve it with GatewayServer)."""

    def __init__(
        self, routes: Sequence[Route] = SERVICE_ROUTES, *, function_prefix: str = "xero-sync-local", timeout: float = 30
    ) -> None:
        self.routes = tuple(routes)
        self._function_prefix = function_prefix
        self._timeout = timeout
        self._functions = {route.function: LocalFunction(route.handler) for route in self.routes}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.respond(Request(environ))(environ, start_response)

    def respond(self, request: Request) -> Response:
        """The HTTP response API Gateway would give this request."""
        if request.method == "GET" and request.path == PLATFORM_RETURN_PATH:
            return platform_return_page(request.args.items(multi=True))
        route = next((r for r in self.routes if r.matches(request.method, request.path)), None)
        if route is None:
            return _json_response(404, {"message": "Not Found"})
        event = http_api_event(
            request.method,
            request.path,
            query=request.environ.get("QUERY_STRING", ""),
            headers=list(request.headers.items()),
            body=request.get_data() or None,  # API Gateway leaves `body` out when the request has none
            route_key=route.route_key,
            path_parameters=route.path_parameters(request.path),
            source_ip=request.remote_addr or "127.0.0.1",
            domain_name=request.host.split(":", 1)[0],
        )
        context = LocalLambdaContext(f"{self._function_prefix}-{route.function}", timeout_seconds=self._timeout)
        try:
            result = self._functions[route.function](event, context)
        except Exception:
            _log.exception("function %s failed on %s %s", route.function, request.method, request.path)
            return _json_response(500, {"message": "Internal Server Error"})
        return http_response(result)


def http_response(result: Any) -> Response:
    """The HTTP response API Gateway builds from a function's payload 2.0 answer."""
    if not (isinstance(result, Mapping) and "statusCode" in result):
        return _json_response(200, result)
    body = result.get("body") or ""
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
    response = Response(raw, status=int(result["statusCode"]))
    headers = result.get("headers") or {}
    if not any(name.lower() == "content-type" for name in headers):
        del response.headers["Content-Type"]
    for name, value in headers.items():
        response.headers[name] = str(value)
    for cookie in result.get("cookies") or []:
        response.headers.add("Set-Cookie", cookie)
    return response


def _json_response(status: int, payload: Any) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")


def platform_return_page(query: Any) -> Response:
    """A tiny page standing in for the platform's return URL: it shows the outcome it was sent back with."""
    rows = "".join(
        f'<dt>{html.escape(name)}</dt><dd data-key="{html.escape(name)}">{html.escape(value)}</dd>'
        for name, value in query
    )
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Back on the platform</title></head><body>"
        "<h1>Back on the platform</h1>"
        "<p>This page stands in for the platform's return URL; the connection's outcome is below.</p>"
        f"<dl id='outcome'>{rows}</dl></body></html>"
    )
    return Response(page, status=200, content_type="text/html; charset=utf-8")


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class GatewayServer:
    """Serves a LocalGateway on a loopback port in a background thread (port 0 picks a free one)."""

    def __init__(self, gateway: LocalGateway, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
        quiet_access_logs()
        self.gateway = gateway
        self._server: BaseWSGIServer = make_server(
            host, port, gateway, threaded=True, request_handler=_QuietRequestHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="local-gateway", daemon=True
        )
        self.base_url = f"http://{host}:{self._server.server_port}"

    def start(self) -> str:
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._thread.is_alive():  # shutdown() waits for serve_forever, which never ran otherwise
            self._server.shutdown()
        self._server.server_close()
