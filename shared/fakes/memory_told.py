"""What the platform was told of each bank transaction, in memory (shared/ports/told.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

from shared.domain.inbound.settings import SyncedKind
from shared.domain.reference_data import ToldElement
from shared.ports.told import ToldElements


class MemoryToldElements(ToldElements):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._told: dict[tuple[str, SyncedKind, str], ToldElement] = {}

    def get_many(self, tenant_id: str, kind: SyncedKind, xero_ids: Iterable[str]) -> dict[str, ToldElement]:
        with self._lock:
            found = {xero_id: self._told.get((tenant_id, kind, xero_id)) for xero_id in xero_ids}
        return {xero_id: told for xero_id, told in found.items() if told is not None}

    def put_many(self, tenant_id: str, kind: SyncedKind, told: Mapping[str, ToldElement]) -> None:
        with self._lock:
            for xero_id, element in told.items():
                self._told[tenant_id, kind, xero_id] = element
