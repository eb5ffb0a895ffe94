"""Every request body of the platform API is one JSON object; this middleware refuses any other JSON.

Powertools unwraps a JSON array sent to a route whose body is one object and validates the
array's first element alone (openapi_validation's `_normalize_field_value`), so `[record_a,
record_b]` would silently write record_a and drop record_b. Refused here instead, after the
API key is checked and before the route runs.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from functions.api.errors import field_problem, problem

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
    from aws_lambda_powertools.event_handler.middlewares import NextMiddleware


def require_json_object(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[str]:
    """The middleware: a body that is JSON but not an object is a 422 naming the body."""
    if app.current_event.body and not isinstance(app.current_event.json_body, dict):
        errors = [field_problem("body", "model_attributes_type")]
        return problem(HTTPStatus.UNPROCESSABLE_ENTITY, "The request is not valid.", errors=errors)
    return next_middleware(app)
