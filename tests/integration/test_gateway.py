"""The local gateway turns HTTP requests into payload 2.0 events and the functions' answers back into HTTP."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventV2Model

from local_stack.gateway import GatewayServer, LocalGateway, Route

Handler = Callable[[dict[str, Any], Any], Any]


class Recorder:
    """A function that remembers the events it was given and answers what the test tells it to."""

    def __init__(self, answer: Callable[[dict[str, Any]], Any] | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.contexts: list[Any] = []
        self._answer = answer or (lambda event: {"statusCode": 200, "body": "ok"})

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        self.contexts.append(context)
        return self._answer(event)


@pytest.fixture
def serve() -> Iterator[Callable[..., httpx.Client]]:
    """Serve a gateway with the given routes on a free port; an httpx client at its address."""
    servers: list[GatewayServer] = []

    def start(*routes: Route) -> httpx.Client:
        server = GatewayServer(LocalGateway(routes), port=0)
        servers.append(server)
        return httpx.Client(base_url=server.start(), timeout=10)

    yield start
    for server in servers:
        server.stop()


def test_request_arrives_as_a_payload_2_event_of_its_route(serve: Callable[..., httpx.Client]) -> None:
    # Given a greedy route like the platform API's
    function = Recorder()
    client = serve(Route("ANY", "/v1/", "api", function, greedy=True))

    # When a JSON POST with a query and headers is sent
    client.post("/v1/tenants?limit=5", json={"name": "Acme"}, headers={"X-Api-Key": "k"})

    # Then the function got an event Powertools parses, with the route and the request's parts
    event = APIGatewayProxyEventV2Model.model_validate(function.events[0])
    assert event.routeKey == "ANY /v1/{proxy+}"
    assert event.rawPath == "/v1/tenants"
    assert event.pathParameters == {"proxy": "tenants"}
    assert event.queryStringParameters == {"limit": "5"}
    assert event.headers["x-api-key"] == "k"
    assert event.body == '{"name":"Acme"}'
    assert event.isBase64Encoded is False


def test_function_answer_becomes_the_http_response(serve: Callable[..., httpx.Client]) -> None:
    # Given a function answering with a status, headers and cookies
    function = Recorder(
        lambda event: {
            "statusCode": 201,
            "headers": {"Content-Type": "application/json", "X-Request": "r-1"},
            "cookies": ["a=1; Path=/", "b=2; Path=/"],
            "body": '{"created": true}',
        }
    )
    client = serve(Route("POST", "/v1/things", "api", function))

    # When it is called
    response = client.post("/v1/things")

    # Then the HTTP response carries them, one Set-Cookie per cookie
    assert response.status_code == 201
    assert response.headers["x-request"] == "r-1"
    assert response.headers.get_list("set-cookie") == ["a=1; Path=/", "b=2; Path=/"]
    assert response.json() == {"created": True}


def test_binary_body_round_trips_through_base64(serve: Callable[..., httpx.Client]) -> None:
    # Given a function that decodes the request body and answers it reversed, base64-encoded
    def reverse(event: dict[str, Any]) -> dict[str, Any]:
        raw = base64.b64decode(event["body"]) if event["isBase64Encoded"] else event["body"].encode()
        return {"statusCode": 200, "body": base64.b64encode(raw[::-1]).decode(), "isBase64Encoded": True}

    function = Recorder(reverse)
    client = serve(Route("POST", "/webhooks/xero", "webhook", function))
    payload = bytes(range(256))

    # When binary bytes are posted
    response = client.post("/webhooks/xero", content=payload, headers={"Content-Type": "application/octet-stream"})

    # Then the function got them base64-encoded and its encoded answer arrives as raw bytes
    assert function.events[0]["isBase64Encoded"] is True
    assert response.content == payload[::-1]


def test_form_post_reaches_the_function_base64_encoded(serve: Callable[..., httpx.Client]) -> None:
    # Given a route taking an HTML form post
    function = Recorder()
    client = serve(Route("POST", "/oauth/pick", "oauth_callback", function))

    # When a form is posted
    client.post("/oauth/pick", data={"organisation": "o-1"})

    # Then it arrives base64-encoded, as HTTP APIs send form posts
    event = function.events[0]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"organisation=o-1"


def test_unrouted_path_gets_api_gateways_404(serve: Callable[..., httpx.Client]) -> None:
    # Given a gateway with one route
    function = Recorder()
    client = serve(Route("GET", "/oauth/callback", "oauth_callback", function))

    # When another path is requested
    response = client.get("/nowhere")

    # Then API Gateway's 404 answers and no function runs
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}
    assert function.events == []


def test_route_with_another_method_is_not_matched(serve: Callable[..., httpx.Client]) -> None:
    # Given a GET-only route
    function = Recorder()
    client = serve(Route("GET", "/oauth/callback", "oauth_callback", function))

    # When it is POSTed to
    response = client.post("/oauth/callback")

    # Then there is no route for it
    assert response.status_code == 404
    assert function.events == []


def test_failing_function_gets_api_gateways_500(serve: Callable[..., httpx.Client]) -> None:
    # Given a function that raises
    def fail(event: dict[str, Any]) -> Any:
        raise RuntimeError("boom")

    client = serve(Route("GET", "/v1/boom", "api", Recorder(fail)))

    # When it is called
    response = client.get("/v1/boom")

    # Then API Gateway's opaque 500 answers
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}


def test_answer_without_status_code_is_returned_as_json(serve: Callable[..., httpx.Client]) -> None:
    # Given a function answering a plain dict
    client = serve(Route("GET", "/v1/plain", "api", Recorder(lambda event: {"hello": "world"})))

    # When it is called
    response = client.get("/v1/plain")

    # Then API Gateway's 2.0 inference makes it a 200 JSON body
    assert response.status_code == 200
    assert response.json() == {"hello": "world"}


def test_function_is_called_with_a_named_lambda_context(serve: Callable[..., httpx.Client]) -> None:
    # Given a route of the webhook function
    function = Recorder()
    client = serve(Route("POST", "/webhooks/xero", "webhook", function))

    # When it is called
    client.post("/webhooks/xero", content=b"{}")

    # Then the context names the function and has time left
    context = function.contexts[0]
    assert context.function_name == "xero-sync-local-webhook"
    assert context.get_remaining_time_in_millis() > 0


def test_handler_module_is_imported_on_first_request(serve: Callable[..., httpx.Client]) -> None:
    # Given a route whose handler module does not exist (a gateway still starts: imports are late)
    client = serve(Route("GET", "/v1/missing", "api", "tests.integration.no_such_module:lambda_handler"))

    # When the route is requested
    response = client.get("/v1/missing")

    # Then the cold start fails as a Lambda with a broken import would: a 500
    assert response.status_code == 500


def test_one_function_runs_one_invocation_at_a_time(serve: Callable[..., httpx.Client]) -> None:
    # Given a slow function that records how many of its invocations overlap
    running = 0
    peak = 0
    lock = threading.Lock()

    def slow(event: dict[str, Any]) -> Any:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return {"statusCode": 204}

    client = serve(Route("GET", "/v1/slow", "api", Recorder(slow)))

    # When four requests arrive at once
    threads = [threading.Thread(target=client.get, args=("/v1/slow",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then they ran one after another, as in one warm execution environment
    assert peak == 1


def test_platform_return_page_shows_the_outcome(serve: Callable[..., httpx.Client]) -> None:
    # Given a gateway
    client = serve()

    # When the browser lands on the platform's return URL with an outcome
    response = client.get("/_platform/return", params={"outcome": "connected", "tenant": "<t1>"})

    # Then the page shows the outcome, escaped
    assert response.status_code == 200
    assert '<dd data-key="outcome">connected</dd>' in response.text
    assert "&lt;t1&gt;" in response.text
