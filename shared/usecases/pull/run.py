"""The sync from Xero for one tenant: the change notices of its webhooks in; its records, change feed
and events out (issue 5, §1 and §3).

A run takes the notices a batch of the work queue brought and the kept fetches now due
(shared/domain/inbound/pending.py), folds them into the fewest reads (coalesce.py: contacts, then
invoices and bills, then credit notes, 50 ids a call), reads them through the rate budget at
webhook priority, and takes each record Xero answered (taking.py). What a record waits for (its
contact, the invoice a payment pays) is read and taken first; the payments Xero lists on an
invoice that the platform does not know are read and taken after it, as receipts.

A notice whose event is no newer than the version the ledger already holds (Xero's stamp of our
own write, or of a version already read) is let go unread: every write of the push comes back so.

It holds the tenant's push lease throughout, so the push and the sync from Xero never write the
tenant's records at once; and it does nothing while a call of a push is still open (a crash between
Xero's write and the ledger's): the record Xero created would look new, and be created twice.

Nothing is lost on the way. What cannot be read now (the budget says wait, Xero answers 429 or keeps
failing, the lease is held, the deadline came) is kept with the instant to try again, and the
tenant is deferred to it (the scheduled function then nudges it); an id Xero answered without is
kept and asked for again later, a few times (never a deletion). The messages themselves are
acknowledged: a message that waits by failing would reach the dead-letter queue long before a
daily limit resets (docs/decisions.md). A failure nobody expected is raised, and the worker sends
the tenant's messages back to the queue.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from aws_lambda_powertools.metrics import MetricUnit

from shared.clock import Clock
from shared.domain.connections import ConnectionStatus
from shared.domain.inbound.coalesce import CATEGORY_COLLECTIONS, Coalesced, coalesce
from shared.domain.inbound.echo import is_echo
from shared.domain.inbound.instants import xero_instant
from shared.domain.inbound.pending import PendingFetch, after_not_found, pending_key, waiting
from shared.domain.rate_limits import Priority
from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings
from shared.domain.webhook_events import ChangeNotice
from shared.observability import logger, metrics, tracer
from shared.ports.change_feed import ChangeFeed, PendingFetches
from shared.ports.event_bus import EventBus
from shared.ports.records import RecordStore, SyncSchedule, SyncSettingsStore
from shared.ports.state import ConnectionRepository
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import XeroUnavailableError
from shared.usecases.pull.fetching import DeadlineReachedError
from shared.usecases.pull.reading import Reading
from shared.usecases.pull.report import PullReport
from shared.usecases.push.run import LEASE, SyncPush
from shared.usecases.push.tenant_xero import ConnectionRejectedError, TenantXero
from shared.usecases.rate_budgeted_xero import MustWaitError, RateBudgetedXero
from shared.usecases.token_custody import NotConnectedError, ReauthorisationNeededError, TokenCustodian

BUSY = "the tenant's push is running"
# Xero failing five times in a row (a 5xx, a maintenance page): try again in a minute, as the push does.
UNAVAILABLE_WAIT = timedelta(seconds=60)
# The platform entities a notice's category may name (INVOICE: a sales invoice or a bill).
CATEGORY_ENTITIES: dict[str, tuple[Entity, ...]] = {
    "CONTACT": (Entity.CONTACT,),
    "INVOICE": (Entity.INVOICE, Entity.BILL),
    "CREDITNOTE": (Entity.CREDIT_NOTE,),
}


@dataclass(frozen=True)
class SyncPull:
    records: RecordStore
    settings: SyncSettingsStore
    schedule: SyncSchedule
    connections: ConnectionRepository
    custodian: TokenCustodian
    xero: RateBudgetedXero
    feed: ChangeFeed
    pending: PendingFetches
    events: EventBus
    clock: Clock

    @classmethod
    def beside(
        cls, push: SyncPush, feed: ChangeFeed, pending: PendingFetches, *, events: EventBus | None = None
    ) -> SyncPull:
        """The pull that shares `push`'s records, settings, schedule, connections, custodian, rate budget
        and clock, so both directions take from one budget and one lease; on `push`'s bus unless `events`."""
        return cls(
            records=push.records,
            settings=push.settings,
            schedule=push.schedule,
            connections=push.connections,
            custodian=push.custodian,
            xero=push.xero,
            feed=feed,
            pending=pending,
            events=events or push.events,
            clock=push.clock,
        )

    @tracer.capture_method(capture_response=False)
    def run(self, tenant_id: str, notices: Sequence[ChangeNotice], *, deadline: datetime | None = None) -> PullReport:
        """Take the changes `notices` announce (the tenant's own) and the kept fetches now due."""
        report = PullReport(tenant_id)
        now = self.clock.now()
        kept = {fetch.key: fetch for fetch in self.pending.listing(tenant_id)}
        wanted = [notice for notice in notices if notice.tenant_id == tenant_id]
        wanted += [fetch.notice for fetch in kept.values() if fetch.due(now)]
        if not wanted:
            defer_to_first(self.schedule, tenant_id, kept.values(), report)
            return report
        report.notices = len(wanted)
        run = _PullRun(self, tenant_id, wanted, kept, report, deadline)
        try:
            run.everything()
        finally:
            run.finish()
        logger.info(
            "Pull ended",
            extra={
                "tenant_id": tenant_id,
                "calls": report.calls,
                "fetched": report.fetched,
                "echoes": report.echoes,
                "kept": report.kept,
                "stopped": report.stopped,
            },
        )
        return report


def _event_instant(notice: ChangeNotice) -> datetime | None:
    """The notice's event instant to the millisecond: UpdatedDateUTC, which it is compared with, has no
    finer grain, while eventDateUtc may carry seven digits ("18:46:19.5165400")."""
    try:
        at = xero_instant(notice.event_date_utc)
    except ValueError:
        return None  # unreadable: never taken for an echo
    return at.replace(microsecond=at.microsecond // 1000 * 1000) if at is not None else None


def defer_to_first(schedule: SyncSchedule, tenant_id: str, kept: Iterable[PendingFetch], report: PullReport) -> None:
    """Have the scheduled function nudge the tenant when its first kept fetch is due, unless an earlier
    nudge is planned (a tenant has one deferral, which the push's and ours share)."""
    first = min((fetch.retry_at for fetch in kept), default=None)
    if first is None:
        return
    planned = schedule.deferred_until(tenant_id)
    if planned is None or first < planned[0]:
        schedule.defer(tenant_id, first, "changes from Xero to fetch again")
    report.deferred_until = first


class _PullRun:
    """One run's working state: what it was asked for, what is done, and what is kept for later."""

    def __init__(  # noqa: PLR0917 - one run's parts, built in one place (SyncPull.run)
        self,
        pull: SyncPull,
        tenant_id: str,
        wanted: list[ChangeNotice],
        kept: dict[str, PendingFetch],
        report: PullReport,
        deadline: datetime | None,
    ) -> None:
        self.pull, self.tenant_id, self.kept, self.report, self.deadline = pull, tenant_id, kept, report, deadline
        self.notices = {pending_key(notice): notice for notice in wanted}
        # The latest event of each record among the notices (None when one cannot be read): what decides
        # whether anything newer than the ledger's version was announced.
        self.latest: dict[str, datetime | None] = {}
        for notice in wanted:
            key, at = pending_key(notice), _event_instant(notice)
            if key in self.latest:
                known = self.latest[key]
                at = None if at is None or known is None else max(at, known)
            self.latest[key] = at
        self.done: set[str] = set()  # keys read (or dropped): nothing to keep
        self.later: dict[str, PendingFetch] = {}  # keys kept for a later run
        self.reading: Reading | None = None

    def everything(self) -> None:
        pull = self.pull
        connection = pull.connections.get(self.tenant_id)
        if connection is None or connection.status is not ConnectionStatus.CONNECTED or not connection.xero_tenant_id:
            # Nothing can be read; a reconnection's reconciliation reads what these announced.
            self._drop_all("not connected")
            return
        for key, notice in self.notices.items():
            if notice.xero_tenant_id != connection.xero_tenant_id:
                self.done.add(key)  # another organisation's: the tenant has connected a different one since
        settings = pull.settings.get(self.tenant_id) or TenantSyncSettings()
        if not settings.enabled:
            self._drop_all("sync is not enabled for the tenant")
            return
        coalesced = coalesce(notice for key, notice in self.notices.items() if key not in self.done)
        self._count_unknown(coalesced)
        owner = secrets.token_hex(8)
        if not pull.schedule.acquire(self.tenant_id, owner, pull.clock.now(), LEASE):
            # Due at once: the worker whose push holds the lease runs a pull for the tenant when the push
            # ends; the deferral covers a lease held by an export or by another pull.
            self._keep_rest(pull.clock.now(), BUSY)
            return
        try:
            if pull.records.open_batches(self.tenant_id):
                # The push resumes its open call first, when its own deferral ends (or at the next nudge).
                planned = pull.schedule.deferred_until(self.tenant_id)
                self._keep_rest(planned[0] if planned else pull.clock.now(), "a call of the push is still open")
                return
            coalesced = self._without_echoes(coalesced)
            xero = TenantXero(
                self.tenant_id, connection.xero_tenant_id, Priority.WEBHOOK_FETCH, pull.custodian, pull.xero
            )
            self.reading = Reading(pull, self.tenant_id, xero, settings, self.report, self.deadline)
            self._read(coalesced, self.reading)
        finally:
            pull.schedule.release(self.tenant_id, owner)

    def _without_echoes(self, coalesced: Coalesced) -> Coalesced:
        """The fetches left once the notices of changes the ledger already holds are let go: an event
        dated no later than Xero's stamp of the version xero-sync last wrote or read announces that
        version (our own write's echo, or a change already read), so reading it would cost a call to
        learn nothing. Every write the push makes comes back this way."""
        records = self.pull.records
        wanted: list[ChangeNotice] = []
        for group in coalesced.fetches:
            for xero_id in group.ids:
                key = f"{group.category}#{xero_id}"
                notice = self.notices[key]
                held = [
                    records.find_by_xero_id(self.tenant_id, entity, xero_id)
                    for entity in CATEGORY_ENTITIES[group.category]
                ]
                seen_at = next((record.xero_updated_at for record in held if record is not None), None)
                if is_echo(self.latest.get(key), seen_at):
                    self.done.add(key)
                    self.report.echoes += 1
                else:
                    wanted.append(notice)
        return coalesce(wanted)

    def _read(self, coalesced: Coalesced, reading: Reading) -> None:
        try:
            for group in coalesced.fetches:
                keys = [f"{group.category}#{xero_id}" for xero_id in group.ids]
                try:
                    answer = reading.reads.by_ids(group.collection, group.ids)
                    self.report.fetched += len(answer.found)
                    reading.take_all(group.collection, list(answer.found.values()), 0)
                except XeroApiError as refused:
                    # A read Xero refuses (a scope the tenant did not grant: the reference data, payments)
                    # is refused again: let the group go; reconciliation or a reconnection covers it.
                    logger.warning("Xero refused a read", extra={"tenant_id": self.tenant_id, "status": refused.status})
                    self.done.update(keys)
                    continue
                for xero_id in answer.not_found:
                    self._not_found(f"{group.category}#{xero_id}")
                self.done.update(key for key, xero_id in zip(keys, group.ids, strict=True) if xero_id in answer.found)
        except MustWaitError as wait:
            self._keep_rest(wait.until, f"waiting for Xero's {wait.limit} limit")
        except DeadlineReachedError:
            self._keep_rest(self.pull.clock.now(), "deadline")
        except (ConnectionRejectedError, ReauthorisationNeededError, NotConnectedError) as rejected:
            self._drop_all(f"connection: {rejected}")
        except XeroUnavailableError as unavailable:
            self._keep_rest(self.pull.clock.now() + UNAVAILABLE_WAIT, f"Xero unavailable: {unavailable}")

    def _not_found(self, key: str) -> None:
        self.report.not_found += 1
        notice = self.notices.get(key)
        if notice is None:
            return
        again = after_not_found(notice, self.kept.get(key), self.pull.clock.now())
        if again is None:
            # Every try spent: reconciliation settles it (never a deletion).
            logger.warning("A record Xero never answered was given up", extra={"tenant_id": self.tenant_id})
            self.done.add(key)
        else:
            self.later[key] = again

    def _keep_rest(self, until: datetime, reason: str) -> None:
        """Keep every notice not read yet, to be read at `until`."""
        self.report.stopped = reason
        for key, notice in self.notices.items():
            if key not in self.done and key not in self.later and key.split("#", 1)[0] in CATEGORY_COLLECTIONS:
                self.later[key] = waiting(notice, self.kept.get(key), until, reason)

    def _drop_all(self, reason: str) -> None:
        self.report.stopped = reason
        self.done.update(self.notices)
        logger.info("Change notices dropped", extra={"tenant_id": self.tenant_id, "reason": reason})

    def _count_unknown(self, coalesced: Coalesced) -> None:
        self.report.unknown = dict(coalesced.unknown_counts)
        for notice in coalesced.unknown:
            self.done.add(pending_key(notice))  # kept and counted by the worker; reconciliation covers them
        unknown = sum(coalesced.unknown_counts.values())
        if unknown:
            metrics.add_metric(name="ChangeNoticesOfUnknownCategory", unit=MetricUnit.Count, value=unknown)

    def finish(self) -> None:
        """Keep what is left, forget what is done, defer the tenant to the first kept fetch, and
        tell the platform."""
        pull, report = self.pull, self.report
        taker = self.reading.taker if self.reading is not None else None
        if self.reading is not None:
            report.calls = self.reading.reads.xero.calls
        if taker is not None:
            report.counts = dict(taker.counts)
        if self.later:
            pull.pending.keep(self.tenant_id, self.later.values())
        # Only what is done is forgotten: after a failure nobody expected, the rest stays kept.
        finished = [key for key in self.kept if key in self.done and key not in self.later]
        if finished:
            pull.pending.drop(self.tenant_id, finished)
        report.kept = len(self.later)
        remaining = {key: fetch for key, fetch in self.kept.items() if key not in finished} | self.later
        defer_to_first(pull.schedule, self.tenant_id, remaining.values(), report)
        if taker is not None and taker.events:
            report.told = len(taker.events)
            pull.events.publish_many(taker.events)
            metrics.add_metric(name="ChangesFromXero", unit=MetricUnit.Count, value=len(taker.events))
        metrics.add_metric(name="XeroRecordsFetched", unit=MetricUnit.Count, value=report.fetched)
