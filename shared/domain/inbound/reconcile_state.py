"""Where a tenant's reconciliation of one kind stands (issue 5, §2): the watermark, when it is next due,
and the page a run that had to wait stopped on.

One state per tenant and kind. The scheduled function reads only the states whose `due_at` has come
(one index partition of every tenant's due instants, as the push's deferrals), so it never scans the
tenants' records. How each step moves the state:
- enqueued: `due_at` moves CLAIM ahead, so a request waiting in the queue is not enqueued again
  every minute, and one lost (the worker died) is enqueued again after CLAIM;
- a run that must wait (the budget, a 429, the deadline) keeps the page it was on and the instant
  its run started, and is due again when the wait ends: it resumes on that page, and the watermark
  it sets at the end is the start of the first part (what changed during the wait is read by the
  next run, inside the overlap or after it);
- the first read of a kind (no watermark yet: the backfill a connection starts, issue 5 §4) also
  counts what it read in `backfill`, page by page with the page itself, so a crash's resumption and
  the count agree (shared/domain/inbound/backfill.py reads it as progress);
- a run read to its last page: `last_success` becomes the run's start, the page is forgotten, and it
  is next due an interval later. Kinds read "when they change" (no interval) are next due
  FALLBACK later: the reference data is refreshed daily anyway (push/reference.py REFERENCE_TTL).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from shared.domain.inbound.settings import InboundEntitySettings, SyncedKind

# How long an enqueued reconciliation is left to the worker before it is enqueued again.
CLAIM = timedelta(minutes=15)
# When a kind with no interval (accounts, tax rates, tracking categories) is read again anyway.
FALLBACK = timedelta(hours=24)
# The kinds read as the tenant's reference data: one refresh (four calls) reads all three.
REFERENCE_KINDS = frozenset({SyncedKind.ACCOUNT, SyncedKind.TAX_RATE, SyncedKind.TRACKING_CATEGORY})


class BackfillCount(BaseModel):
    """What the first read of a kind has read so far: kept with the state, written with each page."""

    model_config = ConfigDict(frozen=True)

    records: int = 0  # elements Xero listed on the pages read
    pages: int = 0  # pages read (a kind read in one call: 1 once read)
    calls: int = 0  # Xero calls made for them (the listings and what taking them read)
    total: int | None = None  # Xero's pagination itemCount, once a page has answered it
    page_count: int | None = None  # Xero's pagination pageCount, likewise


class ReconcileState(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant_id: str
    kind: SyncedKind
    last_success: datetime | None = None  # the start of the last run read to its last page
    due_at: datetime | None = None  # None: not scheduled (the scheduled function never sees it)
    run_started: datetime | None = None  # the start of a run stopped part way, when one is
    page: int | None = None  # the page that run stopped on, read first when it resumes
    note: str = ""  # why it is due when it is (the last step's reason)
    backfill: BackfillCount | None = None  # the first read's count (None: not begun)


def fresh(tenant_id: str, kind: SyncedKind, now: datetime) -> ReconcileState:
    """A kind never reconciled: due at once (the first read is a full one)."""
    return ReconcileState(tenant_id=tenant_id, kind=kind, due_at=now, note="never read from Xero")


def enqueued(state: ReconcileState, now: datetime) -> ReconcileState:
    return state.model_copy(update={"due_at": now + CLAIM, "note": "enqueued"})


def waiting(state: ReconcileState, started: datetime, page: int, until: datetime, why: str) -> ReconcileState:
    """A run stopped on `page` (1-based), to resume at `until` from there."""
    return state.model_copy(update={"run_started": started, "page": page, "due_at": until, "note": why})


def succeeded(state: ReconcileState, started: datetime, settings: InboundEntitySettings) -> ReconcileState:
    """A run that started at `started` read to its last page: the watermark moves to its start."""
    interval = settings.reconcile_interval_minutes
    next_in = timedelta(minutes=interval) if interval is not None else FALLBACK
    return state.model_copy(
        update={
            "last_success": started,
            "run_started": None,
            "page": None,
            "due_at": started + next_in,
            "note": "read to its last page",
        }
    )


def put_off(state: ReconcileState, until: datetime | None, why: str) -> ReconcileState:
    """Not run now (not due, not connected, sync off, the lease held): next due at `until` (None: never
    by schedule), the watermark and any page kept."""
    return state.model_copy(update={"due_at": until, "note": why})


def with_interval(state: ReconcileState, interval_minutes: int | None, now: datetime) -> ReconcileState | None:
    """`state` due sooner when its kind's interval was shortened: an interval counts from the last run,
    not from when the longer one put the next; None when nothing moves (never read, a run stopped part
    way, not scheduled, or not sooner)."""
    if interval_minutes is None or state.last_success is None or state.due_at is None or state.page is not None:
        return None
    sooner = max(state.last_success + timedelta(minutes=interval_minutes), now)
    return put_off(state, sooner, "interval shortened") if sooner < state.due_at else None
