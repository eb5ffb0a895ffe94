"""Where the changes from Xero wait for the platform to read them (issue 5, §3), and the change
notices the sync from Xero keeps to fetch again later.

Adapters: shared/adapters/dynamodb_change_feed.py (the state table); fakes:
shared/fakes/memory_change_feed.py. Everything is keyed by tenant: a read names its tenant, and
sees nothing of another's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable

from shared.domain.inbound.changes import RecordChange
from shared.domain.inbound.pending import PendingFetch


class ChangeFeed(ABC):
    @abstractmethod
    def append(self, change: RecordChange) -> RecordChange:
        """Keep `change` under its sort key, and give it back as kept. A change of the same identity
        appended before (its worker died before the record was written, and the change is taken
        again) is kept once, under the instant it was first appended with, and given back so."""

    @abstractmethod
    def remove(self, change: RecordChange) -> None:
        """Take back a change appended for a record write that then lost its race (it never happened),
        its identity with it. A reader never saw it: the feed is served only up to SETTLE before now."""

    @abstractmethod
    def read(
        self, tenant_id: str, after: str | None, limit: int, *, until: str, conflicts_only: bool = False
    ) -> list[RecordChange]:
        """Up to `limit` of the tenant's changes with a sort key after `after` (None: from the start) and
        at most `until` (changes.readable_until), in feed order; only conflicts when `conflicts_only`."""


class PendingFetches(ABC):
    @abstractmethod
    def keep(self, tenant_id: str, fetches: Iterable[PendingFetch]) -> None:
        """Keep each fetch for later, replacing one kept under the same key."""

    @abstractmethod
    def listing(self, tenant_id: str) -> list[PendingFetch]:
        """Every fetch the tenant has kept, the soonest due first."""

    @abstractmethod
    def drop(self, tenant_id: str, keys: Iterable[str]) -> None:
        """Forget the fetches kept under `keys` (done, or given up); unknown keys are ignored."""
