"""The platform API: /v1 routes for tenants, connect sessions, connections, records, sync, settings,
reports and actions, and the changes made in Xero, behind API keys.

Thin: the resolver validates requests against the pydantic models (422 otherwise), the middlewares
check the API key on every route (authentication.py) and that a body is one JSON object
(request_bodies.py), routes/ call one use case each, and errors.py turns failures into problem
answers. The event is never logged: it carries the API key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths

from functions.api.authentication import require_api_key
from functions.api.dependencies import CONTEXT_KEY, ApiDependencies, production_dependencies
from functions.api.errors import register_error_answers
from functions.api.request_bodies import require_json_object
from functions.api.routes import (
    changes,
    connect_sessions,
    connection,
    records,
    reports,
    sync,
    sync_settings,
    tenants,
)
from shared.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

API_PREFIX = "/v1"

# debug=False whatever POWERTOOLS_EVENT_HANDLER_DEBUG says: debug mode prints whole events, API keys included.
app = APIGatewayHttpResolver(enable_validation=True, debug=False)
app.use([require_api_key, require_json_object])
for module in (tenants, connect_sessions, connection, records, sync, sync_settings, reports, changes):
    app.include_router(module.router, prefix=API_PREFIX)
register_error_answers(app)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: ApiDependencies | None = None
) -> dict[str, Any]:
    app.context[CONTEXT_KEY] = deps or production_dependencies()
    return app.resolve(event, context)
