"""Xero's Accounting API, as far as the connection lifecycle needs it (the sync engine extends it)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class XeroApiError(Exception):
    """A non-2xx answer: its status, Xero's `Detail` or message, and whether a scope was missing."""

    def __init__(self, status: int, detail: str, *, insufficient_scope: bool = False) -> None:
        super().__init__(f"{status} {detail}")
        self.status = status
        self.detail = detail
        self.insufficient_scope = insufficient_scope


class XeroAccounting(ABC):
    @abstractmethod
    def organisation(self, access_token: str, xero_tenant_id: str) -> dict[str, Any]:
        """GET /Organisation: the organisation's record, or XeroApiError / XeroUnavailableError."""
