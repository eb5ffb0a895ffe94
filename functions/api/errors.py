"""The one place where the platform API's failures become HTTP answers (RFC 9457 problem details).

Every error answer is `application/problem+json` with a title and a status; a 422 also lists the
fields at fault by location and kind of problem, never the value that was sent (a body may carry
secrets), and no answer ever carries a stack trace.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType, RequestValidationError
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, Field

from functions.api.authentication import require_valid_key
from shared.observability import logger, metrics
from shared.ports.state import InvalidCursorError
from shared.ports.xero_identity import XeroUnavailableError
from shared.usecases.api_keys import ApiKeyRejectedError
from shared.usecases.connect_sessions import ReturnUrlNotAllowedError
from shared.usecases.disconnect import DisconnectBusyError, XeroAppRefusedError
from shared.usecases.tenants import TenantNotFoundError
from shared.usecases.token_custody import RefreshInProgressError

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

PROBLEM_JSON = "application/problem+json"
# What a client should wait before retrying when Xero is unavailable: long enough for a rate-limit
# minute window to pass (FACTS.md §3.1), short enough for a person waiting on a button.
RETRY_AFTER_SECONDS = 60
# A refresh holds its lease for a few seconds at most (shared/usecases/token_custody.py).
BUSY_RETRY_AFTER_SECONDS = 5


class FieldProblem(BaseModel):
    field: str = Field(description="where the problem is, e.g. `body.return_url` or `query.limit`")
    problem: str = Field(description="the kind of problem, e.g. `missing` or `string_too_short`")
    message: str


class Problem(BaseModel):
    """An error answer (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] | None = None


_TITLES = {
    401: "Unauthorized",
    404: "Not Found",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def problem(
    status: HTTPStatus,
    detail: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    """A problem-details answer with this status."""
    body = Problem(title=status.phrase, status=status.value, detail=detail, errors=errors)
    return Response(
        status_code=status.value,
        content_type=PROBLEM_JSON,
        body=body.model_dump_json(exclude_none=True),
        headers=headers,
    )


def problem_responses(*statuses: int) -> dict[int, OpenAPIResponse]:
    """The OpenAPI description of a route's error answers: 401 and 422 (every route is authenticated
    and validated) and `statuses`."""
    return {
        status: {"description": _TITLES[status], "content": {PROBLEM_JSON: {"model": Problem}}}
        for status in sorted({401, 422, *statuses})
    }


def _field_problems(errors: Any) -> list[FieldProblem]:
    """pydantic's errors without their `input` and `ctx` (which echo what was sent)."""
    problems = []
    for error in errors:
        location = ".".join(str(part) for part in error.get("loc", ()))
        kind = str(error.get("type", "invalid"))
        problems.append(FieldProblem(field=location, problem=kind, message=_MESSAGES.get(kind, "is not valid")))
    return problems


# Fixed words per kind of problem: pydantic's own messages can quote the value or a pattern.
_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this request",
    "string_too_short": "is too short",
    "string_too_long": "is too long",
    "string_type": "must be a string",
    "int_parsing": "must be an integer",
    "int_type": "must be an integer",
    "greater_than_equal": "is below the minimum",
    "less_than_equal": "is above the maximum",
    "json_invalid": "is not valid JSON",
    "model_attributes_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
}


def unauthorised(_: Exception) -> Response[str]:
    # A burst of these is someone guessing keys, or a platform whose key was rotated away: alarm on it.
    metrics.add_metric(name="ApiKeyRejected", unit=MetricUnit.Count, value=1)
    return problem(HTTPStatus.UNAUTHORIZED, "A valid API key is required in the x-api-key header.")


def invalid_request(app: APIGatewayHttpResolver, error: RequestValidationError) -> Response[str]:
    # Powertools validates before any middleware runs; a caller without a valid key is told 401,
    # not how to shape a request.
    try:
        require_valid_key(app)
    except ApiKeyRejectedError as rejected:
        return unauthorised(rejected)
    _count_invalid()
    return problem(HTTPStatus.UNPROCESSABLE_ENTITY, "The request is not valid.", errors=_field_problems(error.errors()))


def _count_invalid() -> None:
    # Refused before the authentication middleware counted the request (Powertools validates first).
    metrics.add_metric(name="ApiRequestInvalid", unit=MetricUnit.Count, value=1)


def unsupported_content_type(app: APIGatewayHttpResolver) -> Response[str]:
    try:
        require_valid_key(app)
    except ApiKeyRejectedError as rejected:
        return unauthorised(rejected)
    _count_invalid()
    return problem(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Send request bodies as application/json.")


def invalid_cursor(_: Exception) -> Response[str]:
    errors = [FieldProblem(field="query.cursor", problem="invalid_cursor", message="is not a cursor of this API")]
    return problem(HTTPStatus.UNPROCESSABLE_ENTITY, "The request is not valid.", errors=errors)


def return_url_not_allowed(error: ReturnUrlNotAllowedError) -> Response[str]:
    allowed = ", ".join(error.allowlist) or "none: RETURN_URL_ALLOWLIST is empty"
    message = f"must be an http(s) URL under one of the allowed prefixes ({allowed})"
    errors = [FieldProblem(field="body.return_url", problem="return_url_not_allowed", message=message)]
    return problem(HTTPStatus.UNPROCESSABLE_ENTITY, "The return URL is not on the allow-list.", errors=errors)


def tenant_not_found(_: Exception) -> Response[str]:
    return problem(HTTPStatus.NOT_FOUND, "No tenant has this id.")


def route_not_found(_: Exception) -> Response[str]:
    return problem(HTTPStatus.NOT_FOUND, "No such resource.")


def disconnect_busy(_: Exception) -> Response[str]:
    """Another worker is refreshing the connection's tokens (a few seconds at most)."""
    return problem(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "The connection's tokens are being refreshed right now. Try again in a moment.",
        headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
    )


def xero_app_refused(error: XeroAppRefusedError) -> Response[str]:
    return problem(
        HTTPStatus.BAD_GATEWAY,
        f"Xero refused xero-sync's app credentials ({error.error}), so the tenant is not disconnected yet. "
        "The platform operator must fix the Xero app; then repeat the request.",
    )


def xero_unavailable(_: Exception) -> Response[str]:
    return problem(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "Xero did not answer, so the request could not finish. Repeating it later is safe.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def unexpected(_: Exception) -> Response[str]:
    logger.exception("the platform API failed unexpectedly")
    return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side.")


def register_error_answers(app: APIGatewayHttpResolver) -> None:
    """Attach every mapping from a failure to its HTTP answer to the resolver (the most specific class wins)."""
    answers: dict[type[Exception], Callable[[Any], Response[str]]] = {
        ApiKeyRejectedError: unauthorised,
        RequestValidationError: lambda error: invalid_request(app, error),
        RequestUnsupportedContentType: lambda _: unsupported_content_type(app),
        InvalidCursorError: invalid_cursor,
        ReturnUrlNotAllowedError: return_url_not_allowed,
        TenantNotFoundError: tenant_not_found,
        NotFoundError: route_not_found,
        DisconnectBusyError: disconnect_busy,
        RefreshInProgressError: disconnect_busy,
        XeroAppRefusedError: xero_app_refused,
        XeroUnavailableError: xero_unavailable,
        Exception: unexpected,
    }
    for exception_class, answer in answers.items():
        app.exception_handler(exception_class)(answer)
