"""The reconciliation states in memory, in the DynamoDB adapter's orders."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

from shared.domain.inbound.reconcile_state import ReconcileState
from shared.domain.inbound.settings import SyncedKind
from shared.ports.reconciliation import ReconcileStates


class MemoryReconcileStates(ReconcileStates):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[tuple[str, SyncedKind], ReconcileState] = {}

    def get(self, tenant_id: str, kind: SyncedKind) -> ReconcileState | None:
        with self._lock:
            return self._states.get((tenant_id, kind))

    def listing(self, tenant_id: str) -> list[ReconcileState]:
        with self._lock:
            return sorted(
                (state for (tenant, _), state in self._states.items() if tenant == tenant_id),
                key=lambda state: state.kind.value,
            )

    def put(self, state: ReconcileState) -> None:
        with self._lock:
            self._states[state.tenant_id, state.kind] = state

    def due(self, now: datetime) -> Iterator[ReconcileState]:
        with self._lock:
            due = [state for state in self._states.values() if state.due_at is not None and state.due_at <= now]
        due.sort(key=lambda state: (state.due_at, state.tenant_id, state.kind.value))
        for listed in due:
            # As the adapter, each is read again: one moved since the listing is handed out as it is now.
            current = self.get(listed.tenant_id, listed.kind)
            if current is not None and current.due_at is not None and current.due_at <= now:
                yield current
