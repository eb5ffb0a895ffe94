"""The theoretical minimums the sync from Xero's figures are reported beside (bench/sync_pull.py).

- Import (a connect's first read, every kind from scratch): one call per page of 1,000 for each paged
  kind, ceil(n / 1000) and at least one (an empty kind still takes one call to learn it is empty), one
  call for each kind read whole (items), and the reference reads (organisation, accounts, tax rates,
  tracking categories). Its time: those calls at reconciliation's allowance of the minute limit, the
  first minute's at once.
- Webhook fetches: the distinct records announced, 50 ids a call (coalesce.py), per collection.
- Idle tenant: one call per kind per interval (settings.py DEFAULTS); the kinds read "when they change"
  (accounts, tax rates, tracking categories) are read once a day at least (reconcile_state.py FALLBACK),
  one call each.
- Edit to event: the simulator's webhook batch window (the first event of a batch waits that long
  before Xero sends it); everything after it (the webhook function, the queue, the worker's fetch,
  the bus) is taken as free.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from shared.domain.inbound.queries import PAGE_SIZE, READS
from shared.domain.inbound.reconcile import SOURCES
from shared.domain.inbound.reconcile_state import FALLBACK, REFERENCE_KINDS
from shared.domain.inbound.settings import DEFAULTS, SyncedKind
from shared.domain.rate_limits import HEADROOM, Limits, Priority

XERO_PER_MINUTE = Limits().per_minute
APP_PER_MINUTE = Limits().app_per_minute
RECONCILIATION_PER_MINUTE = XERO_PER_MINUTE - HEADROOM[Priority.RECONCILIATION].minute
REFERENCE_READS = ("GET /Organisation", "GET /Accounts", "GET /TaxRates", "GET /TrackingCategories")
IDS_PER_FETCH = 50


def import_minimum(held: Mapping[SyncedKind, int]) -> dict[str, int]:
    """The fewest calls that read every kind from scratch, by endpoint, given what Xero holds of each."""
    calls = dict.fromkeys(REFERENCE_READS, 1)
    for kind, (collection, _) in SOURCES.items():
        if kind in REFERENCE_KINDS:
            continue
        pages = max(1, math.ceil(held.get(kind, 0) / PAGE_SIZE)) if READS[collection].paged else 1
        endpoint = f"GET /{collection}"
        calls[endpoint] = calls.get(endpoint, 0) + pages
    return calls


def earliest_last_call(calls: int, per_minute: int) -> int:
    """Simulated minutes before the last of `calls` may start: `per_minute` in any minute, the first at once."""
    return (calls - 1) // per_minute if calls else 0


def fetch_minimum(records: int) -> int:
    return math.ceil(records / IDS_PER_FETCH)


def idle_minimum_per_hour() -> float:
    """One call per kind per interval, an hour's worth."""
    per_hour = 0.0
    for settings in DEFAULTS.values():
        if not settings.from_xero:
            continue
        interval = settings.reconcile_interval_minutes
        minutes = interval if interval is not None else FALLBACK.total_seconds() / 60
        per_hour += 60 / minutes
    return round(per_hour, 3)


def tenants_served(calls_per_hour: float) -> int:
    """Idle tenants one app serves within its per-minute limit across all tenants."""
    return math.floor(APP_PER_MINUTE / (calls_per_hour / 60)) if calls_per_hour else 0
