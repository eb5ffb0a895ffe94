"""The change feed and the pending fetches in memory, with the DynamoDB adapter's rules: a change is
kept once per sort key, read in sort-key order up to a bound, and everything is keyed by tenant."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime

from shared.domain.inbound.changes import ChangeKind, RecordChange
from shared.domain.inbound.pending import PendingFetch
from shared.ports.change_feed import ChangeFeed, PendingFetches


class MemoryChangeFeed(ChangeFeed):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changes: dict[str, dict[str, RecordChange]] = {}  # tenant -> sort key -> change
        self._first_at: dict[tuple[str, str], datetime] = {}  # (tenant, change identity) -> first instant

    def append(self, change: RecordChange) -> RecordChange:
        with self._lock:
            first = self._first_at.setdefault((change.tenant_id, change.identity()), change.at)
            # Through JSON, as the adapter keeps it: what comes back is what the adapter would give.
            kept = RecordChange.model_validate_json(change.model_copy(update={"at": first}).model_dump_json())
            self._changes.setdefault(change.tenant_id, {})[kept.sort_key()] = kept
            return kept.model_copy(deep=True)

    def remove(self, change: RecordChange) -> None:
        with self._lock:
            self._changes.get(change.tenant_id, {}).pop(change.sort_key(), None)
            self._first_at.pop((change.tenant_id, change.identity()), None)

    def read(
        self, tenant_id: str, after: str | None, limit: int, *, until: str, conflicts_only: bool = False
    ) -> list[RecordChange]:
        with self._lock:
            kept = dict(self._changes.get(tenant_id, {}))
        keys = sorted(key for key in kept if (after is None or key > after) and key <= until)
        changes = [kept[key] for key in keys if not conflicts_only or kept[key].kind is ChangeKind.CONFLICT]
        return [change.model_copy(deep=True) for change in changes[:limit]]

    def everything(self, tenant_id: str) -> list[RecordChange]:
        """Every change kept for the tenant, in feed order, settled or not (for tests)."""
        with self._lock:
            kept = self._changes.get(tenant_id, {})
            return [kept[key].model_copy(deep=True) for key in sorted(kept)]


class MemoryPendingFetches(PendingFetches):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, dict[str, PendingFetch]] = {}  # tenant -> key -> fetch

    def keep(self, tenant_id: str, fetches: Iterable[PendingFetch]) -> None:
        with self._lock:
            kept = self._kept.setdefault(tenant_id, {})
            for fetch in fetches:
                kept[fetch.key] = fetch.model_copy(deep=True)

    def listing(self, tenant_id: str) -> list[PendingFetch]:
        with self._lock:
            fetches = [fetch.model_copy(deep=True) for fetch in self._kept.get(tenant_id, {}).values()]
        return sorted(fetches, key=lambda fetch: (fetch.retry_at, fetch.key))

    def drop(self, tenant_id: str, keys: Iterable[str]) -> None:
        with self._lock:
            kept = self._kept.get(tenant_id, {})
            for key in keys:
                kept.pop(key, None)
