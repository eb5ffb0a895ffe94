"""Where the platform's records, their ledger, their history and the tenant's sync settings live.

Adapters: shared/adapters/dynamodb_records.py (the state table); fakes: shared/fakes/memory_records.py.
Every method that changes a record does so in one atomic step, so a platform write racing the
sync worker's outcome never loses either (see `settle`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from shared.domain.ledger import (
    EntityCounts,
    InFlightBatch,
    LedgerEvent,
    Outcome,
    StoredRecord,
    SyncState,
    XeroVersion,
)
from shared.domain.records import Entity
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_settings import TenantSyncSettings


class RecordStore(ABC):
    @abstractmethod
    def write(
        self, tenant_id: str, entity: Entity, platform_id: str, body: dict[str, Any], now: datetime
    ) -> StoredRecord:
        """Upsert the platform's record. A new record is version 1 and PENDING; a changed body (or a
        deleted record written again) bumps the version and makes it PENDING; the same body again
        changes nothing and returns the record as it is (a retried write is not a change)."""

    def write_many(
        self, tenant_id: str, entity: Entity, records: Iterable[tuple[str, dict[str, Any]]], now: datetime
    ) -> list[StoredRecord]:
        """`write` for each (platform id, body), in order."""
        return [self.write(tenant_id, entity, platform_id, body, now) for platform_id, body in records]

    @abstractmethod
    def delete(self, tenant_id: str, entity: Entity, platform_id: str, now: datetime) -> StoredRecord | None:
        """Mark the record deleted: version bumped, PENDING, body kept (a void still needs it). None
        if unknown; a record already deleted is returned unchanged."""

    @abstractmethod
    def get(self, tenant_id: str, entity: Entity, platform_id: str) -> StoredRecord | None: ...

    @abstractmethod
    def get_many(self, tenant_id: str, entity: Entity, platform_ids: Iterable[str]) -> dict[str, StoredRecord]:
        """The records that exist among `platform_ids`, by platform id."""

    @abstractmethod
    def listing(
        self, tenant_id: str, entity: Entity, state: SyncState | None, limit: int, cursor: str | None = None
    ) -> tuple[list[StoredRecord], str | None]:
        """A page of the tenant's records of `entity` (in `state` when given) and the next page's cursor;
        raises shared.ports.state.InvalidCursorError for a cursor it did not hand out."""

    @abstractmethod
    def sendable(self, tenant_id: str, entity: Entity, limit: int) -> list[StoredRecord]:
        """Up to `limit` PENDING records, the longest waiting first."""

    @abstractmethod
    def settle(
        self, tenant_id: str, entity: Entity, platform_id: str, version: int, outcome: Outcome, *, now: datetime
    ) -> StoredRecord | None:
        """Record what happened to `version` of the record and add it to the history.

        If the platform has written a newer version meanwhile, what Xero now holds still lands
        (xero_id, xero_status, linked, and synced_version when the outcome is SYNCED) but the state
        stays PENDING, so the newer version is sent next. An outcome of PENDING after a send counts
        an attempt; any verdict resets the count. None if the record does not exist."""

    def settle_many(
        self, tenant_id: str, entity: Entity, outcomes: list[tuple[str, int, Outcome]], *, now: datetime
    ) -> dict[str, StoredRecord]:
        """`settle` for each (platform id, version, outcome) of one call's answer, in order; the records
        as they stand after, by platform id (a record that does not exist is left out). A store may
        read and write them in batches."""
        settled = {}
        for platform_id, version, outcome in outcomes:
            after = self.settle(tenant_id, entity, platform_id, version, outcome, now=now)
            if after is not None:
                settled[platform_id] = after
        return settled

    @abstractmethod
    def apply_from_xero(
        self, tenant_id: str, entity: Entity, platform_id: str, taken: XeroVersion, *, now: datetime
    ) -> StoredRecord | None:
        """Apply one decision about Xero's version of the record (shared/domain/ledger_changes.py
        `from_xero`) in one atomic step, with its history line; the record as it stands after (None
        when it does not exist and nothing created it). Raises RecordMovedError, changing nothing,
        when the record is not at `taken.expected_version`."""

    @abstractmethod
    def find_part(self, tenant_id: str, xero_id: str) -> StoredRecord | None:
        """The record whose `linked` parts hold `xero_id` (a payment's own Xero payment, its discount
        credit note and allocation, its fee bill and the bill's payment): what the sync from Xero
        must never take for a record of its own."""

    @abstractmethod
    def set_applied(self, tenant_id: str, entity: Entity, platform_id: str, applied: bool) -> None:
        """Note that a payment or credit note is (or no longer is) applied to the document in Xero.
        Neither its version nor its state changes; nothing happens to a record that does not exist."""

    @abstractmethod
    def retry(self, tenant_id: str, entity: Entity, platform_id: str | None, now: datetime) -> int:
        """Make FAILED, SKIPPED and PARKED records PENDING again: one, or all of the entity's when
        `platform_id` is None. Returns how many changed."""

    @abstractmethod
    def history(self, tenant_id: str, entity: Entity, platform_id: str, limit: int) -> list[LedgerEvent]:
        """The record's history, newest first."""

    @abstractmethod
    def status(self, tenant_id: str, entity: Entity) -> EntityCounts: ...

    @abstractmethod
    def find_by_xero_id(self, tenant_id: str, entity: Entity, xero_id: str) -> StoredRecord | None:
        """The record mapped to a Xero id (the map read the other way)."""

    @abstractmethod
    def begin_batch(self, batch: InFlightBatch) -> None:
        """Remember a request about to be sent (written before the call)."""

    @abstractmethod
    def open_batches(self, tenant_id: str) -> list[InFlightBatch]:
        """Requests sent whose outcomes are not all recorded, oldest first."""

    @abstractmethod
    def end_batch(self, tenant_id: str, key: str) -> None:
        """Forget a request once every member's outcome is recorded."""


class SyncSettingsStore(ABC):
    @abstractmethod
    def get(self, tenant_id: str) -> TenantSyncSettings | None: ...

    @abstractmethod
    def put(self, tenant_id: str, settings: TenantSyncSettings, now: datetime) -> None: ...

    @abstractmethod
    def reference(self, tenant_id: str) -> ReferenceData | None:
        """The tenant's Xero reference data as last pulled."""

    @abstractmethod
    def put_reference(self, tenant_id: str, reference: ReferenceData) -> None: ...


class SyncSchedule(ABC):
    """When each tenant's sync may run next: the worker defers a tenant whose budget said wait, and
    the scheduled function enqueues every tenant whose time has come (a FIFO queue cannot delay one
    message, docs/decisions.md)."""

    @abstractmethod
    def defer(self, tenant_id: str, until: datetime, reason: str) -> None:
        """Run the tenant's sync again at `until` (a later call replaces an earlier one)."""

    @abstractmethod
    def due(self, now: datetime) -> Iterator[str]:
        """Tenants whose deferral has ended, the longest waiting first, read a page at a time as the caller
        goes on: a caller may stop anywhere."""

    @abstractmethod
    def clear(self, tenant_id: str) -> None:
        """The tenant's sync ran: nothing is deferred any more."""

    @abstractmethod
    def deferred_until(self, tenant_id: str) -> tuple[datetime, str] | None:
        """When and why the tenant's sync waits, if it does."""

    @abstractmethod
    def acquire(self, tenant_id: str, owner: str, now: datetime, lease_for: timedelta) -> bool:
        """Take the right to push the tenant's records until now + lease_for: False while someone else
        holds an unexpired lease. One push per tenant at a time (the worker and an export may race),
        so two pushes never send the same pending record in two different calls."""

    @abstractmethod
    def release(self, tenant_id: str, owner: str) -> None:
        """Give the lease back (only the owner's; someone else's lease is left alone)."""
