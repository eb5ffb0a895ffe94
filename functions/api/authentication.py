"""Every platform API route requires an API key in `x-api-key`; this is the one place that checks it.

A Powertools middleware, so no route can forget it; the key's id (never the key) becomes a log key.
Why API keys rather than IAM authorisation: docs/decisions.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from functions.api.dependencies import dependencies_of
from shared.observability import logger, metrics
from shared.usecases.api_keys import authenticate_api_key

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
    from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

API_KEY_HEADER = "x-api-key"


def require_valid_key(app: APIGatewayHttpResolver) -> str:
    """The id of the request's valid API key; raises ApiKeyRejectedError (answered 401 by errors.py)."""
    presented = app.current_event.headers.get(API_KEY_HEADER)
    return authenticate_api_key(dependencies_of(app.context).api_keys, presented)


def require_api_key(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[str]:
    """The middleware: authenticate, then let the route run."""
    logger.append_keys(api_key_id=require_valid_key(app))
    metrics.add_metric(name="ApiRequests", unit=MetricUnit.Count, value=1)
    return next_middleware(app)
