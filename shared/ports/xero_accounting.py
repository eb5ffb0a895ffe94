"""Xero's Accounting API: one generic call (any verb, path, query and body, with the headers Xero
reads), and GET /Organisation built on it for the connection lifecycle.

What a call raises says what the caller may do next (FACTS.md §4.13):
- XeroApiError: a 4xx, Xero's verdict on this request; sending it again changes nothing.
- XeroRateLimitedError: a 429; Xero did not act, and says how long to wait (§3.1).
- XeroUnavailableError: no verdict (a 5xx, a plain-text answer, or the request never left).
- XeroAnswerLostError: no verdict, but the request may have reached Xero and acted; send it
  again with the same Idempotency-Key (§4.5) to get the first answer back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.ports.xero_identity import XeroUnavailableError

METHODS = frozenset({"GET", "PUT", "POST", "DELETE"})
# "128 character max." (OAS-ACC idempotencyKey, FACTS.md §4.5).
MAX_IDEMPOTENCY_KEY = 128


@dataclass(frozen=True)
class XeroRequest:
    """One call: `path` is relative to /api.xro/2.0 (for example "/Invoices"), its query is `params`.

    `body` must be JSON (Decimal amounts are sent as numbers). `idempotency_key` makes a PUT or
    POST safe to send again (FACTS.md §4.5); `if_modified_since` (timezone-aware) asks a GET for
    what changed since then (§4.3)."""

    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    idempotency_key: str | None = None
    if_modified_since: datetime | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"Xero's Accounting API has no {self.method!r} (one of {sorted(METHODS)})")
        if not self.path.startswith("/") or "?" in self.path:
            raise ValueError(f"{self.path!r}: a path relative to /api.xro/2.0, with the query in params")
        if self.idempotency_key is not None and not 0 < len(self.idempotency_key) <= MAX_IDEMPOTENCY_KEY:
            raise ValueError(f"an Idempotency-Key has 1 to {MAX_IDEMPOTENCY_KEY} characters")
        if self.if_modified_since is not None and self.if_modified_since.tzinfo is None:
            raise ValueError("If-Modified-Since must be timezone-aware")

    @classmethod
    def batch(
        cls,
        method: str,
        collection: str,
        elements: list[dict[str, Any]],
        *,
        idempotency_key: str,
        path: str | None = None,
    ) -> XeroRequest:
        """A batch write of `elements` to `collection` ("Invoices"), at `path` (default "/<collection>").

        Always summarizeErrors=false: with Xero's default one bad element makes the answer a 400
        that leaves out the ids of the elements it still saved, so a retry duplicates them
        (FACTS.md §4.4); with false every element answers for itself (shared/domain/xero_answers.py)."""
        return cls(
            method,
            path or f"/{collection}",
            params={"summarizeErrors": "false"},
            body={collection: elements},
            idempotency_key=idempotency_key,
        )


@dataclass(frozen=True)
class CallsRemaining:
    """Xero's X-MinLimit-Remaining, X-DayLimit-Remaining and X-AppMinLimit-Remaining (FACTS.md §3.1);
    None where the answer did not carry one."""

    minute: int | None = None
    day: int | None = None
    app_minute: int | None = None


@dataclass(frozen=True)
class XeroAnswer:
    """A 2xx answer: its status, its JSON body ({} for 204 No Content) and the calls left."""

    status: int
    body: dict[str, Any]
    remaining: CallsRemaining = CallsRemaining()


class XeroApiError(Exception):
    """A 4xx: its status, Xero's `Detail` or message, whether a scope was missing, and the JSON body
    when there was one (a 400 ValidationException lists its refused Elements, FACTS.md §4.4)."""

    def __init__(
        self, status: int, detail: str, *, insufficient_scope: bool = False, body: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {detail}")
        self.status = status
        self.detail = detail
        self.insufficient_scope = insufficient_scope
        self.body = body


class XeroRateLimitedError(XeroUnavailableError):
    """A 429: Xero refused the call without acting on it.

    `problem` is Xero's X-Rate-Limit-Problem ("minute", "day", "appminute", "concurrent"; only the
    first two were seen in the wild, FACTS.md §3.1), "" when absent. `retry_after_seconds` is its
    Retry-After, sent for the minute and day limits (for the day: the seconds to the window's
    reset), None when absent."""

    def __init__(
        self, retry_after_seconds: float | None, problem: str, *, remaining: CallsRemaining | None = None
    ) -> None:
        wait = f", retry after {retry_after_seconds:g} s" if retry_after_seconds is not None else ""
        super().__init__(f"Xero's {problem or 'unnamed'} rate limit was hit{wait}")
        self.retry_after_seconds = retry_after_seconds
        self.problem = problem
        self.remaining = remaining or CallsRemaining()


ORGANISATION = XeroRequest("GET", "/Organisation")


class XeroAccounting(ABC):
    @abstractmethod
    def call(self, access_token: str, xero_tenant_id: str, request: XeroRequest) -> XeroAnswer:
        """Make `request` for the organisation `xero_tenant_id`; a 2xx answer, or one of the errors above."""

    def organisation(self, access_token: str, xero_tenant_id: str) -> dict[str, Any]:
        """GET /Organisation: the organisation's record, or XeroApiError / XeroUnavailableError."""
        organisations = self.call(access_token, xero_tenant_id, ORGANISATION).body.get("Organisations")
        if not isinstance(organisations, list) or not organisations or not isinstance(organisations[0], dict):
            raise XeroUnavailableError("GET /Organisation answered without an organisation")
        organisation: dict[str, Any] = organisations[0]
        return organisation
