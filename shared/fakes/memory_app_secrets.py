"""In-memory AppSecrets: what the operator filled in, or nothing yet (AppNotConfiguredError)."""

from __future__ import annotations

from pydantic import SecretStr

from shared.ports.app_secrets import AppNotConfiguredError, AppSecrets, XeroAppCredentials


class MemoryAppSecrets(AppSecrets):
    """Pass None (or an empty key) to stand for a secret the operator has not filled yet."""

    def __init__(
        self,
        client_id: str | None = "test-client-id",
        client_secret: str | None = "test-client-secret",  # noqa: S107 - a fake's stand-in, not a credential
        webhook_key: str | None = "test-webhook-key",
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._webhook_key = webhook_key

    def xero_app(self) -> XeroAppCredentials:
        if not self._client_id or not self._client_secret:
            raise AppNotConfiguredError("the Xero app secret has no client_id/client_secret yet")
        return XeroAppCredentials(client_id=self._client_id, client_secret=SecretStr(self._client_secret))

    def webhook_key(self) -> str:
        if not self._webhook_key:
            raise AppNotConfiguredError("the Xero webhook key secret is empty")
        return self._webhook_key
