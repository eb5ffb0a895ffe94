"""Xero's error answers, as exceptions the routes raise and the server renders.

Shapes follow FACTS.md §1.8, §4.4 and §4.13: validation errors are Xero's ValidationException body;
authentication and authorisation failures are the problem-details body Xero's API gateway sends.
"""

from __future__ import annotations

import uuid
from typing import Any


class XeroError(Exception):
    """Base of every answer that is not a 2xx; `body` is JSON unless `content_type` says otherwise."""

    status: int = 500
    content_type: str = "application/json"

    def __init__(self, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(str(body)[:200])
        self.body = body
        self.headers = headers or {}


def _problem(title: str, status: int, detail: str) -> dict[str, Any]:
    return {
        "Type": None,
        "Title": title,
        "Status": status,
        "Detail": detail,
        "Instance": str(uuid.uuid4()),
        "Extensions": {},
    }


class UnauthorizedError(XeroError):
    """401: a missing, forged, expired or revoked access token, or a scope the token lacks."""

    status = 401

    def __init__(self, detail: str, *, insufficient_scope: bool = False) -> None:
        headers = {"WWW-Authenticate": 'Bearer error="insufficient_scope"'} if insufficient_scope else {}
        super().__init__(_problem("Unauthorized", 401, detail), headers)


class ForbiddenError(XeroError):
    """403: the xero-tenant-id header is missing or names a tenant this token is not connected to."""

    status = 403

    def __init__(self, detail: str = "AuthenticationUnsuccessful") -> None:
        super().__init__(_problem("Forbidden", 403, detail))


class NotFoundError(XeroError):
    status = 404

    def __init__(self, detail: str = "The resource you're looking for cannot be found") -> None:
        super().__init__(_problem("Not Found", 404, detail))


def found[T](record: T | None) -> T:
    """`record`, or Xero's 404 when the path named a record that does not exist."""
    if record is None:
        raise NotFoundError()
    return record


class ValidationError(XeroError):
    """400 ValidationException: `elements` echo the submitted objects with their ValidationErrors."""

    status = 400

    def __init__(self, messages: list[str] | None = None, elements: list[dict[str, Any]] | None = None) -> None:
        if elements is None:
            elements = [{"ValidationErrors": [{"Message": m} for m in messages or []]}]
        body = {
            "ErrorNumber": 10,
            "Type": "ValidationException",
            "Message": "A validation exception occurred",
            "Elements": elements,
        }
        super().__init__(body)


class PostDataInvalidError(XeroError):
    """400 PostDataInvalidException: a body that is not JSON or that Xero's schema rejects."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__({"ErrorNumber": 14, "Type": "PostDataInvalidException", "Message": message})


class UnparseableParameterError(XeroError):
    """400 in plain text: Xero's answer to a query parameter it cannot parse (xero-node#502)."""

    status = 400
    content_type = "text/html; charset=utf-8"

    def __init__(self, name: str) -> None:
        super().__init__(f"Supplied parameter '{name}' cannot be parsed.")


class NotImplementedByXeroError(XeroError):
    """501: an operation Xero itself does not implement (for example POST /Organisation)."""

    status = 501

    def __init__(self) -> None:
        super().__init__(
            {
                "ErrorNumber": 20,
                "Type": "NotImplementedException",
                "Message": "The Api Method called is not implemented",
            }
        )


class RateLimitError(XeroError):
    """429 with Retry-After and X-Rate-Limit-Problem; Xero's 429 body is not documented, so it is plain text."""

    status = 429
    content_type = "text/plain"

    def __init__(self, problem: str, retry_after: int, headers: dict[str, str]) -> None:
        super().__init__(
            "You have exceeded the rate limit",
            {**headers, "Retry-After": str(retry_after), "X-Rate-Limit-Problem": problem},
        )


class ServiceUnavailableError(XeroError):
    """503 in plain text, as Xero answers during maintenance."""

    status = 503
    content_type = "text/plain"

    def __init__(self, text: str = "The Xero API is currently offline for maintenance") -> None:
        super().__init__(text)


class InternalError(XeroError):
    status = 500

    def __init__(
        self,
        message: str = "An error occurred in Xero. Check the API Status page for current service status.",
    ) -> None:
        super().__init__({"ErrorNumber": 500, "Type": "InternalServerException", "Message": message})
