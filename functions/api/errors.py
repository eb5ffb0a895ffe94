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
from shared.usecases.records import (
    InvalidField,
    RecordInvalidError,
    RecordNotFoundError,
    SyncDisabledError,
    entity_noun,
)
from shared.usecases.reports.financial import ContactNotInXeroError, ReportParameterError
from shared.usecases.reports.mark_paid import DocumentNotInXeroError, DocumentNotPayableError, MarkPaidInvalidError
from shared.usecases.reports.report_rows import ReportAnswerError
from shared.usecases.reports.tenant_calls import (
    MissingScopeError,
    TenantNotConnectedError,
    XeroBusyError,
    XeroRefusedError,
)
from shared.usecases.sync_settings import (
    EnabledNotASettingError,
    ReferenceDataNotFoundError,
    SettingsInvalidError,
    SettingsNotCheckableError,
)
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
    409: "Conflict",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
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
    """pydantic's errors without their `input` (which echoes what was sent)."""
    return [
        field_problem(
            ".".join(str(part) for part in error.get("loc", ())),
            str(error.get("type", "invalid")),
            _expected(error.get("ctx")),
        )
        for error in errors
    ]


def field_problem(field: str, kind: str, expected: str | None = None) -> FieldProblem:
    """A field's problem in fixed words; for a choice among a few values, the values allowed (from the
    schema, never from the request)."""
    if expected is not None:
        return FieldProblem(field=field, problem=kind, message=f"must be one of {expected}")
    return FieldProblem(field=field, problem=kind, message=_MESSAGES.get(kind, "is not valid"))


def _expected(context: Any) -> str | None:
    # pydantic puts the allowed values of a choice (an enum, a literal) in the context's `expected`:
    # they come from the model, not from the request, so they are safe to answer.
    if isinstance(context, dict) and "expected" in context:
        return str(context["expected"])
    return None


# Fixed words per kind of problem: pydantic's own messages can quote the value or a pattern.
_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this request",
    "string_too_short": "is too short",
    "string_too_long": "is too long",
    "string_type": "must be a string",
    "string_pattern_mismatch": "is not in the expected format",
    "int_parsing": "must be an integer",
    "int_type": "must be an integer",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "decimal_parsing": "must be a number",
    "decimal_type": "must be a number",
    "decimal_max_digits": "has too many digits",
    "decimal_max_places": "has too many decimal places",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_type": "must be a date (YYYY-MM-DD)",
    "greater_than": "is too small",
    "greater_than_equal": "is below the minimum",
    "less_than_equal": "is above the maximum",
    "too_short": "has too few items",
    "too_long": "has too many items",
    "list_type": "must be a JSON array",
    "json_invalid": "is not valid JSON",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "duplicate_id": "repeats the id of an earlier record of this request",
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


def record_not_found(error: RecordNotFoundError) -> Response[str]:
    return problem(HTTPStatus.NOT_FOUND, f"The tenant has no {entity_noun(error.entity, 1)} with this id.")


def record_invalid(error: RecordInvalidError) -> Response[str]:
    if error.total is None:
        detail = f"The {entity_noun(error.entity, 1)} is not valid; nothing was written."
    else:
        indexes = error.invalid_indexes
        detail = (
            f"{len(indexes)} of {error.total} records are not valid (at {', '.join(map(str, indexes))}); "
            "nothing was written."
        )
    errors = [field_problem(_record_field(invalid), invalid.kind, invalid.expected) for invalid in error.problems]
    return problem(HTTPStatus.UNPROCESSABLE_ENTITY, detail, errors=errors)


def _record_field(invalid: InvalidField) -> str:
    # Where in the request: `body.lines.0.unit_amount` for one record, `body.records.3.body.date` in a bulk write.
    parts: list[str | int] = ["body"]
    if invalid.index is not None:
        parts += ["records", invalid.index]
        if invalid.in_body:
            parts.append("body")
    return ".".join(str(part) for part in [*parts, *invalid.location])


def settings_invalid(error: SettingsInvalidError) -> Response[str]:
    errors = [
        FieldProblem(field=f"body.{found.field}", problem="invalid_setting", message=found.message)
        for found in error.problems
    ]
    return problem(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "The settings do not fit the tenant's Xero organisation; nothing was changed.",
        errors=errors,
    )


def settings_not_checkable(_: Exception) -> Response[str]:
    return problem(
        HTTPStatus.CONFLICT,
        "The settings are checked against the tenant's Xero accounts, tax rates and tracking categories, "
        "which are pulled once the tenant is connected to Xero. Connect the tenant, then save the settings.",
    )


def enabled_not_a_setting(_: Exception) -> Response[str]:
    message = "is the platform's switch: change it with PUT /v1/tenants/{tenant_id}/sync/enabled"
    errors = [FieldProblem(field="body.enabled", problem="not_a_setting", message=message)]
    return problem(HTTPStatus.UNPROCESSABLE_ENTITY, "The request is not valid.", errors=errors)


def sync_disabled(_: Exception) -> Response[str]:
    return problem(
        HTTPStatus.CONFLICT,
        "The tenant's sync is switched off, so nothing can be exported. The platform switches it on with "
        "PUT /v1/tenants/{tenant_id}/sync/enabled.",
    )


def reference_not_found(_: Exception) -> Response[str]:
    return problem(
        HTTPStatus.NOT_FOUND,
        "The tenant's Xero reference data has not been pulled yet: it is pulled once the tenant is connected.",
    )


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


def xero_busy(error: XeroBusyError) -> Response[str]:
    """The tenant's rate budget (or Xero's limit) says not now: nothing was sent to Xero."""
    return problem(
        HTTPStatus.TOO_MANY_REQUESTS,
        f"The tenant's Xero call budget is spent for now ({error.limit} limit). "
        f"Try again in {error.retry_after_seconds} seconds.",
        headers={"Retry-After": str(error.retry_after_seconds)},
    )


def tenant_not_connected(error: TenantNotConnectedError) -> Response[str]:
    return problem(HTTPStatus.CONFLICT, str(error))


def missing_scope(_: Exception) -> Response[str]:
    return problem(
        HTTPStatus.CONFLICT,
        "The tenant's Xero connection lacks a permission this needs (insufficient_scope). The tenant must "
        "connect again and allow every permission asked for.",
    )


def xero_refused(error: XeroRefusedError) -> Response[str]:
    return problem(HTTPStatus.BAD_GATEWAY, f"Xero refused the request ({error.status}): {error.detail}")


def report_unreadable(_: Exception) -> Response[str]:
    return problem(HTTPStatus.BAD_GATEWAY, "Xero answered without the report. Repeating the request later is safe.")


def report_parameter(error: ReportParameterError) -> Response[str]:
    errors = [FieldProblem(field=error.field, problem=error.kind, message=error.message)]
    return problem(HTTPStatus.UNPROCESSABLE_ENTITY, "The request is not valid.", errors=errors)


def contact_not_in_xero(_: Exception) -> Response[str]:
    return problem(
        HTTPStatus.CONFLICT,
        "The contact is not in Xero yet, so Xero has no report for it. It is sent with the tenant's sync.",
    )


def document_not_in_xero(error: DocumentNotInXeroError) -> Response[str]:
    noun = error.document.value
    return problem(
        HTTPStatus.CONFLICT,
        f"The {noun} is not in Xero yet (its sync state is {error.state}), so Xero cannot take a payment against "
        f"it. Export it (POST /v1/tenants/{{tenant_id}}/records/{noun}/export) or wait for the sync, then mark it "
        "paid; a failed record shows Xero's reason in its ledger.",
    )


def document_not_payable(error: DocumentNotPayableError) -> Response[str]:
    return problem(HTTPStatus.CONFLICT, error.reason)


def mark_paid_invalid(error: MarkPaidInvalidError) -> Response[str]:
    errors = [FieldProblem(field=error.field, problem=error.kind, message=error.message)]
    return problem(HTTPStatus.UNPROCESSABLE_ENTITY, "The document cannot be marked paid so.", errors=errors)


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
        RecordNotFoundError: record_not_found,
        RecordInvalidError: record_invalid,
        SettingsInvalidError: settings_invalid,
        SettingsNotCheckableError: settings_not_checkable,
        EnabledNotASettingError: enabled_not_a_setting,
        ReferenceDataNotFoundError: reference_not_found,
        SyncDisabledError: sync_disabled,
        NotFoundError: route_not_found,
        DisconnectBusyError: disconnect_busy,
        RefreshInProgressError: disconnect_busy,
        XeroAppRefusedError: xero_app_refused,
        XeroUnavailableError: xero_unavailable,
        XeroBusyError: xero_busy,
        TenantNotConnectedError: tenant_not_connected,
        MissingScopeError: missing_scope,
        XeroRefusedError: xero_refused,
        ReportAnswerError: report_unreadable,
        ReportParameterError: report_parameter,
        ContactNotInXeroError: contact_not_in_xero,
        DocumentNotInXeroError: document_not_in_xero,
        DocumentNotPayableError: document_not_payable,
        MarkPaidInvalidError: mark_paid_invalid,
        Exception: unexpected,
    }
    for exception_class, answer in answers.items():
        app.exception_handler(exception_class)(answer)
