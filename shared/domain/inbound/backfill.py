"""The initial sync's progress from Xero (issue 5, §4): per kind, what the first read has read, out of
how much, and when the whole backfill should end.

Connecting starts the backfill: every kind the tenant takes from Xero is due at once with no
watermark, so its first reconciliation reads everything (shared/usecases/pull/reconcile.py), page by
page, resuming on its page after a wait or a crash. That first read counts what it read in its
state (reconcile_state.BackfillCount); this module reads those counts as progress:

- per kind: `waiting` (not begun), `running` (pages read, not the last; a wait or a crash keeps it
  running), `done` (read to its last page: it has a watermark), or `skipped` (the tenant sends it to
  Xero only, or did not choose to bring bank transactions: settings.py NOT_CHOSEN); records read,
  their total (Xero's pagination `itemCount`, known after the first page of a paged kind), pages
  read and Xero's `pageCount`, and the calls made;
- the calls left: for each kind not done, its pages not read (pageCount less pages read, at least
  one: the last page of a count that is an exact multiple of the page size is an empty one), one
  page when the count is not known yet (a kind not begun, or read in one call), and one refresh
  (REFERENCE_CALLS) for the reference data if any of its kinds is not done. A lower bound: taking a
  page can read more (a contact an invoice names that is not on the platform yet);
- the estimate (`estimate_seconds`): the calls left at the pace the rate budget lets
  the backfill go (Xero's 60 a minute less its reserve, rate_limits.HEADROOM), while they fit in
  what is left of its day's allowance; past that, a whole day for each further day's allowance
  (the day window frees calls as they turn 24 hours old). It leaves out Xero's own response time,
  the budget other work takes meanwhile, and the worker's schedule: an estimate, not a promise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.domain.inbound.reconcile import SOURCES
from shared.domain.inbound.reconcile_state import REFERENCE_KINDS, ReconcileState
from shared.domain.inbound.settings import InboundSettings, SyncedKind
from shared.domain.rate_limits import (
    DAY_SECONDS,
    HEADROOM,
    MINUTE_SECONDS,
    Limits,
    Priority,
    TenantUsage,
    calls_today,
    day_left,
)

# The priority the backfill's reads take from the budget (reconcile.py reads a kind's first read at it).
BACKFILL_PRIORITY = Priority.BACKFILL
# One refresh of the reference data (accounts, tax rates, tracking categories): push/reference.py.
REFERENCE_CALLS = 4
# The order kinds are read in (as reconcile.py): the reference data first, then the sources' order.
KIND_ORDER = [kind for kind in SOURCES if kind in REFERENCE_KINDS] + [
    kind for kind in SOURCES if kind not in REFERENCE_KINDS
]


class KindPhase(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    DONE = "done"
    SKIPPED = "skipped"


class KindProgress(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: SyncedKind
    phase: KindPhase
    records: int = 0
    total: int | None = None
    pages: int = 0
    page_count: int | None = None
    calls: int = 0
    note: str = ""


class BackfillProgress(BaseModel):
    model_config = ConfigDict(frozen=True)

    kinds: list[KindProgress]
    done: bool  # every kind taken from Xero read to its last page
    calls: int  # Xero calls the backfill made so far
    calls_left: int  # at least this many more (see the module's docstring)
    day_calls_used: int  # the tenant's calls counted in the day window now, whatever made them
    day_calls_left: int  # of Xero's daily limit (5,000)
    backfill_day_calls_left: int  # of the part of it reconciliation may use (its reserve kept)
    estimated_seconds: float | None  # None when done


def kind_progress(kind: SyncedKind, state: ReconcileState | None, settings: InboundSettings) -> KindProgress:
    """Where the first read of `kind` stands, from its reconciliation state."""
    left_out = settings.left_out(kind)
    if left_out is not None:
        return KindProgress(kind=kind, phase=KindPhase.SKIPPED, note=left_out)
    if state is None:
        return KindProgress(kind=kind, phase=KindPhase.WAITING, note="not begun")
    count = state.backfill
    if state.last_success is not None:
        phase = KindPhase.DONE
    elif count is not None and (count.pages > 0 or state.page is not None):
        phase = KindPhase.RUNNING
    else:
        phase = KindPhase.WAITING
    if count is None:
        return KindProgress(kind=kind, phase=phase, note=state.note)
    return KindProgress(
        kind=kind,
        phase=phase,
        records=count.records,
        total=count.total,
        pages=count.pages,
        page_count=count.page_count,
        calls=count.calls,
        note=state.note,
    )


def calls_left(kinds: Iterable[KindProgress]) -> int:
    """The Xero calls the kinds not done still need, at least (see the module's docstring)."""
    left, references = 0, False
    for kind in kinds:
        if kind.phase in {KindPhase.DONE, KindPhase.SKIPPED}:
            continue
        if kind.kind in REFERENCE_KINDS:
            references = True
        elif kind.page_count is None:
            left += 1
        else:
            left += max(kind.page_count - kind.pages, 1)
    return left + (REFERENCE_CALLS if references else 0)


def estimate_seconds(calls: int, day_calls_left: int, limits: Limits, priority: Priority = BACKFILL_PRIORITY) -> float:
    """How long `calls` more calls of `priority` take when `day_calls_left` of its day's allowance are
    left: at its minute pace while they fit, then a day for each further day's allowance."""
    reserve = HEADROOM[priority]
    per_minute = limits.per_minute - reserve.minute
    per_day = limits.per_day - reserve.day
    if calls <= 0:
        return 0.0
    today = min(calls, max(day_calls_left, 0))
    beyond = calls - today
    return today * MINUTE_SECONDS / per_minute + beyond / per_day * DAY_SECONDS


def backfill_progress(
    states: Iterable[ReconcileState],
    settings: InboundSettings,
    usage: TenantUsage,
    now: datetime,
    limits: Limits,
) -> BackfillProgress:
    """The tenant's backfill from its reconciliation states and its rate budget's usage at `now`."""
    by_kind: Mapping[SyncedKind, ReconcileState] = {state.kind: state for state in states}
    kinds = [kind_progress(kind, by_kind.get(kind), settings) for kind in KIND_ORDER]
    done = all(kind.phase in {KindPhase.DONE, KindPhase.SKIPPED} for kind in kinds)
    left = calls_left(kinds)
    used = calls_today(usage, now, limits)
    allowance = day_left(usage, BACKFILL_PRIORITY, now, limits)
    return BackfillProgress(
        kinds=kinds,
        done=done,
        calls=sum(kind.calls for kind in kinds),
        calls_left=left,
        day_calls_used=used,
        day_calls_left=max(0, limits.per_day - used),
        backfill_day_calls_left=allowance,
        estimated_seconds=None if done else estimate_seconds(left, allowance, limits),
    )
