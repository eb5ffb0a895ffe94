"""Where what the platform was last told of each bank transaction is kept (shared/domain/inbound/told.py).

The reference data keeps its told map inside its own item (ReferenceData.told); bank transactions can
be thousands, so each is an entry of its own, read and written a page of Xero's answer at a time.

Adapters: shared/adapters/dynamodb_told.py (the state table); fakes: shared/fakes/memory_told.py.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping

from shared.domain.inbound.settings import SyncedKind
from shared.domain.reference_data import ToldElement


class ToldElements(ABC):
    @abstractmethod
    def get_many(self, tenant_id: str, kind: SyncedKind, xero_ids: Iterable[str]) -> dict[str, ToldElement]:
        """What the tenant's platform was told of each of `xero_ids` of `kind`, by Xero id; an id never
        told is absent."""

    @abstractmethod
    def put_many(self, tenant_id: str, kind: SyncedKind, told: Mapping[str, ToldElement]) -> None:
        """Keep `told` (by Xero id), replacing what was kept of those ids."""
