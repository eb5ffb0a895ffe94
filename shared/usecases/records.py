"""The platform's records: write, delete and read them, follow their ledger, retry, sync and export now.

Every operation is scoped by the tenant id it is given (the records API's path): the store keys
each record by tenant, so one tenant's records are never read or written through another's id.

A write is validated against the entity's canonical model first (shared/domain/records.py) and
stored in its canonical JSON form, so a retried request, or one that spells the same record
differently ("1" for 1, a default left out), is not a change. Each write that leaves work for
Xero enqueues a SyncRequest on the tenant's message group. The request is only a nudge (the
ledger says what is pending), and its deduplication id is derived from the versions it covers:
a retried identical write leaves the version as it was and is not enqueued twice within SQS's
window, while any later change has a new version and so a new id. A nudge that could not be
enqueued is sent again by the platform's retry: the record is still pending, and pending records
are always nudged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from shared.clock import Clock
from shared.domain.inbound.settings import SyncedKind
from shared.domain.ledger import EntityCounts, LedgerEvent, StoredRecord, SyncState
from shared.domain.rate_limits import Priority
from shared.domain.records import SEND_ORDER, Entity, parse_body
from shared.domain.sync_requests import SyncRequest
from shared.ports.records import RecordStore, SyncSettingsStore
from shared.ports.state import TenantRepository
from shared.ports.work_queue import WorkQueue, sync_requests_group
from shared.usecases.export import Exporter
from shared.usecases.tenants import get_tenant

# One bulk call: large enough for a backfill to move quickly, small enough that the request stays
# well inside Lambda's 6 MB payload and the writes inside the API's 30 s.
MAX_BULK_RECORDS = 500
# One export waits for Xero in the API's own invocation (API Gateway answers 503 after 30 s): 50
# records are one Xero batch per step (FACTS.md §4.4).
MAX_EXPORT_RECORDS = 50


class RecordNotFoundError(Exception):
    """The tenant has no record of this entity with this platform id."""

    def __init__(self, entity: Entity, platform_id: str) -> None:
        super().__init__(f"no {entity.value} {platform_id}")
        self.entity = entity
        self.platform_id = platform_id


class SyncDisabledError(Exception):
    """The tenant's sync is switched off (the platform's plan), so nothing can be exported now."""


@dataclass(frozen=True)
class InvalidField:
    """One thing wrong with a written record: where (inside the record's body, or `id`), and what kind."""

    location: tuple[str | int, ...]
    kind: str
    index: int | None = None  # the record's position in a bulk write
    expected: str | None = None  # the allowed values, for a choice among a few (never the value sent)
    in_body: bool = True  # False when the problem is the record's id, not its body


class RecordInvalidError(Exception):
    """A written record (or some records of a bulk write) failed validation; nothing was written."""

    def __init__(self, entity: Entity, problems: list[InvalidField], *, total: int | None = None) -> None:
        super().__init__(f"{len(problems)} problems in {entity.value} records")
        self.entity = entity
        self.problems = problems
        self.total = total  # the number of records in a bulk write; None for one record

    @property
    def invalid_indexes(self) -> list[int]:
        return sorted({problem.index for problem in self.problems if problem.index is not None})


@dataclass(frozen=True)
class SyncStatus:
    """One entity's counts by state, with the lag of its oldest unsent change."""

    counts: EntityCounts
    lag: timedelta | None  # None when nothing is waiting


@dataclass(frozen=True)
class TenantSyncStatus:
    enabled: bool  # the platform's switch (shared/domain/sync_settings.py): when off, nothing is sent
    entities: list[SyncStatus]


@dataclass(frozen=True)
class ExportReport:
    """What an export achieved: `exported` of `requested` records are SYNCED at their current version."""

    entity: Entity
    requested: list[str]
    records: list[StoredRecord]  # in the order asked for
    missing: list[str]  # asked for but not records of the tenant

    @property
    def exported(self) -> int:
        return sum(1 for record in self.records if is_exported(record))

    @property
    def summary(self) -> str:
        """'3 of 3 invoices exported': the words a platform can show a user as they are."""
        return f"{self.exported} of {len(self.requested)} {entity_noun(self.entity, len(self.requested))} exported"


def is_exported(record: StoredRecord) -> bool:
    """Xero holds the record's current version."""
    return record.state is SyncState.SYNCED and record.synced_version == record.version


def entity_noun(entity: Entity, count: int) -> str:
    """The entity in words, singular for one ('1 of 1 credit note', '2 of 3 credit notes')."""
    noun = entity.value.replace("_", " ")
    return noun if count == 1 else f"{noun}s"


def sync_request_key(tenant_id: str, scope: str, *parts: object) -> str:
    """The SQS deduplication id of a sync request: the same inputs give the same id (a retried
    request is dropped by SQS), anything that changed gives another."""
    text = "|".join([tenant_id, scope, *(str(part) for part in parts)])
    return hashlib.sha256(text.encode()).hexdigest()


class PlatformRecords:
    """The records API's use cases over the record store and the work queue (see the module docstring)."""

    def __init__(
        self,
        *,
        tenants: TenantRepository,
        records: RecordStore,
        settings: SyncSettingsStore,
        queue: WorkQueue,
        clock: Clock,
    ) -> None:
        self._tenants = tenants
        self._records = records
        self._settings = settings
        self._queue = queue
        self._clock = clock

    def write(self, tenant_id: str, entity: Entity, platform_id: str, body: object) -> StoredRecord:
        """Upsert one record (validated first; raises RecordInvalidError naming each bad field) and
        nudge the sync worker when Xero has something new to receive."""
        get_tenant(self._tenants, tenant_id)
        canonical = _canonical(entity, body, index=None)
        record = self._records.write(tenant_id, entity, platform_id, canonical, self._clock.now())
        self._nudge(tenant_id, entity, [record], Priority.USER_WRITE)
        return record

    def write_many(self, tenant_id: str, entity: Entity, records: Sequence[tuple[str, object]]) -> list[StoredRecord]:
        """Upsert up to MAX_BULK_RECORDS records, all or nothing at validation: one invalid body or a
        repeated id raises RecordInvalidError listing every problem by index, and nothing is written.

        A bulk write is a backfill, so its sync runs at backfill priority and leaves a user's
        single writes the headroom of the rate budget (shared/domain/rate_limits.py)."""
        get_tenant(self._tenants, tenant_id)
        canonical: list[tuple[str, dict[str, Any]]] = []
        problems: list[InvalidField] = []
        seen: set[str] = set()
        for index, (platform_id, body) in enumerate(records):
            if platform_id in seen:
                problems.append(InvalidField(("id",), "duplicate_id", index=index, in_body=False))
            seen.add(platform_id)
            try:
                canonical.append((platform_id, _canonical(entity, body, index=index)))
            except RecordInvalidError as invalid:
                problems += invalid.problems
        if problems:
            raise RecordInvalidError(entity, problems, total=len(records))
        written = self._records.write_many(tenant_id, entity, canonical, self._clock.now())
        self._nudge(tenant_id, entity, written, Priority.BACKFILL)
        return written

    def delete(self, tenant_id: str, entity: Entity, platform_id: str) -> StoredRecord:
        """Mark the record deleted (Xero's copy is then deleted or voided by the sync); raises
        RecordNotFoundError for a record the tenant never wrote."""
        get_tenant(self._tenants, tenant_id)
        record = self._records.delete(tenant_id, entity, platform_id, self._clock.now())
        if record is None:
            raise RecordNotFoundError(entity, platform_id)
        self._nudge(tenant_id, entity, [record], Priority.USER_WRITE)
        return record

    def get(self, tenant_id: str, entity: Entity, platform_id: str) -> StoredRecord:
        """The record and its ledger entry; raises RecordNotFoundError."""
        get_tenant(self._tenants, tenant_id)
        record = self._records.get(tenant_id, entity, platform_id)
        if record is None:
            raise RecordNotFoundError(entity, platform_id)
        return record

    def listing(
        self, tenant_id: str, entity: Entity, state: SyncState | None, limit: int, cursor: str | None
    ) -> tuple[list[StoredRecord], str | None]:
        """A page of the tenant's records of `entity`, in `state` when given, and the next page's cursor;
        raises InvalidCursorError (shared/ports/state.py) for a cursor this API did not hand out."""
        get_tenant(self._tenants, tenant_id)
        return self._records.listing(tenant_id, entity, state, limit, cursor)

    def history(self, tenant_id: str, entity: Entity, platform_id: str, limit: int) -> list[LedgerEvent]:
        """The record's history, newest first; raises RecordNotFoundError."""
        self.get(tenant_id, entity, platform_id)
        return self._records.history(tenant_id, entity, platform_id, limit)

    def retry_one(self, tenant_id: str, entity: Entity, platform_id: str) -> StoredRecord:
        """Make a FAILED, SKIPPED or PARKED record PENDING again and nudge the worker; a record in any
        other state is answered as it is. Raises RecordNotFoundError."""
        self.get(tenant_id, entity, platform_id)
        if self._records.retry(tenant_id, entity, platform_id, self._clock.now()):
            self._enqueue(tenant_id, entity, "retry", Priority.USER_WRITE, platform_id, self._clock.now())
        return self.get(tenant_id, entity, platform_id)

    def retry_all(self, tenant_id: str, entity: Entity) -> int:
        """Make every FAILED, SKIPPED and PARKED record of the entity PENDING again; how many changed."""
        get_tenant(self._tenants, tenant_id)
        changed = self._records.retry(tenant_id, entity, None, self._clock.now())
        if changed:
            self._enqueue(tenant_id, entity, "retry", Priority.USER_WRITE, "*", self._clock.now())
        return changed

    def trigger(self, tenant_id: str, entity: Entity | None) -> list[Entity]:
        """Ask the sync worker to send what is pending now, for one entity or all (None), in
        dependency order; the entities it will look at."""
        get_tenant(self._tenants, tenant_id)
        # A trigger also reads the entity (or every kind) again from Xero, whatever its interval says.
        kinds = (SyncedKind.of(entity),) if entity is not None else tuple(SyncedKind)
        self._enqueue(tenant_id, entity, "trigger", Priority.USER_WRITE, self._clock.now(), reconcile=kinds)
        return [entity] if entity is not None else list(SEND_ORDER)

    def status(self, tenant_id: str, entities: Iterable[Entity]) -> TenantSyncStatus:
        """Whether the tenant syncs at all and, per entity: counts by state, the last success, and the
        lag (now minus the oldest pending change)."""
        get_tenant(self._tenants, tenant_id)
        now = self._clock.now()
        statuses = []
        for entity in entities:
            counts = self._records.status(tenant_id, entity)
            lag = now - counts.oldest_pending_at if counts.oldest_pending_at is not None else None
            statuses.append(SyncStatus(counts=counts, lag=lag))
        settings = self._settings.get(tenant_id)
        return TenantSyncStatus(enabled=settings is not None and settings.enabled, entities=statuses)

    def export(self, tenant_id: str, entity: Entity, platform_ids: Sequence[str], exporter: Exporter) -> ExportReport:
        """Send the named records to Xero now (the exporter waits for the outcome) and report how many
        arrived, with each record's state and message; ids the tenant has no record for are `missing`.
        Raises SyncDisabledError while the tenant's sync is switched off: nothing would be sent."""
        get_tenant(self._tenants, tenant_id)
        settings = self._settings.get(tenant_id)
        if settings is None or not settings.enabled:
            raise SyncDisabledError(tenant_id)
        requested = list(dict.fromkeys(platform_ids))  # a repeated id is one record, asked for once
        settled = {record.platform_id: record for record in exporter.export(tenant_id, entity, requested)}
        return ExportReport(
            entity=entity,
            requested=requested,
            records=[settled[platform_id] for platform_id in requested if platform_id in settled],
            missing=[platform_id for platform_id in requested if platform_id not in settled],
        )

    def _nudge(self, tenant_id: str, entity: Entity, records: list[StoredRecord], priority: Priority) -> None:
        # A write that changed nothing Xero lacks (a retry of a write already sent) needs no sync.
        versions = sorted(
            (record.platform_id, record.version) for record in records if record.state is SyncState.PENDING
        )
        if versions:
            self._enqueue(tenant_id, entity, "write", priority, *versions)

    def _enqueue(
        self,
        tenant_id: str,
        entity: Entity | None,
        reason: str,
        priority: Priority,
        *parts: object,
        reconcile: tuple[SyncedKind, ...] = (),
    ) -> None:
        request = SyncRequest(tenant_id=tenant_id, entity=entity, priority=priority, reason=reason, reconcile=reconcile)
        scope = entity.value if entity is not None else "*"
        key = sync_request_key(tenant_id, scope, reason, *parts)
        # One group of sync requests per tenant: the worker pushes for one tenant at a time, in order.
        self._queue.send(group_id=sync_requests_group(tenant_id), deduplication_id=key, message=request)


def _canonical(entity: Entity, body: object, *, index: int | None) -> dict[str, Any]:
    try:
        record = parse_body(entity, body)
    except ValidationError as invalid:
        raise RecordInvalidError(entity, _invalid_fields(invalid, index)) from None
    return record.model_dump(mode="json")


def _invalid_fields(invalid: ValidationError, index: int | None) -> list[InvalidField]:
    problems = []
    for error in invalid.errors(include_input=False, include_url=False):
        context = error.get("ctx") or {}
        expected = context.get("expected")  # a choice's allowed values, from the model (never the input)
        problems.append(InvalidField(tuple(error["loc"]), error["type"], index=index, expected=expected))
    return problems
