"""A Xero token set as it is kept in the tenant's token secret (never logged, never in DynamoDB)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, SecretStr

# Refresh this long before the access token expires, so a call never starts with a token about to
# expire (Xero's access tokens last 30 minutes, FACTS.md §1.4).
REFRESH_AHEAD = timedelta(minutes=5)


class TokenSet(BaseModel):
    access_token: SecretStr
    refresh_token: SecretStr
    expires_at: datetime
    scopes: tuple[str, ...]
    # Incremented on every refresh; the connection record carries the same number, so a reader
    # knows whether the secret it read is the current one.
    version: int = 1

    def needs_refresh(self, now: datetime) -> bool:
        return now >= self.expires_at - REFRESH_AHEAD
