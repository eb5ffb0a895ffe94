"""Xero's Accounting API over httpx: any call, its answer read as JSON, its failures told apart
(shared/ports/xero_accounting.py says what each error lets the caller do).

Calls to Xero go through shared/usecases/rate_budgeted_xero.py, which takes budget before each one;
this adapter only speaks HTTP.
"""

from __future__ import annotations

import json
import math
from datetime import UTC
from decimal import Decimal
from typing import Any

import httpx

from shared.adapters.xero_http import XeroHttp, json_body
from shared.domain.xero_answers import validation_messages
from shared.observability import tracer
from shared.ports.xero_accounting import (
    CallsRemaining,
    XeroAccounting,
    XeroAnswer,
    XeroApiError,
    XeroRateLimitedError,
    XeroRequest,
)
from shared.ports.xero_identity import XeroUnavailableError
from shared.settings import XeroEndpoints

API_PATH = "/api.xro/2.0"
# A plain-text refusal is quoted in the error up to this length (Xero's are one sentence).
QUOTED_TEXT = 200


class HttpXeroAccounting(XeroAccounting):
    """The XeroAccounting port against api.xero.com (or the simulator)."""

    def __init__(self, endpoints: XeroEndpoints, client: httpx.Client | None = None) -> None:
        self._base = f"{endpoints.api_url}{API_PATH}"
        self._http = XeroHttp(client)

    @tracer.capture_method(capture_response=False)
    def call(self, access_token: str, xero_tenant_id: str, request: XeroRequest) -> XeroAnswer:
        """Send `request` for `xero_tenant_id` with this token and read Xero's answer (or raise)."""
        http_request = self._http.client.build_request(
            request.method,
            f"{self._base}{request.path}",
            params=request.params,
            content=_json(request.body) if request.body is not None else None,
            headers=_headers(access_token, xero_tenant_id, request),
        )
        return _answer(request, self._http.send(http_request))


def _headers(access_token: str, xero_tenant_id: str, request: XeroRequest) -> dict[str, str]:
    # Without Accept: application/json Xero answers XML (FACTS.md §1.8); xero-tenant-id names the organisation.
    headers = {
        "Authorization": f"Bearer {access_token}",
        "xero-tenant-id": xero_tenant_id,
        "Accept": "application/json",
    }
    if request.body is not None:
        headers["Content-Type"] = "application/json"
    if request.idempotency_key is not None:
        headers["Idempotency-Key"] = request.idempotency_key
    if request.if_modified_since is not None:
        # OAS-ACC types the header as an ISO 8601 date-time; Xero compares to the second (FACTS.md §4.3),
        # and dropping the fraction asks from slightly earlier, which only ever returns more.
        since = request.if_modified_since.astimezone(UTC).replace(microsecond=0)
        headers["If-Modified-Since"] = since.isoformat()
    return headers


def _json(body: dict[str, Any]) -> bytes:
    # Sorted keys: the same payload is the same bytes on every resend, whatever order a stored copy
    # came back in, so an Idempotency-Key never meets "a different request" (FACTS.md §4.5).
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=_number).encode()


def _number(value: object) -> int | float:
    # Payloads read back from DynamoDB hold Decimals; an amount's shortest float repr is its decimal text.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _answer(request: XeroRequest, response: httpx.Response) -> XeroAnswer:
    status = response.status_code
    where = f"{request.method} {request.path}"
    if status == 429:
        raise XeroRateLimitedError(
            _seconds(response.headers.get("Retry-After")),
            response.headers.get("X-Rate-Limit-Problem", "").strip().lower(),
            remaining=_remaining(response.headers),
        )
    if status >= 500:
        # Outages and maintenance, often in plain text (FACTS.md §4.13): no verdict on the request.
        raise XeroUnavailableError(f"Xero answered {status} to {where}")
    body = json_body(response)
    if status >= 400:
        raise _api_error(response, body)
    if status == 204:
        return XeroAnswer(status, {}, _remaining(response.headers))
    if not response.is_success or not isinstance(body, dict):
        raise XeroUnavailableError(f"Xero answered {status} without a JSON object to {where}")
    return XeroAnswer(status, body, _remaining(response.headers))


def _api_error(response: httpx.Response, body: object | None) -> XeroApiError:
    # A missing scope is named only in the WWW-Authenticate header (FACTS.md §1.7).
    insufficient_scope = "insufficient_scope" in response.headers.get("www-authenticate", "")
    if not isinstance(body, dict):
        # Xero refuses an unparseable query parameter in plain text (xero-node#502).
        detail = response.text.strip()[:QUOTED_TEXT] or response.reason_phrase
        return XeroApiError(response.status_code, detail, insufficient_scope=insufficient_scope)
    return XeroApiError(response.status_code, _detail(body, response), insufficient_scope=insufficient_scope, body=body)


def _detail(body: dict[str, Any], response: httpx.Response) -> str:
    """Problem details carry `Detail` (401/403, FACTS.md §1.8); exceptions carry `Message` (§4.4), and a
    ValidationException's useful words are its elements' ValidationErrors (as xero-python reads them, §4.13)."""
    messages = validation_messages(body)
    if messages:
        return "; ".join(messages)
    return str(body.get("Detail") or body.get("Message") or body.get("Title") or response.reason_phrase)


def _remaining(headers: httpx.Headers) -> CallsRemaining:
    return CallsRemaining(
        minute=_count(headers.get("X-MinLimit-Remaining")),
        day=_count(headers.get("X-DayLimit-Remaining")),
        app_minute=_count(headers.get("X-AppMinLimit-Remaining")),
    )


def _count(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _seconds(value: str | None) -> float | None:
    """Retry-After in seconds, as Xero sends it (FACTS.md §3.1); None when absent or not a number."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
