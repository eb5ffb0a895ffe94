"""The record store, sync settings and sync schedule in memory, with the DynamoDB adapter's rules.

Every change goes through shared/domain/ledger_changes.py under one lock, so concurrent callers
see the same all-or-nothing steps as the adapter's conditional writes. What goes in and out is copied,
so a caller never shares an object with the store. Listings follow the adapter's orders: by
platform id, or by `state_at` then platform id within a state.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from shared.domain.ledger import (
    EntityCounts,
    InFlightBatch,
    LedgerEvent,
    Outcome,
    StoredRecord,
    SyncState,
    XeroVersion,
    part_ids,
)
from shared.domain.ledger_changes import RETRYABLE, Change, created, deleted, from_xero, retried, settled, written
from shared.domain.records import Entity
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_settings import TenantSyncSettings
from shared.ports.records import RecordStore, SyncSchedule, SyncSettingsStore
from shared.ports.state import InvalidCursorError

type _RecordKey = tuple[str, Entity, str]


class MemoryRecordStore(RecordStore):
    def __init__(self) -> None:
        self._lock = threading.RLock()  # _change holds it around _changed
        self._records: dict[_RecordKey, StoredRecord] = {}
        self._history: dict[_RecordKey, list[LedgerEvent]] = {}
        # (tenant, entity, Xero id) -> platform id; the last record given an id holds it, as in the adapter.
        self._xero_ids: dict[_RecordKey, str] = {}
        # (tenant, Xero id of a part) -> the record whose `linked` holds it; the record has the last word.
        self._parts: dict[tuple[str, str], tuple[Entity, str]] = {}
        self._batches: dict[tuple[str, str], InFlightBatch] = {}

    def write(
        self, tenant_id: str, entity: Entity, platform_id: str, body: dict[str, Any], now: datetime
    ) -> StoredRecord:
        stored = self._change(
            (tenant_id, entity, platform_id),
            lambda record: written(record, body, now),
            create=lambda: created(tenant_id, entity, platform_id, body, now),
        )
        return cast(StoredRecord, stored)  # a write always leaves a record

    def delete(self, tenant_id: str, entity: Entity, platform_id: str, now: datetime) -> StoredRecord | None:
        return self._change((tenant_id, entity, platform_id), lambda record: deleted(record, now))

    def get(self, tenant_id: str, entity: Entity, platform_id: str) -> StoredRecord | None:
        with self._lock:
            return _copy(self._records.get((tenant_id, entity, platform_id)))

    def get_many(self, tenant_id: str, entity: Entity, platform_ids: Iterable[str]) -> dict[str, StoredRecord]:
        with self._lock:
            found = (self._records.get((tenant_id, entity, platform_id)) for platform_id in set(platform_ids))
            return {record.platform_id: record.model_copy(deep=True) for record in found if record}

    def listing(
        self, tenant_id: str, entity: Entity, state: SyncState | None, limit: int, cursor: str | None = None
    ) -> tuple[list[StoredRecord], str | None]:
        scope = [tenant_id, entity.value, state.value if state else None]
        ordered = sorted(self._of(tenant_id, entity, state), key=lambda record: _position(record, state))
        if cursor is not None:
            after = _decode_cursor(cursor, scope)
            ordered = [record for record in ordered if _position(record, state) > after]
        page = ordered[:limit]
        more = len(ordered) > limit
        return page, (_encode_cursor(scope, _position(page[-1], state)) if more and page else None)

    def sendable(self, tenant_id: str, entity: Entity, limit: int) -> list[StoredRecord]:
        waiting = self._of(tenant_id, entity, SyncState.PENDING)
        return sorted(waiting, key=lambda record: (record.state_at, record.platform_id))[:limit]

    def settle(
        self, tenant_id: str, entity: Entity, platform_id: str, version: int, outcome: Outcome, *, now: datetime
    ) -> StoredRecord | None:
        return self._change((tenant_id, entity, platform_id), lambda record: settled(record, version, outcome, now))

    def apply_from_xero(
        self, tenant_id: str, entity: Entity, platform_id: str, taken: XeroVersion, *, now: datetime
    ) -> StoredRecord | None:
        key = (tenant_id, entity, platform_id)
        with self._lock:
            # from_xero raises RecordMovedError before anything is kept.
            self._changed(
                key,
                lambda record: from_xero(
                    record, taken, now, tenant_id=tenant_id, entity=entity, platform_id=platform_id
                ),
                create=lambda: from_xero(None, taken, now, tenant_id=tenant_id, entity=entity, platform_id=platform_id),
            )
            return _copy(self._records.get(key))

    def find_part(self, tenant_id: str, xero_id: str) -> StoredRecord | None:
        with self._lock:
            owner = self._parts.get((tenant_id, xero_id))
            record = self._records.get((tenant_id, *owner)) if owner else None
            return _copy(record) if record and xero_id in part_ids(record.linked) else None

    def set_applied(self, tenant_id: str, entity: Entity, platform_id: str, applied: bool) -> None:
        key = (tenant_id, entity, platform_id)
        with self._lock:
            record = self._records.get(key)
            if record is not None:
                self._records[key] = record.model_copy(update={"has_applied": applied})

    def retry(self, tenant_id: str, entity: Entity, platform_id: str | None, now: datetime) -> int:
        if platform_id is None:
            ids = [record.platform_id for record in self._of(tenant_id, entity, None) if record.state in RETRYABLE]
        else:
            ids = [platform_id]
        changes = [self._changed((tenant_id, entity, one), lambda record: retried(record, now)) for one in ids]
        return sum(1 for changed in changes if changed)

    def history(self, tenant_id: str, entity: Entity, platform_id: str, limit: int) -> list[LedgerEvent]:
        with self._lock:
            events = self._history.get((tenant_id, entity, platform_id), [])
            return [event.model_copy() for event in reversed(events[-limit:])] if limit > 0 else []

    def status(self, tenant_id: str, entity: Entity) -> EntityCounts:
        records = self._of(tenant_id, entity, None)
        counts = dict.fromkeys(SyncState, 0)
        for record in records:
            counts[record.state] += 1
        synced = [record.last_synced_at for record in records if record.last_synced_at is not None]
        waiting = [record.state_at for record in records if record.state is SyncState.PENDING]
        return EntityCounts(
            entity=entity,
            counts=counts,
            last_synced_at=max(synced, default=None),
            oldest_pending_at=min(waiting, default=None),
        )

    def find_by_xero_id(self, tenant_id: str, entity: Entity, xero_id: str) -> StoredRecord | None:
        with self._lock:
            platform_id = self._xero_ids.get((tenant_id, entity, xero_id))
            record = self._records.get((tenant_id, entity, platform_id)) if platform_id else None
            # The map is kept, not cleaned, when a record's Xero id changes; the record has the last word.
            return _copy(record) if record and record.xero_id == xero_id else None

    def begin_batch(self, batch: InFlightBatch) -> None:
        with self._lock:
            # Through JSON, as the adapter keeps it: what comes back is what the adapter would give.
            self._batches[(batch.tenant_id, batch.key)] = InFlightBatch.model_validate_json(batch.model_dump_json())

    def open_batches(self, tenant_id: str) -> list[InFlightBatch]:
        with self._lock:
            batches = [
                batch.model_copy(deep=True) for (tenant, _), batch in self._batches.items() if tenant == tenant_id
            ]
        return sorted(batches, key=lambda batch: (batch.created_at, batch.key))

    def end_batch(self, tenant_id: str, key: str) -> None:
        with self._lock:
            self._batches.pop((tenant_id, key), None)

    def _of(self, tenant_id: str, entity: Entity, state: SyncState | None) -> list[StoredRecord]:
        with self._lock:
            return [
                record.model_copy(deep=True)
                for (tenant, kind, _), record in self._records.items()
                if (tenant, kind) == (tenant_id, entity) and (state is None or record.state is state)
            ]

    def _change(
        self,
        key: _RecordKey,
        change: Callable[[StoredRecord], Change | None],
        create: Callable[[], Change | None] | None = None,
    ) -> StoredRecord | None:
        """Apply `change` to the record at `key` (or `create` when there is none) and keep what it
        becomes, with its history line and its Xero id in the map; the record as it stands after."""
        with self._lock:
            self._changed(key, change, create)
            return _copy(self._records.get(key))

    def _changed(
        self,
        key: _RecordKey,
        change: Callable[[StoredRecord], Change | None],
        create: Callable[[], Change | None] | None = None,
    ) -> bool:
        with self._lock:
            record = self._records.get(key)
            outcome = change(record.model_copy(deep=True)) if record else (create() if create else None)
            if outcome is None:
                return False
            self._records[key] = outcome.record.model_copy(deep=True)
            if outcome.event is not None:
                self._history.setdefault(key, []).append(outcome.event)
            xero_id = outcome.record.xero_id
            if xero_id is not None and (record is None or record.xero_id != xero_id):
                self._xero_ids[(key[0], key[1], xero_id)] = key[2]
            for part in part_ids(outcome.record.linked) - (part_ids(record.linked) if record else set()):
                self._parts[(key[0], part)] = (key[1], key[2])
            return True


def _copy(record: StoredRecord | None) -> StoredRecord | None:
    return record.model_copy(deep=True) if record else None


type _Position = tuple[int, str]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _position(record: StoredRecord, state: SyncState | None) -> _Position:
    # The adapter's orders: the table's sort key (platform id), or the index's (state_at, platform id),
    # the instant in whole microseconds so the cursor carries it exactly.
    since = 0 if state is None else (record.state_at - _EPOCH) // timedelta(microseconds=1)
    return since, record.platform_id


def _encode_cursor(scope: list[str | None], position: _Position) -> str:
    return base64.urlsafe_b64encode(json.dumps([scope, list(position)]).encode()).decode()


def _decode_cursor(cursor: str, scope: list[str | None]) -> _Position:
    """The position a cursor stands for, if this listing (tenant, entity, state) handed it out."""
    try:
        handed_to, (since, platform_id) = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError, binascii.Error) as error:
        raise InvalidCursorError("not a record listing cursor") from error
    if handed_to != scope or not isinstance(since, int) or not isinstance(platform_id, str):
        raise InvalidCursorError("not a record listing cursor")
    return since, platform_id


class MemorySyncSettingsStore(SyncSettingsStore):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings: dict[str, TenantSyncSettings] = {}
        self._references: dict[str, ReferenceData] = {}

    def get(self, tenant_id: str) -> TenantSyncSettings | None:
        with self._lock:
            settings = self._settings.get(tenant_id)
            return settings.model_copy(deep=True) if settings else None

    def put(self, tenant_id: str, settings: TenantSyncSettings, now: datetime) -> None:
        with self._lock:
            self._settings[tenant_id] = settings.model_copy(deep=True)

    def reference(self, tenant_id: str) -> ReferenceData | None:
        with self._lock:
            reference = self._references.get(tenant_id)
            return reference.model_copy(deep=True) if reference else None

    def put_reference(self, tenant_id: str, reference: ReferenceData) -> None:
        with self._lock:
            self._references[tenant_id] = reference.model_copy(deep=True)


class MemorySyncSchedule(SyncSchedule):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deferred: dict[str, tuple[datetime, str]] = {}
        self._leases: dict[str, tuple[str, datetime]] = {}

    def acquire(self, tenant_id: str, owner: str, now: datetime, lease_for: timedelta) -> bool:
        with self._lock:
            held = self._leases.get(tenant_id)
            if held is not None and held[0] != owner and held[1] > now:
                return False
            self._leases[tenant_id] = (owner, now + lease_for)
            return True

    def release(self, tenant_id: str, owner: str) -> None:
        with self._lock:
            if self._leases.get(tenant_id, ("", None))[0] == owner:
                del self._leases[tenant_id]

    def defer(self, tenant_id: str, until: datetime, reason: str) -> None:
        with self._lock:
            self._deferred[tenant_id] = (until, reason)

    def due(self, now: datetime) -> Iterator[str]:
        with self._lock:
            ended = sorted((until, tenant) for tenant, (until, _) in self._deferred.items() if until <= now)
        for _, tenant in ended:
            yield tenant

    def clear(self, tenant_id: str) -> None:
        with self._lock:
            self._deferred.pop(tenant_id, None)

    def deferred_until(self, tenant_id: str) -> tuple[datetime, str] | None:
        with self._lock:
            return self._deferred.get(tenant_id)


@dataclass(frozen=True)
class MemoryRecords:
    """The three ports in memory, as DynamoDbRecords bundles them over the table."""

    store: MemoryRecordStore = field(default_factory=MemoryRecordStore)
    settings: MemorySyncSettingsStore = field(default_factory=MemorySyncSettingsStore)
    schedule: MemorySyncSchedule = field(default_factory=MemorySyncSchedule)
