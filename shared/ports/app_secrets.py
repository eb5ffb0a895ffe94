"""The Xero app's own secrets, filled by the operator after deployment."""

from __future__ import annotations

from abc import ABC, abstractmethod

from pydantic import BaseModel, SecretStr


class XeroAppCredentials(BaseModel):
    client_id: str
    client_secret: SecretStr


class AppSecrets(ABC):
    @abstractmethod
    def xero_app(self) -> XeroAppCredentials:
        """Raises AppNotConfiguredError when the operator has not filled the secret yet."""

    @abstractmethod
    def webhook_key(self) -> str:
        """Raises AppNotConfiguredError when the operator has not filled the secret yet."""


class AppNotConfiguredError(Exception):
    """A secret the operator must fill is still empty."""
