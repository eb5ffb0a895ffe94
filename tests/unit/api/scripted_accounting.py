"""A XeroAccounting fake answering GET /Organisation as Xero would for the scripted identity's tokens.

It checks the token against the ScriptedXeroIdentity (401 when Xero would not accept it) and the
organisation against the token's grant (403 AuthenticationUnsuccessful when the grant no longer
covers it, FACTS.md §1.8). Tests script the rest: `fail_next` raises an error instead of
answering (a 401 insufficient_scope, an outage), `answer_as` makes Xero answer for another
organisation than the one asked for.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from shared.fakes.scripted_xero_identity import ScriptedXeroIdentity
from shared.ports.xero_accounting import XeroAccounting, XeroAnswer, XeroApiError, XeroRequest


class ScriptedXeroAccounting(XeroAccounting):
    def __init__(self, identity: ScriptedXeroIdentity) -> None:
        self._identity = identity
        self._failures: deque[Exception] = deque()
        self._answer_as: dict[str, tuple[str, str]] = {}
        self.names: dict[str, str] = {}  # Xero tenant id -> organisation name
        self.calls = 0

    def fail_next(self, error: Exception) -> None:
        self._failures.append(error)

    def answer_as(self, asked_for: str, xero_tenant_id: str, name: str) -> None:
        """Requests for `asked_for` are answered with another organisation's record."""
        self._answer_as[asked_for] = (xero_tenant_id, name)

    def call(self, access_token: str, xero_tenant_id: str, request: XeroRequest) -> XeroAnswer:
        raise NotImplementedError("the platform API's tests script GET /Organisation only, through organisation()")

    def organisation(self, access_token: str, xero_tenant_id: str) -> dict[str, Any]:
        self.calls += 1
        if self._failures:
            raise self._failures.popleft()
        if not self._identity.accepts(access_token):
            raise XeroApiError(401, "TokenExpired: token expired")
        if not any(row.tenant_id == xero_tenant_id for row in self._identity.connections(access_token)):
            raise XeroApiError(403, "AuthenticationUnsuccessful")
        answered_id, name = self._answer_as.get(xero_tenant_id, (xero_tenant_id, self.names.get(xero_tenant_id, "")))
        return {"OrganisationID": answered_id, "Name": name, "OrganisationType": "COMPANY", "CountryCode": "AU"}
