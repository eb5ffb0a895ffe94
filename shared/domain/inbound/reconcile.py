"""Reconciliation: when a kind of record is due to be read again from Xero, and what to ask for
(issue 5, §2). It catches what webhooks miss and covers what Xero sends no webhooks for.

Due: on the kind's interval (settings.py) after the start of its last successful reconciliation;
always when it never succeeded (the first read is a full one) or a person triggered a sync. Kinds
read "when they change" (no interval: accounts, tax rates, tracking categories) are due when
something signals a change: a fetched record names an account, tax type or option the stored
reference data lacks, Xero refuses a write over one, or the tenant triggers it.

If-Modified-Since: the start of the last successful run, less an overlap of 5 minutes, to the
second. The overlap covers three ways a record can change before that instant and still not have
been seen by that run:
- Xero compares If-Modified-Since to the second (FACTS.md §4.3): a record changed in the same
  second as the header is left out;
- Xero stamps UpdatedDateUTC when a write starts; a write that took a while to commit, or to reach
  the servers answering lists, shows up only after a run that started later than its stamp;
- our clock (the run's start) and Xero's (the stamps) are not the same clock.
Five minutes is far more than any of these (seconds) and costs little: the records changed in the
last five minutes are read twice, and reading a record twice changes nothing (echo.py,
conflicts.py). The watermark moves only when a run succeeds to its last page, to that run's start:
a run that fails part way is run again from the same watermark.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from shared.domain.inbound.queries import PAGE_SIZE, READS
from shared.domain.inbound.settings import InboundEntitySettings, SyncedKind

OVERLAP = timedelta(minutes=5)

# The collection each kind is read from, and the filter that picks it there.
SOURCES: dict[SyncedKind, tuple[str, str | None]] = {
    SyncedKind.CONTACT: ("Contacts", None),
    SyncedKind.ITEM: ("Items", None),
    SyncedKind.INVOICE: ("Invoices", 'Type=="ACCREC"'),
    SyncedKind.BILL: ("Invoices", 'Type=="ACCPAY"'),
    SyncedKind.CREDIT_NOTE: ("CreditNotes", None),
    SyncedKind.PAYMENT: ("Payments", None),
    SyncedKind.ACCOUNT: ("Accounts", None),
    SyncedKind.TAX_RATE: ("TaxRates", None),
    SyncedKind.TRACKING_CATEGORY: ("TrackingCategories", None),
    SyncedKind.BANK_TRANSACTION: ("BankTransactions", None),
}
_DATED = frozenset(
    {SyncedKind.INVOICE, SyncedKind.BILL, SyncedKind.CREDIT_NOTE, SyncedKind.PAYMENT, SyncedKind.BANK_TRANSACTION}
)


class ReconcileQuery(BaseModel):
    """The GET that reads a kind: its collection, query and If-Modified-Since (None: everything).

    A paged query is read from page 1 until a page holds fewer than `page_size` records.
    """

    model_config = ConfigDict(frozen=True)

    collection: str
    params: dict[str, str]
    if_modified_since: datetime | None
    paged: bool
    page_size: int | None

    @property
    def complete(self) -> bool:
        """Whether the read lists every record of the collection: what proves an item deleted
        (tombstones.items_gone)."""
        return self.if_modified_since is None and "where" not in self.params

    def header(self) -> dict[str, str]:
        """The If-Modified-Since header, in the ISO form of Xero's own example (2020-02-06T12:17:43-08:00)."""
        if self.if_modified_since is None:
            return {}
        return {"If-Modified-Since": self.if_modified_since.isoformat()}

    def page(self, number: int) -> dict[str, str]:
        """The query of page `number` (1-based) of a paged read."""
        if not self.paged:
            raise ValueError(f"{self.collection} are read in one call")
        return {**self.params, "page": str(number)}


class ReconcilePlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: SyncedKind
    due: bool
    reason: str
    query: ReconcileQuery | None  # None when not due


def if_modified_since(last_success: datetime | None, overlap: timedelta = OVERLAP) -> datetime | None:
    """What to send as If-Modified-Since after a run that started at `last_success`: that instant
    less the overlap, down to the second (Xero compares to the second). None: read everything."""
    if last_success is None:
        return None
    return (last_success - overlap).replace(microsecond=0)


def is_due(
    settings: InboundEntitySettings,
    last_success: datetime | None,
    now: datetime,
    *,
    signalled: bool = False,
    forced: bool = False,
) -> tuple[bool, str]:
    """Whether a kind is due at `now`, and why (or why not)."""
    if not settings.from_xero:
        return False, "The tenant's settings send it to Xero only."
    if forced:
        return True, "A sync was triggered."
    if last_success is None:
        return True, "It was never read from Xero."
    interval = settings.reconcile_interval_minutes
    if interval is None:
        return (True, "A change was signalled.") if signalled else (False, "It is read when it changes.")
    due_at = last_success + timedelta(minutes=interval)
    if now >= due_at:
        return True, f"Its interval of {interval} minutes has passed."
    return False, f"It is next due at {due_at.isoformat()}."


def _where(kind: SyncedKind, settings: InboundEntitySettings) -> str | None:
    clauses = [clause for clause in (SOURCES[kind][1],) if clause]
    since = settings.since
    if since is not None and kind in _DATED:
        clauses.append(f"Date>=DateTime({since.year},{since.month:02d},{since.day:02d})")
    return " AND ".join(clauses) or None


def plan(
    kind: SyncedKind,
    settings: InboundEntitySettings,
    last_success: datetime | None,
    now: datetime,
    *,
    signalled: bool = False,
    forced: bool = False,
    full: bool = False,
) -> ReconcilePlan:
    """The reconciliation of `kind` at `now`, given the start of its last successful run.

    A forced run still reads only what changed since the watermark: a trigger asks for news. `full`
    reads everything: after a reset, or for items, whose deletions only a complete listing shows.
    """
    due, reason = is_due(settings, last_success, now, signalled=signalled, forced=forced)
    if not due:
        return ReconcilePlan(kind=kind, due=False, reason=reason, query=None)
    collection = SOURCES[kind][0]
    read = READS[collection]
    params = dict(read.params)
    where = _where(kind, settings)
    if where is not None:
        params["where"] = where
    if read.paged:
        params |= {"page": "1", "pageSize": str(PAGE_SIZE)}
    query = ReconcileQuery(
        collection=collection,
        params=params,
        if_modified_since=if_modified_since(last_success) if read.if_modified_since and not full else None,
        paged=read.paged,
        page_size=PAGE_SIZE if read.paged else None,
    )
    return ReconcilePlan(kind=kind, due=True, reason=reason, query=query)
