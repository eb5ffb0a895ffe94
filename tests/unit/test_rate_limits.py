"""Xero's call limits as pure rules: the minute over any 60 s, the day over any 24 h, concurrency as
expiring leases, parking after a 429, and priorities that leave headroom (FACTS.md §3.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.rate_limits import (
    HOUR_SECONDS,
    AppUsage,
    Delay,
    LimitName,
    Limits,
    Priority,
    TenantUsage,
    admit,
    app_delay,
    tenant_delay,
    tenant_parked,
    tenant_with_call,
    tenant_without_lease,
)

# On the hour, so hourly buckets line up with the arithmetic below.
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LIMITS = Limits()


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def calls_at(*seconds: float) -> TenantUsage:
    """A tenant whose calls started at these offsets from T0 and have all ended."""
    usage = TenantUsage()
    for index, offset in enumerate(seconds):
        usage = tenant_without_lease(tenant_with_call(usage, f"lease-{index}", at(offset), LIMITS), f"lease-{index}")
    return usage


def wait_for(delay: Delay | None, reason: LimitName) -> float:
    """How long `delay` says to wait, after checking it waits for `reason`."""
    assert delay is not None
    assert delay.reason == reason
    return delay.seconds


def in_flight(count: int, started: float = 0.0) -> TenantUsage:
    usage = TenantUsage()
    for index in range(count):
        usage = tenant_with_call(usage, f"lease-{index}", at(started), LIMITS)
    return usage


def test_the_61st_call_within_a_minute_waits_until_the_first_leaves_the_window() -> None:
    # Given 60 calls, the first at 0 s and the rest at 10 s
    usage = calls_at(0, *([10] * 59))
    # When a 61st is asked for at 30 s
    delay = tenant_delay(usage, Priority.USER_WRITE, at(30), LIMITS)
    # Then it waits until the first call is 60 s plus the arrival margin old
    assert wait_for(delay, LimitName.MINUTE) == pytest.approx(31.0)


def test_the_minute_limit_holds_over_an_interval_that_starts_after_the_first_call() -> None:
    # Given 30 calls at 0 s, 30 at 50 s, and (once the first 30 have left) 30 more at 62 s
    usage = calls_at(*([0] * 30), *([50] * 30), *([62] * 30))
    # When another is asked for at 62 s (a counter reset at 60 s would allow it)
    delay = tenant_delay(usage, Priority.USER_WRITE, at(62), LIMITS)
    # Then it waits until the calls at 50 s leave: no 60 s interval ever holds 61
    assert wait_for(delay, LimitName.MINUTE) == pytest.approx(49.0)


def test_a_call_may_start_once_the_minute_has_room() -> None:
    # Given 60 calls at 0 s / When one is asked for at 61 s (60 s plus the margin) / Then it may start
    assert tenant_delay(calls_at(*([0] * 60)), Priority.USER_WRITE, at(61), LIMITS) is None


def test_the_sixth_concurrent_call_waits() -> None:
    # Given five calls in flight / When a sixth is asked for / Then it waits for a slot
    delay = tenant_delay(in_flight(5), Priority.USER_WRITE, at(1), LIMITS)
    assert delay == Delay(LIMITS.concurrent_retry, LimitName.CONCURRENT)


def test_a_released_call_frees_its_slot() -> None:
    # Given five calls in flight, one of which ends
    usage = tenant_without_lease(in_flight(5), "lease-0")
    # When another is asked for / Then it may start
    assert tenant_delay(usage, Priority.USER_WRITE, at(1), LIMITS) is None


def test_a_lease_that_expires_frees_the_slot_of_a_caller_that_crashed() -> None:
    # Given five calls started at 0 s whose callers died without releasing them
    usage = in_flight(5)
    # When a call is asked for after the leases have run out / Then it may start
    assert tenant_delay(usage, Priority.USER_WRITE, at(LIMITS.lease_seconds + 1), LIMITS) is None


def test_the_day_limit_waits_until_the_oldest_hour_leaves_the_window() -> None:
    # Given 5,000 calls in the hour from 09:00
    hour = int(T0.timestamp()) // HOUR_SECONDS
    usage = TenantUsage(hour_buckets={hour: 5000})
    # When a call is asked for at 11:30
    delay = tenant_delay(usage, Priority.USER_WRITE, at(2.5 * HOUR_SECONDS), LIMITS)
    # Then it waits until 10:00 the next day (plus the arrival margin), when no 24 h interval can
    # include the 09:00 hour's calls
    assert wait_for(delay, LimitName.DAY) == pytest.approx(22.5 * HOUR_SECONDS + LIMITS.arrival_margin)


def test_a_parked_tenant_waits_until_the_reset() -> None:
    # Given a tenant parked until 2 hours from now (a 429 for the day limit)
    usage = tenant_parked(TenantUsage(), at(2 * HOUR_SECONDS))
    # When even a user's write is asked for / Then it waits until then
    assert tenant_delay(usage, Priority.USER_WRITE, at(0), LIMITS) == Delay(2 * HOUR_SECONDS, LimitName.PARKED)


def test_parking_never_shortens_an_earlier_parking() -> None:
    # Given a tenant parked for a day, then for a minute (a later 429 with a short Retry-After)
    usage = tenant_parked(tenant_parked(TenantUsage(), at(86_400)), at(60))
    # When a call is asked for at 120 s / Then the day's parking still holds
    assert tenant_delay(usage, Priority.USER_WRITE, at(120), LIMITS) == Delay(86_280, LimitName.PARKED)


def test_backfill_stops_first_and_a_user_write_still_gets_through() -> None:
    # Given 48 calls in the last minute (backfill's share of 60)
    usage = calls_at(*([0] * 48))
    # When a backfill and a user's write are asked for
    backfill = tenant_delay(usage, Priority.BACKFILL, at(5), LIMITS)
    user_write = tenant_delay(usage, Priority.USER_WRITE, at(5), LIMITS)
    # Then the backfill waits and the write goes
    assert wait_for(backfill, LimitName.MINUTE) == pytest.approx(56.0)
    assert user_write is None


def test_backfill_leaves_two_concurrent_slots_for_live_work() -> None:
    # Given three calls in flight
    usage = in_flight(3)
    # When a backfill and a webhook fetch are asked for / Then the backfill waits and the fetch goes
    backfill = tenant_delay(usage, Priority.BACKFILL, at(1), LIMITS)
    fetch = tenant_delay(usage, Priority.WEBHOOK_FETCH, at(1), LIMITS)
    assert (wait_for(backfill, LimitName.CONCURRENT), fetch) == (LIMITS.concurrent_retry, None)


def test_backfill_leaves_the_days_last_thousand_calls() -> None:
    # Given 4,000 calls today
    usage = TenantUsage(hour_buckets={int(T0.timestamp()) // HOUR_SECONDS: 4000})
    # When a backfill and a reconciliation are asked for / Then only the backfill waits
    backfill = tenant_delay(usage, Priority.BACKFILL, at(60), LIMITS)
    reconciliation = tenant_delay(usage, Priority.RECONCILIATION, at(60), LIMITS)
    assert wait_for(backfill, LimitName.DAY) == pytest.approx(25 * HOUR_SECONDS - 60 + LIMITS.arrival_margin)
    assert reconciliation is None


def test_the_app_minute_limit_counts_every_tenant() -> None:
    # Given 10,000 calls this second across the app's tenants
    usage = AppUsage(second_buckets={int(T0.timestamp()): 10_000})
    # When any tenant asks for a call half a second later
    delay = app_delay(usage, Priority.USER_WRITE, at(0.5), LIMITS)
    # Then it waits until every call of that second is more than a minute plus the margin old
    assert wait_for(delay, LimitName.APP_MINUTE) == pytest.approx(61.5)


def test_a_refused_call_takes_nothing_from_either_budget() -> None:
    # Given a tenant with five calls in flight
    tenant = in_flight(5)
    # When a call is asked for / Then the answer is a Delay and no new usage exists to store
    assert isinstance(admit(tenant, AppUsage(), Priority.USER_WRITE, lease_id="x", now=at(1), limits=LIMITS), Delay)


def test_usage_keeps_only_what_the_windows_need() -> None:
    # Given calls every second for three minutes and every hour (at half past) for two days
    usage = calls_at(*range(180), *(HOUR_SECONDS * hour + 1800 for hour in range(1, 49)))
    # Then at most a minute's instants and 25 hours' buckets are kept
    assert (len(usage.minute_log), len(usage.hour_buckets)) == (1, 25)
