"""One signed POST to an app's webhook URL, and Xero's verdict on the receiver's answer (FACTS.md §2.1).

A receiver must answer within 5 seconds with the expected status (200, or 401 to a bad signature
during Intent to Receive), no body and no cookies; anything else, including a timeout or a refused
connection, is a failed delivery.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

RESPONSE_TIME_LIMIT = 5.0  # seconds (FACTS.md §2.1)
BODY_EXCERPT = 500  # characters of a receiver's answer kept for the record


@dataclass(frozen=True)
class ReceiverAnswer:
    """What came back from one POST: a status or the transport error that stood in for one."""

    status: int | None
    body: str
    latency_ms: float
    set_cookie: bool
    error: str | None  # "timeout", "connection refused: ...": no HTTP answer at all

    def problem(self, expected_status: int, time_limit: float, wrong_status: str | None = None) -> str | None:
        """Why Xero would not accept this answer, or None when it would; `wrong_status` words a status mismatch."""
        if self.error is not None:
            return self.error
        if self.latency_ms > time_limit * 1000:
            return f"Response took longer than {time_limit:g} seconds"
        if self.status != expected_status:
            return wrong_status or f"Response status {self.status} is not {expected_status}"
        if self.body:
            return "Response contained a body"
        if self.set_cookie:
            return "Response set a cookie"
        return None


def post_signed(url: str, body: bytes, signature: str, timeout: float = RESPONSE_TIME_LIMIT) -> ReceiverAnswer:
    """POST `body` with its `x-xero-signature`, never following redirects nor reading proxy settings."""
    headers = {"Content-Type": "application/json", "x-xero-signature": signature}
    started = time.monotonic()
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        return ReceiverAnswer(None, "", _elapsed_ms(started), set_cookie=False, error="Response timed out")
    except httpx.HTTPError as exc:
        detail = f"Delivery failed: {type(exc).__name__}: {exc}"
        return ReceiverAnswer(None, "", _elapsed_ms(started), set_cookie=False, error=detail)
    return ReceiverAnswer(
        status=response.status_code,
        body=response.text[:BODY_EXCERPT],
        latency_ms=_elapsed_ms(started),
        set_cookie="set-cookie" in response.headers,
        error=None,
    )


def _elapsed_ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
