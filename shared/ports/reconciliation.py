"""Where each tenant's reconciliation of each kind stands (shared/domain/inbound/reconcile_state.py).

Adapters: shared/adapters/dynamodb_reconciliation.py (the state table); fakes:
shared/fakes/memory_reconciliation.py.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from datetime import datetime

from shared.domain.inbound.reconcile_state import ReconcileState
from shared.domain.inbound.settings import SyncedKind


class ReconcileStates(ABC):
    @abstractmethod
    def get(self, tenant_id: str, kind: SyncedKind) -> ReconcileState | None: ...

    @abstractmethod
    def listing(self, tenant_id: str) -> list[ReconcileState]:
        """Every kind's state the tenant has, by kind."""

    @abstractmethod
    def put(self, state: ReconcileState) -> None:
        """Keep `state`, replacing the tenant's state of its kind; one with no `due_at` is never `due`."""

    def put_many(self, states: Sequence[ReconcileState]) -> None:
        """`put` each of `states` (of any tenants), in as few calls as the store allows."""
        for state in states:
            self.put(state)

    @abstractmethod
    def due(self, now: datetime) -> Iterator[ReconcileState]:
        """The states of any tenant whose `due_at` is at or before `now`, the longest due first, read a
        page of the due instants at a time as the caller goes on (never a scan of the tenants): a caller
        may stop anywhere, and a state moved meanwhile is handed out as it is now, or not at all."""
