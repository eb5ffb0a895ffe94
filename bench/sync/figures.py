"""A scenario's figures, each beside its theoretical minimum (or its ideal).

- Xero calls per record pushed. The minimum sends every collection in full batches of 50
  (FACTS.md §4.4), one call per allocation (a credit note's allocation is a call of its own,
  §4.9) and the fixed reads: the organisation, accounts, tax rates and tracking categories (the
  reference data) and one page of the tenant's contacts (matched before any is created). Keyed by
  endpoint as the push calls them, so each line of the measured count has its minimum beside it.
- 429s received: the minimum is none; the budget is taken before each call.
- The share of the per-minute limit used: calls per simulated minute over the tenant's push,
  against Xero's 60 and against the 48 that a backfill may use (shared/domain/rate_limits.py
  HEADROOM); the busiest 60 s beside them.
- Simulated time to finish: the minimum calls at the backfill's 48 a minute. With at most 48 in
  any minute and the first 48 at once, the last call may start after (calls - 1) // 48 minutes:
  that is the minimum (calls / 48, the steady rate, is reported beside it); it leaves out the
  time calls take, which the measured figure includes.
- Fairness: Jain's index of the tenants' throughputs (records a simulated minute; 1.0 is
  equal shares, 1/n is one tenant taking everything) and the ratio of the first finish to the last.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.sync.books import Books
from bench.sync.call_log import LoggedCall
from bench.sync.driver import TenantRun
from shared.domain.rate_limits import HEADROOM, Limits, Priority
from shared.domain.records import Entity
from shared.usecases.push.run import BATCH_SIZE

XERO_PER_MINUTE = Limits().per_minute
BACKFILL_PER_MINUTE = XERO_PER_MINUTE - HEADROOM[Priority.BACKFILL].minute
MINUTE = 60.0
REFERENCE_READS = ("GET /Organisation", "GET /Accounts", "GET /TaxRates", "GET /TrackingCategories")


def minimum_calls(books: Books) -> dict[str, int]:
    """The fewest calls that put `books` into a Xero organisation that holds none of it yet, by endpoint."""
    fees, discounts = books.fees, books.discounts
    contacts = books.count(Entity.CONTACT) + (1 if fees else 0)  # the fee supplier is a contact too
    credit_notes = books.count(Entity.CREDIT_NOTE)
    calls = {
        **dict.fromkeys(REFERENCE_READS, 1),
        "GET /Contacts": 1,  # one page of the tenant's Xero contacts: it has none yet
        "POST /Contacts": _batches(contacts),
        "POST /Invoices": _batches(books.count(Entity.INVOICE)),
        "POST /CreditNotes": _batches(credit_notes),
        "PUT /CreditNotes": _batches(discounts),  # a discount's credit note
        "PUT /CreditNotes/{CreditNoteID}/Allocations": credit_notes + discounts,
        "PUT /Payments": _batches(books.count(Entity.PAYMENT)) + _batches(fees),  # receipts and fee bills' payments
        "PUT /Invoices": _batches(fees),  # fee bills
    }
    return {endpoint: count for endpoint, count in calls.items() if count}


def records_pushed(books: Books) -> int:
    """The platform's records (the fee supplier, which the push writes itself, is not one)."""
    return len(books.records)


@dataclass(frozen=True)
class TenantFigures:
    tenant_id: str
    records: int
    calls: Counter[str]
    minimum: dict[str, int]
    run: TenantRun
    busiest_minute: int

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def minimum_calls(self) -> int:
        return sum(self.minimum.values())

    @property
    def per_minute(self) -> float:
        """Calls a simulated minute; a push shorter than a minute made its calls in one minute."""
        return self.total_calls / max(self.run.seconds, MINUTE) * MINUTE

    @property
    def throughput(self) -> float:
        """Records a simulated minute."""
        return self.records / self.run.seconds * MINUTE if self.run.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "records_pushed": self.records,
            "xero_calls": self.total_calls,
            "minimum_xero_calls": self.minimum_calls,
            "calls_by_endpoint": {
                endpoint: {"measured": self.calls.get(endpoint, 0), "minimum": self.minimum.get(endpoint, 0)}
                for endpoint in sorted({*self.calls, *self.minimum})
            },
            "simulated_seconds": round(self.run.seconds, 1),
            "calls_per_simulated_minute": round(self.per_minute, 2),
            "busiest_60s_calls": self.busiest_minute,
            "records_per_simulated_minute": round(self.throughput, 1),
            "push_runs": self.run.runs,
            "waits": dict(self.run.waits),
            "simulated_seconds_waiting_for_the_budget": round(self.run.waited_seconds, 1),
            "stopped": self.run.stopped,
        }


def tenant_figures(tenant_id: str, books: Books, calls: Sequence[LoggedCall], run: TenantRun) -> TenantFigures:
    instants = sorted(call.at for call in calls)
    return TenantFigures(
        tenant_id=tenant_id,
        records=records_pushed(books),
        calls=Counter(call.endpoint for call in calls),
        minimum=minimum_calls(books),
        run=run,
        busiest_minute=busiest(instants, MINUTE),
    )


def scenario_figures(tenants: Sequence[TenantFigures], rate_limited: int) -> dict[str, Any]:
    """The scenario's figures beside their minimums (or ideals), as the JSON and the chart show them."""
    records = sum(t.records for t in tenants)
    calls = sum(t.total_calls for t in tenants)
    least = sum(t.minimum_calls for t in tenants)
    seconds = [t.run.seconds for t in tenants]
    per_minute = sum(t.per_minute for t in tenants) / len(tenants)
    return {
        "xero_calls": {"measured": calls, "minimum": least},
        "xero_calls_per_record": {"measured": round(calls / records, 4), "minimum": round(least / records, 4)},
        "rate_limited_429": {"measured": rate_limited, "minimum": 0},
        "share_of_xero_minute_limit": {
            "measured": round(per_minute / XERO_PER_MINUTE, 3),
            "ideal": round(BACKFILL_PER_MINUTE / XERO_PER_MINUTE, 3),
            "calls_per_simulated_minute": round(per_minute, 2),
            "limit": XERO_PER_MINUTE,
        },
        "share_of_backfill_allowance": {
            "measured": round(per_minute / BACKFILL_PER_MINUTE, 3),
            "ideal": 1.0,
            "allowance": BACKFILL_PER_MINUTE,
        },
        "busiest_60s_calls": {"measured": max(t.busiest_minute for t in tenants), "allowed": BACKFILL_PER_MINUTE},
        "simulated_minutes_to_finish": {
            "measured": round(max(seconds) / MINUTE, 2),
            "minimum": max(earliest_last_call(t.minimum_calls) for t in tenants),
            "at_the_steady_allowance": round(max(t.minimum_calls for t in tenants) / BACKFILL_PER_MINUTE, 2),
        },
        "fairness_jain_index": {"measured": round(jain([t.throughput for t in tenants]), 4), "ideal": 1.0},
        "finish_time_ratio_first_to_last": {"measured": round(min(seconds) / max(seconds), 4), "ideal": 1.0},
        "finish_time_spread_seconds": {"measured": round(max(seconds) - min(seconds), 1), "ideal": 0.0},
    }


def earliest_last_call(calls: int) -> int:
    """Simulated minutes before the last of `calls` may start: 48 in any minute, the first 48 at once."""
    return (calls - 1) // BACKFILL_PER_MINUTE if calls else 0


def jain(values: Sequence[float]) -> float:
    """Jain's fairness index: (sum x)^2 / (n * sum x^2); 1.0 when all are equal."""
    squares = sum(value * value for value in values)
    return sum(values) ** 2 / (len(values) * squares) if squares else 1.0


def busiest(instants: Sequence[float], window: float) -> int:
    """The most instants (sorted) within any `window` seconds."""
    most, start = 0, 0
    for end, instant in enumerate(instants):
        while instant - instants[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


def trailing_counts(instants: Sequence[float], start: float, end: float, step: float) -> list[tuple[float, int]]:
    """At every `step` seconds from `start` to `end`: the instants in the minute before it (sorted input)."""
    points: list[tuple[float, int]] = []
    first = last = 0
    at = start
    while at <= end + step:
        while last < len(instants) and instants[last] <= at:
            last += 1
        while first < last and instants[first] <= at - MINUTE:
            first += 1
        points.append((at - start, last - first))
        at += step
    return points


def _batches(count: int) -> int:
    return math.ceil(count / BATCH_SIZE)
