"""Xero's Accounting API over httpx, as far as the connection lifecycle needs it: GET /Organisation.

The rate-budgeted client of the sync engine replaces this with one that takes budget before each
call (docs/decisions.md); until then a connection test is one call, well inside every limit.
"""

from __future__ import annotations

from typing import Any

import httpx

from shared.adapters.xero_http import XeroHttp, is_unavailable, json_body
from shared.observability import tracer
from shared.ports.xero_accounting import XeroAccounting, XeroApiError
from shared.ports.xero_identity import XeroUnavailableError
from shared.settings import XeroEndpoints

API_PATH = "/api.xro/2.0"


class HttpXeroAccounting(XeroAccounting):
    """The XeroAccounting port against api.xero.com (or the simulator)."""

    def __init__(self, endpoints: XeroEndpoints, client: httpx.Client | None = None) -> None:
        self._base = f"{endpoints.api_url}{API_PATH}"
        self._http = XeroHttp(client)

    @tracer.capture_method(capture_response=False)
    def organisation(self, access_token: str, xero_tenant_id: str) -> dict[str, Any]:
        """The organisation's record from GET /Organisation, read with this token for this Xero tenant."""
        body = self._get("/Organisation", access_token, xero_tenant_id)
        organisations = body.get("Organisations")
        if not isinstance(organisations, list) or not organisations or not isinstance(organisations[0], dict):
            raise XeroUnavailableError("GET /Organisation answered without an organisation")
        organisation: dict[str, Any] = organisations[0]
        return organisation

    def _get(self, path: str, access_token: str, xero_tenant_id: str) -> dict[str, Any]:
        # Without Accept: application/json Xero answers XML (FACTS.md §1.8); xero-tenant-id names the organisation.
        request = self._http.client.build_request(
            "GET",
            f"{self._base}{path}",
            headers={
                "Authorization": f"Bearer {access_token}",
                "xero-tenant-id": xero_tenant_id,
                "Accept": "application/json",
            },
        )
        response = self._http.send(request)
        body = json_body(response)
        if is_unavailable(response) or not isinstance(body, dict):
            # 429 and 503 come as plain text (FACTS.md §4.13); any other unreadable answer is no verdict either.
            raise XeroUnavailableError(f"Xero answered {response.status_code} to GET {path}")
        if not response.is_success:
            raise _api_error(response, body)
        return body


def _api_error(response: httpx.Response, body: dict[str, Any]) -> XeroApiError:
    """Xero's problem details carry `Detail` (401/403, FACTS.md §1.8); its exceptions carry `Message` (§4.4)."""
    detail = body.get("Detail") or body.get("Message") or body.get("Title") or response.reason_phrase
    # A missing scope is named only in the WWW-Authenticate header (FACTS.md §1.7).
    insufficient_scope = "insufficient_scope" in response.headers.get("www-authenticate", "")
    return XeroApiError(response.status_code, str(detail), insufficient_scope=insufficient_scope)
