"""Xero's identity service: token endpoint, revocation and connections (FACTS.md §1)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from pydantic import BaseModel, SecretStr


class TokenGrant(BaseModel):
    """What the token endpoint answered."""

    access_token: SecretStr
    refresh_token: SecretStr | None
    expires_in: int
    scopes: tuple[str, ...]
    authentication_event_id: str | None  # from the access token's JWT claims


class XeroConnectionRow(BaseModel):
    """One row of GET /connections."""

    id: str
    tenant_id: str
    tenant_type: str
    tenant_name: str | None
    auth_event_id: str | None
    created: datetime | None
    updated: datetime | None


class XeroGrantError(Exception):
    """The token endpoint refused: `error` is Xero's code (invalid_grant, invalid_client, ...)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class XeroUnavailableError(Exception):
    """Xero did not answer usefully (5xx, 429, maintenance); the call may be retried later."""


class XeroAnswerLostError(XeroUnavailableError):
    """The request was sent but no answer came back: Xero may have acted on it."""


class XeroIdentity(ABC):
    @abstractmethod
    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> TokenGrant: ...

    @abstractmethod
    def refresh(self, refresh_token: str) -> TokenGrant: ...

    @abstractmethod
    def revoke(self, refresh_token: str) -> None: ...

    @abstractmethod
    def connections(self, access_token: str, auth_event_id: str | None = None) -> list[XeroConnectionRow]: ...

    @abstractmethod
    def delete_connection(self, access_token: str, connection_id: str) -> None:
        """DELETE /connections/{id}: the connection id, never the tenant id (FACTS.md §1.6)."""
