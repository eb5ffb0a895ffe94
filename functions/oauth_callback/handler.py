"""GET /oauth/authorize, GET /oauth/callback and POST /oauth/pick: the browser's side of connecting Xero.

Thin: each route reads its parameters, calls one step of shared/usecases/oauth_flow.py and hands
the outcome to responses.py. The event is never logged: its query holds Xero's code and our state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.logging import correlation_paths

from functions.oauth_callback.dependencies import OAuthCallbackDependencies, production_dependencies
from shared.observability import logger, metrics, tracer
from shared.usecases.oauth_flow import ConnectFlowError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

app = APIGatewayHttpResolver()


def _deps() -> OAuthCallbackDependencies:
    return cast(OAuthCallbackDependencies, app.context["deps"])


def _query(name: str) -> str | None:
    return app.current_event.get_query_string_value(name)


@app.get("/oauth/authorize")
def authorize() -> Response[str]:
    deps = _deps()
    return deps.responses.outcome(deps.flow.start_authorise(_query("session")))


@app.get("/oauth/callback")
def callback() -> Response[str]:
    deps = _deps()
    return deps.responses.outcome(deps.flow.complete_callback(_query("state"), _query("code"), _query("error")))


@app.post("/oauth/pick")
def pick() -> Response[str]:
    deps = _deps()
    form = _form()
    token, organisation = form.get("pick_token", [None])[0], form.get("organisation", [None])[0]
    return deps.responses.outcome(deps.flow.pick_organisation(token, organisation))


def _form() -> dict[str, list[str]]:
    """The posted form; API Gateway passes application/x-www-form-urlencoded bodies base64-encoded.
    A form with more fields than the picker's is no pick: it reads as empty (and is refused)."""
    try:
        return parse_qs(app.current_event.decoded_body or "", max_num_fields=10)
    except ValueError:
        return {}


@app.exception_handler(ConnectFlowError)  # type: ignore[untyped-decorator]
def connect_failed(error: ConnectFlowError) -> Response[str]:
    return _deps().responses.failure(error)


@app.not_found
def not_found(_: NotFoundError) -> Response[str]:
    return _deps().responses.not_found()


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]
def unexpected(_: Exception) -> Response[str]:
    logger.exception("the connect flow failed unexpectedly")
    return _deps().responses.unexpected()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: OAuthCallbackDependencies | None = None
) -> dict[str, Any]:
    """The Lambda entry point; tests pass `deps` (fakes) instead of the production adapters."""
    app.append_context(deps=deps or production_dependencies())  # type: ignore[no-untyped-call]
    return app.resolve(event, context)
