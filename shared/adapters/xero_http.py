"""How the Xero adapters speak HTTP: one lazily created httpx client with timeouts, and transport
failures told apart by whether Xero may have acted on the request.

A failure before the request left (no connection, no free pooled connection) means Xero saw
nothing: XeroUnavailableError, safe to retry at any time. A failure after it was sent (the
connection reset, the answer timed out or arrived broken) means Xero may have acted, which
matters for a refresh: Xero rotated the refresh token and we never saw the new one. That is
XeroAnswerLostError, and the token custodian retries it with the same refresh token inside
Xero's 30-minute grace (FACTS.md §1.4).
"""

from __future__ import annotations

import threading

import httpx

from shared.ports.xero_identity import XeroAnswerLostError, XeroUnavailableError

# A lease-holding refresh must finish well inside the 30 s refresh lease (shared/usecases/token_custody.py):
# three attempts of at most ~8 s each (3 s to connect, 5 s to answer). Xero answers in well under a second.
XERO_TIMEOUT = httpx.Timeout(connect=3.0, read=5.0, write=5.0, pool=3.0)

# Raised before any byte of the request reached Xero.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class XeroHttp:
    """An httpx client for Xero, passed in (tests, shared pools) or created on first use.

    Creating a client builds an SSL context (tens of milliseconds), so a cold start that never
    calls Xero does not pay for it.
    """

    def __init__(self, client: httpx.Client | None = None) -> None:
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = httpx.Client(timeout=XERO_TIMEOUT)
        return self._client

    def send(self, request: httpx.Request) -> httpx.Response:
        """Send `request` and read the whole answer; transport failures become Xero's port errors."""
        try:
            return self.client.send(request)
        except _NOT_SENT as exc:
            raise XeroUnavailableError(f"Xero could not be reached: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise XeroAnswerLostError(f"Xero's answer was lost: {type(exc).__name__}") from exc


def is_unavailable(response: httpx.Response) -> bool:
    """429 (rate limited) and 5xx (Xero's outages and maintenance, FACTS.md §4.13): try again later."""
    return response.status_code == 429 or response.status_code >= 500


def json_body(response: httpx.Response) -> object | None:
    """The answer's JSON, or None when it is not JSON (Xero's 429 and 503 come as plain text)."""
    if "json" not in response.headers.get("content-type", ""):
        return None
    try:
        parsed: object = response.json()
    except ValueError:
        return None
    return parsed
