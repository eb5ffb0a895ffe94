"""Xero's call limits as rules over counts: whether one more call may start now, or how long it must wait.

Xero allows per tenant 5 calls in progress, 60 a minute and 5,000 a day, and per app 10,000 a
minute (FACTS.md §3.1). Its minute and day windows are fixed but "reset at different times for
each tenant", at instants we cannot know. So the accounting here keeps every limit over ANY
interval of the window's length, which keeps it over whichever interval Xero happens to count:

- tenant minute: an exact sliding log of the calls' start instants. A call may start only if fewer
  than 60 started in the last 60 s plus `arrival_margin`. The margin covers the time between our
  instant and the request reaching Xero: if every call arrives within the margin of its recorded
  instant, no 60 s interval at Xero holds more than 60 arrivals.
- tenant day: 25 hourly buckets (this hour and the 24 before; a bucket leaves once its last
  possible call is 24 h plus the margin old). Any 24 h interval ending now lies inside them, so
  their sum bounds it; conservative by at most an hour of calls, and 25 numbers instead of 5,000
  instants.
- app minute: one-second buckets over the last 60 s plus the margin, for the same reason (a log
  of 10,000 instants would not fit a DynamoDB item).
- concurrency: leases that expire, so a Lambda that dies mid-call frees its slot when its lease
  ends instead of never.

Priorities leave headroom: each priority may use a limit only up to the limit minus its reserve
(HEADROOM), so backfill stops first and a user's write still gets through when everything else is
waiting. The rules never sleep: they answer with a Delay for the caller to schedule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import IntEnum, StrEnum

HOUR_SECONDS = 3600
DAY_SECONDS = 24 * HOUR_SECONDS
MINUTE_SECONDS = 60


class Priority(IntEnum):
    """Who is asking; a higher value may use more of each limit (HEADROOM), so it is the last to wait."""

    BACKFILL = 1
    RECONCILIATION = 2
    WEBHOOK_FETCH = 3
    USER_WRITE = 4


class LimitName(StrEnum):
    """Why a call must wait; the first four are Xero's limits (FACTS.md §3.1)."""

    CONCURRENT = "concurrent"
    MINUTE = "minute"
    DAY = "day"
    APP_MINUTE = "appminute"
    PARKED = "parked"
    # Many Lambdas raced for the same budget and this one lost every time: try again at once.
    CONTENDED = "contended"


@dataclass(frozen=True)
class Reserve:
    """What a priority leaves unused of each limit, for the priorities above it."""

    concurrent: int
    minute: int
    day: int
    app_minute: int


# Backfill may use 3 of 5 slots, 48 of 60 calls a minute, 4,000 of 5,000 a day and 8,000 of the
# app's 10,000 a minute; reconciliation a little more; webhook fetches all but a few calls; a
# user's write everything. So a backfill running flat out still leaves a user's write 12 calls a
# minute and 2 slots, and the day's last 1,000 calls for live work.
HEADROOM: dict[Priority, Reserve] = {
    Priority.BACKFILL: Reserve(concurrent=2, minute=12, day=1000, app_minute=2000),
    Priority.RECONCILIATION: Reserve(concurrent=1, minute=6, day=500, app_minute=1000),
    Priority.WEBHOOK_FETCH: Reserve(concurrent=0, minute=3, day=250, app_minute=500),
    Priority.USER_WRITE: Reserve(concurrent=0, minute=0, day=0, app_minute=0),
}


@dataclass(frozen=True)
class Limits:
    """Xero's limits (FACTS.md §3.1, "Can I get my rate limits increased? No.") and our timings."""

    concurrent: int = 5
    per_minute: int = 60
    per_day: int = 5000
    app_per_minute: int = 10_000
    # How long after its recorded instant a call may reach Xero (see the module docstring).
    arrival_margin: float = 1.0
    # Longer than a call can last (the Xero HTTP client's timeouts add up to well under this).
    lease_seconds: float = 60.0
    # A slot usually frees when a call ends, long before its lease does: look again soon.
    concurrent_retry: float = 1.0


@dataclass(frozen=True)
class Delay:
    """Not now: try again after `seconds`, because of `reason`."""

    seconds: float
    reason: LimitName


@dataclass(frozen=True)
class TenantUsage:
    """One Xero tenant's recent calls, in epoch seconds: what the rules need and nothing more."""

    minute_log: tuple[float, ...] = ()
    hour_buckets: dict[int, int] = field(default_factory=dict)
    leases: dict[str, float] = field(default_factory=dict)
    parked_until: float = 0.0


@dataclass(frozen=True)
class AppUsage:
    """The app's calls across all tenants, counted per second."""

    second_buckets: dict[int, int] = field(default_factory=dict)


def tenant_delay(usage: TenantUsage, priority: Priority, now: datetime, limits: Limits) -> Delay | None:
    """How long a call of `priority` for this tenant must wait, or None if it may start now.

    Parking (a 429 that still happened) comes first, then the day, the minute and the slots, so the
    longest wait is the one reported."""
    at = now.timestamp()
    reserve = HEADROOM[priority]
    if usage.parked_until > at:
        return Delay(usage.parked_until - at, LimitName.PARKED)
    day_wait = _day(limits).wait(usage.hour_buckets, limits.per_day - reserve.day, at)
    if day_wait is not None:
        return Delay(day_wait, LimitName.DAY)
    minute_wait = _log_wait(
        usage.minute_log, MINUTE_SECONDS + limits.arrival_margin, limits.per_minute - reserve.minute, at
    )
    if minute_wait is not None:
        return Delay(minute_wait, LimitName.MINUTE)
    live = sorted(expiry for expiry in usage.leases.values() if expiry > at)
    allowed = limits.concurrent - reserve.concurrent
    if len(live) >= allowed:
        first_expiry = live[len(live) - allowed]
        return Delay(min(limits.concurrent_retry, first_expiry - at), LimitName.CONCURRENT)
    return None


def app_delay(usage: AppUsage, priority: Priority, now: datetime, limits: Limits) -> Delay | None:
    """How long a call of `priority` must wait for the app's minute limit, or None."""
    at = now.timestamp()
    allowed = limits.app_per_minute - HEADROOM[priority].app_minute
    wait = _app_minute(limits).wait(usage.second_buckets, allowed, at)
    return Delay(wait, LimitName.APP_MINUTE) if wait is not None else None


def admit(
    tenant: TenantUsage, app: AppUsage, priority: Priority, *, lease_id: str, now: datetime, limits: Limits
) -> tuple[TenantUsage, AppUsage] | Delay:
    """Both budgets after a call of `priority` starts now under `lease_id`, or the Delay that stops it.

    The tenant's limits are checked first: a parked or saturated tenant must not spend the app's."""
    delay = tenant_delay(tenant, priority, now, limits) or app_delay(app, priority, now, limits)
    if delay is not None:
        return delay
    return tenant_with_call(tenant, lease_id, now, limits), app_with_call(app, now, limits)


def tenant_with_call(usage: TenantUsage, lease_id: str, now: datetime, limits: Limits) -> TenantUsage:
    """The tenant's usage after a call starts now under `lease_id`; expired entries are dropped."""
    at = now.timestamp()
    hour = math.floor(at / HOUR_SECONDS)
    log = tuple(instant for instant in usage.minute_log if instant > at - MINUTE_SECONDS - limits.arrival_margin)
    buckets = _day(limits).counted(usage.hour_buckets, at)
    buckets[hour] = buckets.get(hour, 0) + 1
    leases = {lease: expiry for lease, expiry in usage.leases.items() if expiry > at}
    leases[lease_id] = at + limits.lease_seconds
    return replace(usage, minute_log=(*log, at), hour_buckets=buckets, leases=leases)


def app_with_call(usage: AppUsage, now: datetime, limits: Limits) -> AppUsage:
    """The app's usage after a call starts now; buckets older than the window are dropped."""
    at = now.timestamp()
    second = math.floor(at)
    buckets = _app_minute(limits).counted(usage.second_buckets, at)
    buckets[second] = buckets.get(second, 0) + 1
    return AppUsage(second_buckets=buckets)


def tenant_without_lease(usage: TenantUsage, lease_id: str) -> TenantUsage:
    """The tenant's usage once the call under `lease_id` has ended; its slot is free again."""
    return replace(usage, leases={lease: expiry for lease, expiry in usage.leases.items() if lease != lease_id})


def tenant_parked(usage: TenantUsage, until: datetime) -> TenantUsage:
    """The tenant parked until `until`; parking only ever lengthens (two 429s: the later reset wins)."""
    return replace(usage, parked_until=max(usage.parked_until, until.timestamp()))


def calls_today(usage: TenantUsage, now: datetime, limits: Limits) -> int:
    """The tenant's calls the day rule still counts at `now` (its hourly buckets: any 24 h ending now)."""
    return sum(_day(limits).counted(usage.hour_buckets, now.timestamp()).values())


def day_left(usage: TenantUsage, priority: Priority, now: datetime, limits: Limits) -> int:
    """How many more calls of `priority` the day rule allows now (its reserve kept for those above it)."""
    return max(0, limits.per_day - HEADROOM[priority].day - calls_today(usage, now, limits))


def _log_wait(log: tuple[float, ...], window: float, allowed: int, at: float) -> float | None:
    # The call may start once enough of the logged instants have left the window.
    recent = sorted(instant for instant in log if instant > at - window)
    if len(recent) < allowed:
        return None
    must_leave = len(recent) - allowed + 1
    return recent[must_leave - 1] + window - at


@dataclass(frozen=True)
class _Buckets:
    """Calls counted in buckets `width` seconds wide, for a window of `window` seconds plus `margin`.

    Bucket i holds calls made in [i * width, (i + 1) * width); it counts until its last possible
    call is older than the window plus the margin, so it may count up to `width` too long (the
    conservative side) but never too short."""

    width: int
    window: int
    margin: float

    def leaves_at(self, index: int) -> float:
        return (index + 1) * self.width + self.window + self.margin

    def counted(self, buckets: dict[int, int], at: float) -> dict[int, int]:
        return {index: count for index, count in buckets.items() if self.leaves_at(index) > at}

    def wait(self, buckets: dict[int, int], allowed: int, at: float) -> float | None:
        # The call may start once enough of the oldest buckets have left the window.
        counted = sorted(self.counted(buckets, at).items())
        total = sum(count for _, count in counted)
        if total < allowed:
            return None
        for index, count in counted:
            total -= count
            if total < allowed:
                return self.leaves_at(index) - at
        return None  # unreachable: every reserve leaves `allowed` >= 1


def _day(limits: Limits) -> _Buckets:
    return _Buckets(HOUR_SECONDS, DAY_SECONDS, limits.arrival_margin)


def _app_minute(limits: Limits) -> _Buckets:
    return _Buckets(1, MINUTE_SECONDS, limits.arrival_margin)
