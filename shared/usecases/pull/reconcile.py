"""Reconciliation from Xero for one tenant (issue 5, §2): each kind asked for is read again, what
changed since its watermark (reconcile.py: If-Modified-Since less an overlap), page after page of
1,000, and every element is taken as a webhook's fetch is (reading.py, taking.py), so echoes,
conflicts, tombstones, the change feed and the events behave the same. It catches what webhooks
missed and covers what Xero sends none for (payments, items, bank transactions).

Every call goes through the tenant's rate budget at RECONCILIATION priority, below webhook fetches
and users' writes: reconciliation is the first to wait. A run that must wait (the budget, a 429,
Xero failing, the deadline) keeps the page it was on and is due again when the wait ends, to
resume there; the watermark moves only when a kind is read to its last page (reconcile_state.py).
Accounts, tax rates and tracking categories are the tenant's reference data: one refresh (four
calls, push/reference.py) reads all three, and what changed in them is told (pull/reference_told.py).
Bank transactions are not platform records either: read only once the tenant chose a date to bring
them from (settings.py NOT_CHOSEN), each page is told as changes (pull/bank_told.py), its events
published with the run's others at its end, after the contacts they name.

It takes the tenant's push lease, as the pull does, so nothing else writes the tenant's records
meanwhile; and it waits while a call of a push is still open (a crash between Xero's write and the
ledger's), as a record Xero created then would look new and be created twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from shared.domain.connections import ConnectionStatus
from shared.domain.inbound.backfill import BACKFILL_PRIORITY
from shared.domain.inbound.reconcile import SOURCES, plan
from shared.domain.inbound.reconcile_state import (
    FALLBACK,
    REFERENCE_KINDS,
    BackfillCount,
    ReconcileState,
    fresh,
    put_off,
    succeeded,
    waiting,
)
from shared.domain.inbound.settings import InboundEntitySettings, SyncedKind
from shared.domain.inbound.tombstones import gone_item, items_gone
from shared.domain.ledger import StoredRecord
from shared.domain.rate_limits import Priority
from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings
from shared.observability import logger, metrics, tracer
from shared.ports.reconciliation import ReconcileStates
from shared.ports.told import ToldElements
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import XeroUnavailableError
from shared.usecases.pull.bank_told import tell_bank_transactions
from shared.usecases.pull.fetching import DeadlineReachedError, ListedPage
from shared.usecases.pull.reading import Reading
from shared.usecases.pull.reference_told import tell_reference
from shared.usecases.pull.report import PullReport
from shared.usecases.pull.run import UNAVAILABLE_WAIT, SyncPull
from shared.usecases.pull.taking import event_of
from shared.usecases.push.reference import pull_reference
from shared.usecases.push.run import LEASE
from shared.usecases.push.tenant_xero import ConnectionRejectedError, TenantXero
from shared.usecases.rate_budgeted_xero import MustWaitError
from shared.usecases.token_custody import NotConnectedError, ReauthorisationNeededError

# Item records read a page at a time to find those a complete listing no longer holds.
ITEMS_PAGE = 500
# While the lease is held or a push's call is open, try again at the due job's next run (every minute in
# AWS): due again in a few seconds, so the next run takes it, whenever it comes. A push holds the lease
# for seconds (an export, a batch), and an initial sync put off behind one should not wait a further minute.
BUSY_WAIT = timedelta(seconds=5)
# The order kinds are read in: the reference data first (reading records needs it), then what
# others name (contacts, items) before what names them, payments after what they pay.
ORDER = list(SOURCES)
ORDER = [kind for kind in ORDER if kind in REFERENCE_KINDS] + [kind for kind in ORDER if kind not in REFERENCE_KINDS]


@dataclass
class ReconcileReport:
    tenant_id: str
    outcomes: dict[str, str] = field(default_factory=dict)  # per kind: read, resumable, put off, and why
    pages: int = 0
    elements: int = 0  # elements Xero listed
    reference_changes: int = 0  # accounts, tax rates and tracking categories the platform was told of
    told_changes: int = 0  # bank transactions the platform was told of
    pull: PullReport | None = None  # the takes' counts and calls
    stopped: str | None = None  # why the run ended before reading every kind it was asked for


class _StoppedError(Exception):
    """Every kind left waits until `until` (None: unscheduled) for `why`."""

    def __init__(self, until: datetime | None, why: str) -> None:
        super().__init__(why)
        self.until, self.why = until, why


@dataclass(frozen=True)
class SyncReconcile:
    pull: SyncPull
    states: ReconcileStates
    told: ToldElements  # what the platform was told of each bank transaction

    @tracer.capture_method(capture_response=False)
    def run(
        self,
        tenant_id: str,
        kinds: Sequence[SyncedKind],
        *,
        forced: bool = False,
        deadline: datetime | None = None,
    ) -> ReconcileReport:
        """Read `kinds` again from Xero (forced: a person asked, whatever their intervals say)."""
        report = ReconcileReport(tenant_id)
        asked = [kind for kind in ORDER if kind in set(kinds)]
        if not asked:
            return report
        run = _ReconcileRun(self, tenant_id, asked, forced, report, deadline)
        try:
            run.everything()
        except _StoppedError as stop:
            run.put_off_rest(stop.until, stop.why)
        finally:
            run.finish()
        logger.info(
            "Reconciliation ended",
            extra={"tenant_id": tenant_id, "outcomes": report.outcomes, "pages": report.pages},
        )
        return report


class _ReconcileRun:
    def __init__(  # noqa: PLR0917 - one run's parts, built in one place (SyncReconcile.run)
        self,
        owner: SyncReconcile,
        tenant_id: str,
        asked: list[SyncedKind],
        forced: bool,
        report: ReconcileReport,
        deadline: datetime | None,
    ) -> None:
        self.pull, self.states, self.told, self.tenant_id = owner.pull, owner.states, owner.told, tenant_id
        self.asked, self.forced, self.report, self.deadline = asked, forced, report, deadline
        self.left = list(asked)  # kinds not settled yet
        self.reading: Reading | None = None

    def state(self, kind: SyncedKind) -> ReconcileState:
        return self.states.get(self.tenant_id, kind) or fresh(self.tenant_id, kind, self.pull.clock.now())

    def settle(self, state: ReconcileState, outcome: str) -> None:
        self.states.put(state)
        self.report.outcomes[state.kind.value] = outcome
        if state.kind in self.left:
            self.left.remove(state.kind)

    def put_off_rest(self, until: datetime | None, why: str) -> None:
        self.report.stopped = why
        for kind in list(self.left):
            self.settle(put_off(self.state(kind), until, why), f"put off: {why}")

    def everything(self) -> None:
        pull, now = self.pull, self.pull.clock.now()
        connection = pull.connections.get(self.tenant_id)
        if connection is None or connection.status is not ConnectionStatus.CONNECTED or not connection.xero_tenant_id:
            raise _StoppedError(now + FALLBACK, "not connected")
        settings = pull.settings.get(self.tenant_id) or TenantSyncSettings()
        if not settings.enabled:
            raise _StoppedError(now + FALLBACK, "sync is not enabled for the tenant")
        for kind in list(self.left):
            # Not read at all (sent to Xero only; bank transactions not chosen): no call, and not scheduled
            # again until the settings choose it (usecases/sync_settings.py makes it due then).
            left_out = settings.inbound.left_out(kind)
            if left_out is not None:
                self.settle(put_off(self.state(kind), None, left_out), f"put off: {left_out}")
        if not self.left:
            return
        lease = secrets.token_hex(8)
        if not pull.schedule.acquire(self.tenant_id, lease, now, LEASE):
            raise _StoppedError(now + BUSY_WAIT, "the tenant's push is running")
        try:
            if pull.records.open_batches(self.tenant_id):
                raise _StoppedError(now + BUSY_WAIT, "a call of the push is still open")
            xero = TenantXero(
                self.tenant_id, connection.xero_tenant_id, Priority.RECONCILIATION, pull.custodian, pull.xero
            )
            self.reading = Reading(pull, self.tenant_id, xero, settings, PullReport(self.tenant_id), self.deadline)
            self._read_all(xero, settings, self.reading)
        finally:
            pull.schedule.release(self.tenant_id, lease)

    def _read_all(self, xero: TenantXero, settings: TenantSyncSettings, reading: Reading) -> None:
        now = self.pull.clock.now()
        try:
            references = [kind for kind in self.left if kind in REFERENCE_KINDS]
            if references:
                calls = xero.calls
                before = self.pull.settings.reference(self.tenant_id)
                reference = pull_reference(xero, self.pull.settings, now)
                self.report.pages += 1
                self.report.reference_changes = tell_reference(
                    self.pull, self.tenant_id, reference, settings.inbound, complete=True, before=before
                )
                for index, kind in enumerate(references):
                    state = self.state(kind)
                    if state.last_success is None:
                        # The backfill's count: one refresh reads the three kinds; its calls go to the first.
                        spent = xero.calls - calls if index == 0 else 0
                        state = state.model_copy(update={"backfill": BackfillCount(pages=1, calls=spent)})
                    self.settle(succeeded(state, now, settings.inbound.of(kind)), "read")
            for kind in list(self.left):
                try:
                    self._read_kind(kind, settings, reading)
                except XeroApiError as refused:
                    # A read Xero refuses (a scope the tenant did not grant) is refused again: try at the
                    # next interval, the watermark and page kept.
                    state = self.state(kind)
                    self.settle(
                        put_off(state, self._next_due(state, settings), f"Xero refused: {refused.status}"),
                        f"refused: {refused.status}",
                    )
        except MustWaitError as wait:
            raise _StoppedError(wait.until, f"waiting for Xero's {wait.limit} limit") from None
        except DeadlineReachedError:
            raise _StoppedError(self.pull.clock.now(), "deadline") from None
        except XeroUnavailableError as unavailable:
            raise _StoppedError(self.pull.clock.now() + UNAVAILABLE_WAIT, f"Xero unavailable: {unavailable}") from None
        except (ConnectionRejectedError, ReauthorisationNeededError, NotConnectedError) as rejected:
            raise _StoppedError(now + FALLBACK, f"connection: {rejected}") from None

    def _next_due(self, state: ReconcileState, settings: TenantSyncSettings) -> datetime:
        interval = settings.inbound.of(state.kind).reconcile_interval_minutes
        return self.pull.clock.now() + (timedelta(minutes=interval) if interval is not None else FALLBACK)

    def _read_kind(self, kind: SyncedKind, settings: TenantSyncSettings, reading: Reading) -> None:
        """Read `kind` from its watermark, from the page a stopped run left (or 1) to the last; a wait
        keeps the page being read, to resume there."""
        state, now = self.state(kind), self.pull.clock.now()
        inbound = settings.inbound.of(kind)
        resuming = state.page is not None and state.run_started is not None
        # Items are read whole, never by what changed: a deleted item is only absent (tombstones.py), and
        # GET /Items is one unpaged call either way.
        full = kind is SyncedKind.ITEM
        chosen = plan(kind, inbound, state.last_success, now, forced=self.forced or resuming, full=full)
        if chosen.query is None:
            # Not due yet (its interval was lengthened since it was scheduled): due an interval after the last run.
            base = state.last_success or now
            interval = inbound.reconcile_interval_minutes
            until = base + (timedelta(minutes=interval) if interval is not None else FALLBACK)
            self.settle(put_off(state, until, chosen.reason), f"put off: {chosen.reason}")
            return
        query = chosen.query
        started = state.run_started if resuming and state.run_started is not None else now
        page = state.page if resuming and state.page is not None else 1
        # The first read (no watermark: the backfill) counts what it reads, with each page (backfill.py), and
        # takes from the budget at the backfill's priority, the first to wait: live webhooks go ahead of it.
        counting = state.last_success is None
        reading.reads.xero.priority = BACKFILL_PRIORITY if counting else Priority.RECONCILIATION
        if counting and state.backfill is None:
            state = state.model_copy(update={"backfill": BackfillCount(), "note": "backfill begun"})
            self.states.put(state)
        listed_ids: list[str] = []
        while True:
            params = query.page(page) if query.paged else query.params
            calls = reading.reads.xero.calls
            try:
                listed = reading.reads.listing(query.collection, params, query.if_modified_since)
                elements = listed.elements
                listed_ids += [str(element.get("ItemID") or "") for element in elements if kind is SyncedKind.ITEM]
                self._take_page(kind, query.collection, elements, inbound, reading)
            except (MustWaitError, DeadlineReachedError, XeroUnavailableError) as stopped:
                if isinstance(stopped, MustWaitError):
                    until = stopped.until
                elif isinstance(stopped, XeroUnavailableError):
                    until = self.pull.clock.now() + UNAVAILABLE_WAIT
                else:
                    until = self.pull.clock.now()
                self.settle(waiting(state, started, page, until, "stopped part way"), f"resumable at page {page}")
                raise
            self.report.pages += 1
            self.report.elements += len(elements)
            if counting and state.backfill is not None:
                counted = _counted(state.backfill, listed, reading.reads.xero.calls - calls)
                state = state.model_copy(update={"backfill": counted})
            if not query.paged or query.page_size is None or len(elements) < query.page_size:
                break
            page += 1
            # A crash from here on resumes on the next page when the claim runs out; the count is
            # written with the page, so a page read again after a crash is counted once.
            state = state.model_copy(update={"run_started": started, "page": page})
            self.states.put(state)
        if kind is SyncedKind.ITEM and query.complete:
            self._items_gone(listed_ids, reading)
        self.settle(succeeded(state, started, inbound), "read")

    def _take_page(
        self,
        kind: SyncedKind,
        collection: str,
        elements: list[dict[str, Any]],
        inbound: InboundEntitySettings,
        reading: Reading,
    ) -> None:
        if kind is SyncedKind.BANK_TRANSACTION:
            self._tell(elements, inbound, reading)
        else:
            reading.take_all(collection, elements, 0)

    def _items_gone(self, listed: list[str], reading: Reading) -> None:
        """Take as deleted each item the platform has from Xero that a complete listing no longer holds."""
        records, cursor = self.pull.records, None
        known: dict[str, StoredRecord] = {}
        while True:
            page, cursor = records.listing(self.tenant_id, Entity.ITEM, None, ITEMS_PAGE, cursor)
            known |= {record.xero_id: record for record in page if record.xero_id and not record.deleted}
            if cursor is None:
                break
        now = self.pull.clock.now()
        gone = [gone_item(xero_id, known[xero_id].body, now) for xero_id in items_gone(known, listed, complete=True)]
        if gone:
            reading.take_all("Items", gone, 0)

    def _tell(self, elements: list[dict[str, Any]], inbound: InboundEntitySettings, reading: Reading) -> None:
        """Tell one page of bank transactions; their events go out with the run's others (finish)."""
        changes = tell_bank_transactions(
            self.pull,
            self.told,
            self.tenant_id,
            elements,
            inbound=inbound,
            contact_of=lambda xero_id: reading.platform_id_of(Entity.CONTACT, xero_id),
        )
        reading.taker.events.extend(event_of(change) for change in changes)
        self.report.told_changes += len(changes)

    def finish(self) -> None:
        reading = self.reading
        if reading is None:
            return
        self.report.pull = reading.report
        reading.report.calls = reading.reads.xero.calls
        reading.report.counts = dict(reading.taker.counts)
        if reading.taker.events:
            self.pull.events.publish_many(reading.taker.events)
            metrics.add_metric(name="ChangesFromXero", unit=MetricUnit.Count, value=len(reading.taker.events))
        metrics.add_metric(name="ReconciliationPages", unit=MetricUnit.Count, value=self.report.pages)


def _counted(count: BackfillCount, listed: ListedPage, calls: int) -> BackfillCount:
    """The backfill's count with one more page: its records, the calls it took, Xero's totals."""
    return count.model_copy(
        update={
            "records": count.records + len(listed.elements),
            "pages": count.pages + 1,
            "calls": count.calls + calls,
            "total": listed.item_count if listed.item_count is not None else count.total,
            "page_count": listed.page_count if listed.page_count is not None else count.page_count,
        }
    )
