"""The push: one tenant's pending records sent to Xero, dependencies first, in batches of 50.

A run (one SyncRequest) resumes any call a crashed run left open, makes sure the reference data
is current, then sends each entity in SEND_ORDER. It never waits: when the rate budget says
"not yet" (MustWaitError) the tenant is deferred to the instant the budget gives, and the
scheduled function nudges it again then; when the run's deadline comes it stops between calls
and says so, and the caller enqueues the rest. Every record's outcome lands on the record, and
the platform hears of each export and each refusal on the event bus.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.clock import Clock
from shared.domain.connections import ConnectionStatus
from shared.domain.ledger import Outcome, StoredRecord, SyncState
from shared.domain.mapping.context import MappingContext
from shared.domain.platform_events import EventType, PlatformEvent
from shared.domain.rate_limits import Priority
from shared.domain.records import SEND_ORDER, Contact, Entity
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_settings import TenantSyncSettings
from shared.observability import logger, tracer
from shared.ports.event_bus import EventBus
from shared.ports.records import RecordStore, SyncSchedule, SyncSettingsStore
from shared.ports.state import ConnectionRepository
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import XeroUnavailableError
from shared.usecases.push.calls import Call, Calls, CallStillOpenError
from shared.usecases.push.directory import ContactDirectory
from shared.usecases.push.judges import call_kinds
from shared.usecases.push.lookups import Lookups, dependencies
from shared.usecases.push.plans import FEE_SUPPLIER_ID, Action, plan
from shared.usecases.push.reference import current_reference
from shared.usecases.push.tenant_xero import ConnectionRejectedError, TenantXero
from shared.usecases.rate_budgeted_xero import MustWaitError, RateBudgetedXero
from shared.usecases.token_custody import NotConnectedError, ReauthorisationNeededError, TokenCustodian

BATCH_SIZE = 50  # elements per call: Xero's advice for batches (FACTS.md §4.4)
PAGE = 1000  # pending records read and planned at a time: a payment part rare in a page still fills its batch
PASSES_PER_RECORD = 8  # a payment needs up to 5 calls; more passes than this in one run is a loop
UNAVAILABLE_BACKOFF = timedelta(seconds=60)
LEASE = timedelta(minutes=16)
# An export answers within API Gateway's 30 s: it starts no call after 20 s, and what is left goes with the worker.
EXPORT_DEADLINE = timedelta(seconds=20)
EXPORT_POLL_SECONDS = 0.25
BUSY = "another push for the tenant is running"  # longer than a Lambda can run (15 minutes)


class DeadlineReachedError(Exception):
    pass


@dataclass
class PushReport:
    tenant_id: str
    calls: int = 0
    outcomes: dict[SyncState, int] = field(default_factory=dict)
    deferred_until: datetime | None = None
    stopped: str | None = None  # why the run ended before the end of the pending records
    more: bool = False  # the deadline came first: enqueue the rest

    def count(self, state: SyncState) -> None:
        self.outcomes[state] = self.outcomes.get(state, 0) + 1


@dataclass(frozen=True)
class SyncPush:
    records: RecordStore
    settings: SyncSettingsStore
    schedule: SyncSchedule
    connections: ConnectionRepository
    custodian: TokenCustodian
    xero: RateBudgetedXero
    events: EventBus
    clock: Clock
    sleep: Callable[[float], None] = time.sleep  # how an export waits for a running push (tests pass their own)

    @tracer.capture_method(capture_response=False)
    def run(
        self,
        tenant_id: str,
        *,
        entity: Entity | None = None,
        priority: Priority = Priority.USER_WRITE,
        deadline: datetime | None = None,
        only: dict[Entity, set[str]] | None = None,
    ) -> PushReport:
        """Send the tenant's pending records (of `entity`, or all; of `only`'s ids, or all)."""
        report = PushReport(tenant_id)
        connection = self.connections.get(tenant_id)
        if connection is None or connection.status is not ConnectionStatus.CONNECTED or not connection.xero_tenant_id:
            report.stopped = "not connected"
            return report
        settings = self.settings.get(tenant_id) or TenantSyncSettings()
        owner = secrets.token_hex(8)
        if not self.schedule.acquire(tenant_id, owner, self.clock.now(), LEASE):
            report.stopped = BUSY
            return report
        xero = TenantXero(tenant_id, connection.xero_tenant_id, priority, self.custodian, self.xero)
        run = _Run(self, xero, settings, report, deadline, only)
        try:
            if settings.enabled:
                run.everything(SEND_ORDER if entity is None else (entity,))
            else:
                # Not syncing yet, but the tenant's settings are chosen from its reference data.
                run.reference()
                report.stopped = "sync is not enabled for the tenant"
            if only is None:
                # The whole backlog went: nothing waits. An export sent only its records, so a
                # deferral (of the rest, or of the sync from Xero's kept fetches) still stands.
                self.schedule.clear(tenant_id)
        except MustWaitError as wait:
            report.deferred_until, report.stopped = wait.until, f"rate budget: {wait.limit}"
            self.schedule.defer(tenant_id, wait.until, f"waiting for Xero's {wait.limit} limit")
        except (CallStillOpenError, XeroUnavailableError) as unknown:
            # A write whose outcome is unknown, or a read the push needs (the reference data) that Xero kept
            # failing: the records stay pending, and the tenant is tried again after the backoff.
            report.deferred_until, report.stopped = self.clock.now() + UNAVAILABLE_BACKOFF, "Xero unavailable"
            self.schedule.defer(tenant_id, report.deferred_until, f"Xero unavailable: {unknown}")
        except (ConnectionRejectedError, ReauthorisationNeededError, NotConnectedError) as rejected:
            report.stopped = f"connection: {rejected}"
        except XeroApiError as refused:
            # A read the push needs was refused (a scope the tenant did not grant): nothing can be sent.
            report.stopped = f"Xero refused: {refused.detail}"
            logger.warning(
                "Xero refused a read the push needs", extra={"tenant_id": tenant_id, "status": refused.status}
            )
        except DeadlineReachedError:
            report.more, report.stopped = True, "deadline"
        finally:
            self.schedule.release(tenant_id, owner)
            report.calls = xero.calls
            run.publish()
        logger.info("Push ended", extra={"tenant_id": tenant_id, "calls": report.calls, "stopped": report.stopped})
        return report

    def export(self, tenant_id: str, entity: Entity, platform_ids: list[str]) -> list[StoredRecord]:
        """Send the named records and what they depend on now, at a user's priority; the records after."""
        wanted = self.records.get_many(tenant_id, entity, platform_ids)
        only: dict[Entity, set[str]] = {entity: set(wanted)}
        for dependency, platform_id in _with_dependencies(self.records, tenant_id, wanted.values()):
            only.setdefault(dependency, set()).add(platform_id)
        only.setdefault(Entity.CONTACT, set()).add(FEE_SUPPLIER_ID)
        deadline = self.clock.now() + EXPORT_DEADLINE
        while True:
            report = self.run(tenant_id, priority=Priority.USER_WRITE, only=only, deadline=deadline)
            after = self.records.get_many(tenant_id, entity, platform_ids)
            waiting = any(record.state is SyncState.PENDING for record in after.values())
            if report.stopped != BUSY or not waiting or self.clock.now() >= deadline:
                return [after[platform_id] for platform_id in platform_ids if platform_id in after]
            # The sync worker is pushing this tenant (these records, likely): wait for it, briefly.
            self.sleep(EXPORT_POLL_SECONDS)


class _Run:
    """One push's working state: its calls, lookups, directory and the events to publish."""

    def __init__(  # noqa: PLR0917 - one run's parts, built in one place (SyncPush.run)
        self,
        push: SyncPush,
        xero: TenantXero,
        settings: TenantSyncSettings,
        report: PushReport,
        deadline: datetime | None,
        only: dict[Entity, set[str]] | None,
    ) -> None:
        self.push, self.xero, self.settings, self.report = push, xero, settings, report
        self.deadline, self.only = deadline, only
        self.tenant_id = xero.tenant_id
        self.lookups = Lookups(push.records, self.tenant_id)
        self.directory = ContactDirectory(xero)
        self.events: list[PlatformEvent] = []
        self.fee_supplier_wanted = False
        kinds = call_kinds(name_taken=self.directory.stale, applied=self._applied)
        self.calls = Calls(push.records, xero, push.clock.now, kinds, settled=self._settled)

    def everything(self, entities: Iterable[Entity]) -> None:
        for batch in self.push.records.open_batches(self.tenant_id):
            if self.calls.stale(batch) and batch.entity is not Entity.CONTACT:
                self._abandon(batch.entity, [m.platform_id for m in batch.members], batch.key)
            else:
                self.calls.resume(batch)
        ctx = MappingContext(self.settings, self.reference(), self.lookups.xero_id_of, self.lookups.document_of)
        for entity in entities:
            if self.settings.sends_to_xero(entity):
                self._entity(entity, ctx)
            else:
                self._not_sent(entity)
        if self.fee_supplier_wanted and self._add_fee_supplier():
            # Payments with a fee waited for the fee supplier: create (or match) it, then send them.
            self._entity(Entity.CONTACT, ctx)
            self._entity(Entity.PAYMENT, ctx)

    def reference(self) -> ReferenceData:
        return current_reference(self.xero, self.push.settings, self.push.clock.now())

    def _entity(self, entity: Entity, ctx: MappingContext) -> None:
        passes: dict[str, int] = {}
        waiting: set[str] = set()
        while True:
            page = [record for record in self._pending(entity, len(waiting)) if record.platform_id not in waiting]
            if not page:
                return
            self.lookups.prefetch(page)
            actions: list[tuple[StoredRecord, Action]] = []
            for record in page:
                passes[record.platform_id] = passes.get(record.platform_id, 0) + 1
                if passes[record.platform_id] > PASSES_PER_RECORD:
                    waiting.add(record.platform_id)
                    continue
                self.lookups.missing.clear()
                decided = plan(record, ctx, self.directory.match)
                if (Entity.CONTACT, FEE_SUPPLIER_ID) in self.lookups.missing:
                    self.fee_supplier_wanted = True
                if isinstance(decided, Outcome):
                    if decided.state is SyncState.PARKED and self.lookups.on_its_way():
                        waiting.add(record.platform_id)  # its contact or document is still to be sent
                        continue
                    self._settle(record, decided)
                elif isinstance(decided, Action):
                    actions.append((record, decided))
            self._send(actions)

    def _send(self, actions: list[tuple[StoredRecord, Action]]) -> None:
        groups: dict[tuple[str, str, str, tuple[tuple[str, str], ...], bool], list[tuple[StoredRecord, Action]]] = {}
        for record, action in actions:
            key = (action.kind, action.method, action.path, tuple(sorted(action.params.items())), action.batchable)
            groups.setdefault(key, []).append((record, action))
        for (kind_name, method, path, _, batchable), members in groups.items():
            kind = self.calls.kind(kind_name)
            size = BATCH_SIZE if batchable else 1
            for start in range(0, len(members), size):
                chunk = members[start : start + size]
                if self.deadline is not None and self.push.clock.now() >= self.deadline:
                    raise DeadlineReachedError
                payload: dict[str, Any] | None = (
                    {kind.collection: [action.element for _, action in chunk]} if batchable else chunk[0][1].element
                )
                self.calls.make(
                    Call(kind, method, path, [record for record, _ in chunk], payload, dict(chunk[0][1].params))
                )

    def _pending(self, entity: Entity, waiting: int) -> list[StoredRecord]:
        """The next pending records: the oldest first, or, for an export, the named ones wherever
        they stand in the queue (a backlog ahead of them must not hide them)."""
        if self.only is None:
            return self.push.records.sendable(self.tenant_id, entity, PAGE + waiting)
        named = self.push.records.get_many(self.tenant_id, entity, sorted(self.only.get(entity, set())))
        return [record for record in named.values() if record.state is SyncState.PENDING]

    def _wanted(self, record: StoredRecord) -> bool:
        return self.only is None or record.platform_id in self.only.get(record.entity, set())

    def _settle(self, record: StoredRecord, outcome: Outcome) -> None:
        now = self.push.clock.now()
        after = self.push.records.settle(
            self.tenant_id, record.entity, record.platform_id, record.version, outcome, now=now
        )
        if after is not None:
            self._settled(after, outcome)

    def _settled(self, record: StoredRecord, outcome: Outcome) -> None:
        self.report.count(outcome.state)
        self.lookups.forget(record.entity, record.platform_id)
        data: dict[str, object] = {
            "entity": record.entity.value,
            "platform_id": record.platform_id,
            "version": record.version,
        }
        if outcome.state is SyncState.SYNCED and record.state is SyncState.SYNCED:
            data["xero_id"] = record.xero_id
            self.events.append(self._event(EventType.RECORD_EXPORTED, data))
        elif outcome.state is SyncState.FAILED:
            self.events.append(self._event(EventType.RECORD_FAILED, {**data, "message": outcome.message}))

    def _event(self, event_type: EventType, data: dict[str, object]) -> PlatformEvent:
        return PlatformEvent(type=event_type, tenant_id=self.tenant_id, occurred_at=self.push.clock.now(), data=data)

    def _applied(self, entity: Entity, platform_id: str) -> None:
        self.push.records.set_applied(self.tenant_id, entity, platform_id, True)

    def _abandon(self, entity: Entity, platform_ids: list[str], key: str) -> None:
        """A call too old for Xero to replay: its records wait for a person rather than risk a duplicate."""
        records = self.push.records.get_many(self.tenant_id, entity, platform_ids)
        message = (
            "Xero's answer to an earlier send was lost and is too old to replay; check Xero for this record, "
            "then retry it."
        )
        for record in records.values():
            self._settle(record, Outcome(state=SyncState.PARKED, message=message))
        self.push.records.end_batch(self.tenant_id, key)

    def _not_sent(self, entity: Entity) -> None:
        for record in self.push.records.sendable(self.tenant_id, entity, PAGE):
            if self._wanted(record):
                self._settle(
                    record,
                    Outcome(
                        state=SyncState.SKIPPED, message=f"The tenant's settings do not send {entity.value}s to Xero."
                    ),
                )

    def _add_fee_supplier(self) -> bool:
        """The fee supplier is a contact like any other, written on first use and then sent (or matched);
        False when it exists already (it failed or was skipped: its payments are parked)."""
        if self.push.records.get(self.tenant_id, Entity.CONTACT, FEE_SUPPLIER_ID) is not None:
            return False
        body = Contact(name=self.settings.fee_supplier, is_customer=False, is_supplier=True)
        self.push.records.write(
            self.tenant_id, Entity.CONTACT, FEE_SUPPLIER_ID, body.model_dump(mode="json"), self.push.clock.now()
        )
        self.lookups.forget(Entity.CONTACT, FEE_SUPPLIER_ID)
        return True

    def publish(self) -> None:
        if self.events:
            self.push.events.publish_many(self.events)
            self.events.clear()


def _with_dependencies(store: RecordStore, tenant_id: str, records: Iterable[StoredRecord]) -> list[tuple[Entity, str]]:
    """What `records` depend on, two levels deep (a payment's invoice and that invoice's contact)."""
    first = [dependency for record in records for dependency in dependencies(record)]
    second: list[tuple[Entity, str]] = []
    for entity, platform_id in first:
        record = store.get(tenant_id, entity, platform_id)
        if record is not None:
            second.extend(dependencies(record))
    return first + second
