"""Where token sets are kept: one secret per connection, encrypted with a customer managed key."""

from __future__ import annotations

from abc import ABC, abstractmethod

from shared.domain.tokens import TokenSet


class TokenVault(ABC):
    @abstractmethod
    def read(self, tenant_id: str) -> TokenSet | None:
        """The current token set, read fresh (never from a cache: the refresh path must see the latest)."""

    @abstractmethod
    def write(self, tenant_id: str, tokens: TokenSet) -> None:
        """Store a token set before it is used, so a crash after Xero rotated it loses nothing."""

    @abstractmethod
    def delete(self, tenant_id: str) -> None: ...
