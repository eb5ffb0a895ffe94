"""The OAuth 2.0 error answers of Xero's token and revocation endpoints: HTTP 400, JSON `{"error": "..."}`.

FACTS.md §1.5 lists every token-endpoint error as a 400, `invalid_client` included. RFC 6749 §5.2
would have a 401 when the client authenticated with a Basic header; Xero's identity service (its
/connect/token and /connect/revocation are IdentityServer's endpoints) answers 400, so a client
must read the `error` field rather than branch on the status.
"""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

# RFC 6749 §5.1: token answers must not be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenError(Exception):
    """A refused token or revocation request; `error` is the RFC 6749 §5.2 code Xero sends.

    The body carries `error` alone, as in the answers FACTS.md §1.5 quotes; `description` only
    explains the refusal in the simulator's own logs and test failures.
    """

    def __init__(self, error: str, description: str | None = None) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description

    def response(self) -> Response:
        return json_response(400, {"error": self.error})


def json_response(status: int, body: object) -> Response:
    return Response(json.dumps(body), status=status, headers=NO_STORE, content_type="application/json")
