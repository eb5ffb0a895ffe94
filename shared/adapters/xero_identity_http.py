"""Xero's identity service over httpx: the token endpoint, revocation and the connections API (FACTS.md §1).

The token and revocation endpoints authenticate the app with HTTP Basic (client id and secret
from the app secret) and take form-encoded bodies (§1.3). Their refusals are 400 with a JSON
`{"error": ...}` (§1.5), which become XeroGrantError; nothing else is read from them. Tokens,
codes and secrets are never logged: the log lines say which call was made and how it ended.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from shared.adapters.xero_http import XeroHttp, is_unavailable, json_body
from shared.observability import logger, tracer
from shared.ports.app_secrets import AppSecrets
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import (
    TokenGrant,
    XeroConnectionRow,
    XeroGrantError,
    XeroIdentity,
    XeroUnavailableError,
)
from shared.settings import XeroEndpoints

# `createdDateUtc` has up to 7 fractional digits and no zone, e.g. "2019-12-07T18:46:19.5165400" (§1.6).
_XERO_DATETIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$")


class HttpXeroIdentity(XeroIdentity):
    """The XeroIdentity port against Xero's identity hosts (or the simulator, which serves all three)."""

    def __init__(self, endpoints: XeroEndpoints, app_secrets: AppSecrets, client: httpx.Client | None = None) -> None:
        self._endpoints = endpoints
        self._app_secrets = app_secrets
        self._http = XeroHttp(client)

    @tracer.capture_method(capture_response=False)
    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> TokenGrant:
        """Redeem an authorization code (with its PKCE verifier) for the first token set (§1.3)."""
        return self._grant(
            "authorization_code",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            },
        )

    @tracer.capture_method(capture_response=False)
    def refresh(self, refresh_token: str) -> TokenGrant:
        """Spend a refresh token for a new pair; Xero rotates it on every use (§1.4)."""
        return self._grant("refresh_token", {"grant_type": "refresh_token", "refresh_token": refresh_token})

    @tracer.capture_method(capture_response=False)
    def revoke(self, refresh_token: str) -> None:
        """Revoke the grant behind a refresh token; Xero also removes the user's connections (§1.1)."""
        response = self._post_form(f"{self._endpoints.identity_url}/connect/revocation", {"token": refresh_token})
        if response.status_code != 200:
            raise _token_endpoint_error(response)
        logger.info("Xero revoked a grant")

    @tracer.capture_method(capture_response=False)
    def connections(self, access_token: str, auth_event_id: str | None = None) -> list[XeroConnectionRow]:
        """GET /connections, optionally only those of one consent (`authEventId`, §1.6)."""
        params = {"authEventId": auth_event_id} if auth_event_id else None
        request = self._http.client.build_request(
            "GET", f"{self._endpoints.api_url}/connections", params=params, headers=_bearer(access_token)
        )
        response = self._http.send(request)
        if response.status_code != 200:
            raise _api_error(response)
        rows = json_body(response)
        if not isinstance(rows, list):
            raise XeroUnavailableError("GET /connections answered something other than a JSON list")
        return [_connection_row(row) for row in rows]

    @tracer.capture_method(capture_response=False)
    def delete_connection(self, access_token: str, connection_id: str) -> None:
        """DELETE /connections/{id} with the connection id (never the tenant id, §1.6); Xero answers 204."""
        request = self._http.client.build_request(
            "DELETE",
            f"{self._endpoints.api_url}/connections/{quote(connection_id, safe='')}",
            headers=_bearer(access_token),
        )
        response = self._http.send(request)
        if response.status_code != 204:
            raise _api_error(response)
        logger.info("Xero connection deleted", extra={"xero_connection_id": connection_id})

    def _grant(self, grant_type: str, form: dict[str, str]) -> TokenGrant:
        response = self._post_form(f"{self._endpoints.identity_url}/connect/token", form)
        if response.status_code != 200:
            error = _token_endpoint_error(response)
            logger.warning("Xero refused a token request", extra={"grant_type": grant_type, "error": str(error)})
            raise error
        answer = json_body(response)
        if not isinstance(answer, dict) or not isinstance(answer.get("access_token"), str):
            raise XeroUnavailableError("the token endpoint answered 200 without an access token")
        logger.info("Xero issued tokens", extra={"grant_type": grant_type})
        return _token_grant(answer)

    def _post_form(self, url: str, form: dict[str, str]) -> httpx.Response:
        credentials = self._app_secrets.xero_app()
        request = self._http.client.build_request(
            "POST",
            url,
            data=form,
            headers={
                "Authorization": _basic(credentials.client_id, credentials.client_secret.get_secret_value()),
                "Accept": "application/json",
            },
        )
        return self._http.send(request)


def _basic(client_id: str, client_secret: str) -> str:
    """RFC 6749 §2.3.1: each part form-urlencoded, then joined with ':' and base64-encoded."""
    pair = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
    return "Basic " + base64.b64encode(pair.encode()).decode()


def _bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}


def _token_endpoint_error(response: httpx.Response) -> Exception:
    """400 `{"error": ...}` (or any 4xx carrying one) is a refusal; 429, 5xx and unreadable answers are outages."""
    body = json_body(response)
    if not is_unavailable(response) and isinstance(body, dict) and isinstance(body.get("error"), str):
        return XeroGrantError(body["error"])
    return XeroUnavailableError(f"the identity service answered {response.status_code}")


def _api_error(response: httpx.Response) -> Exception:
    """A refusal of /connections (401 for a dead token, 404 for an unknown connection id), or an outage."""
    body = json_body(response)
    if is_unavailable(response) or not isinstance(body, dict):
        return XeroUnavailableError(f"the connections API answered {response.status_code}")
    detail = body.get("Detail") or body.get("detail") or body.get("Title") or body.get("title") or ""
    return XeroApiError(response.status_code, str(detail))


def _token_grant(answer: dict[str, Any]) -> TokenGrant:
    access_token = answer["access_token"]
    return TokenGrant(
        access_token=access_token,
        refresh_token=answer.get("refresh_token"),
        expires_in=int(answer.get("expires_in", 1800)),
        scopes=tuple(str(answer.get("scope", "")).split()),
        authentication_event_id=authentication_event_id(access_token),
    )


def authentication_event_id(access_token: str) -> str | None:
    """The `authentication_event_id` claim of Xero's access token, which GET /connections takes as authEventId.

    The JWT is read without checking its signature: we got it from Xero's token endpoint over TLS
    a moment ago, and only use the claim to filter our own connections; Xero checks the token
    whenever it is used. None when the token is not a readable JWT.
    """
    parts = access_token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return None
    value = claims.get("authentication_event_id") if isinstance(claims, dict) else None
    return value if isinstance(value, str) else None


def _connection_row(row: dict[str, Any]) -> XeroConnectionRow:
    return XeroConnectionRow(
        id=row["id"],
        tenant_id=row["tenantId"],
        tenant_type=row.get("tenantType", "ORGANISATION"),
        tenant_name=row.get("tenantName"),
        auth_event_id=row.get("authEventId"),
        created=_xero_datetime(row.get("createdDateUtc")),
        updated=_xero_datetime(row.get("updatedDateUtc")),
    )


def _xero_datetime(value: object) -> datetime | None:
    """Xero's zone-less UTC datetimes, with their 7 fractional digits cut to Python's 6."""
    if not isinstance(value, str):
        return None
    matched = _XERO_DATETIME.match(value)
    if matched is None:
        return None
    seconds, fraction = matched.groups()
    parsed = datetime.fromisoformat(seconds).replace(tzinfo=UTC)
    return parsed.replace(microsecond=int((fraction or "0")[:6].ljust(6, "0")))
