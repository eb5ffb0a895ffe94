"""An in-memory TokenVault: one token set per tenant, read fresh (copies) on every call."""

from __future__ import annotations

import threading

from shared.domain.tokens import TokenSet
from shared.ports.token_vault import TokenVault


class MemoryTokenVault(TokenVault):
    """Keeps copies, so a caller that mutates what it read cannot change what is stored."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: dict[str, TokenSet] = {}
        self.write_count = 0

    def read(self, tenant_id: str) -> TokenSet | None:
        with self._lock:
            tokens = self._secrets.get(tenant_id)
            return tokens.model_copy(deep=True) if tokens else None

    def write(self, tenant_id: str, tokens: TokenSet) -> None:
        with self._lock:
            self._secrets[tenant_id] = tokens.model_copy(deep=True)
            self.write_count += 1

    def delete(self, tenant_id: str) -> None:
        with self._lock:
            self._secrets.pop(tenant_id, None)
