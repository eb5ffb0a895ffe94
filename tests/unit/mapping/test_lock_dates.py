"""Xero's lock dates: a record dated on or before them is parked, or moved into the open period."""

from __future__ import annotations

from datetime import date

import pytest

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import NotMapped, Problems
from shared.domain.mapping.lock_dates import open_date
from shared.domain.sync_settings import LockDatePolicy
from tests.unit.mapping.mapping_world import context, reference, settings

LOCK = date(2026, 3, 31)


def test_a_date_after_the_lock_date_is_sent_as_it_is() -> None:
    # Given a lock date before the record's date
    problems = Problems()
    ctx = context(reference_=reference(period_lock_date=LOCK))
    # When its date is checked / Then it is unchanged and nothing is wrong
    assert open_date(date(2026, 4, 1), "The invoice", ctx, problems) == date(2026, 4, 1)
    assert (problems.skipped, problems.parked) == ([], [])


def test_a_date_on_the_lock_date_parks_the_record_with_both_dates() -> None:
    # Given a record dated on the lock date, under the PARK policy
    problems = Problems()
    ctx = context(reference_=reference(period_lock_date=LOCK))
    open_date(LOCK, "The invoice INV-1", ctx, problems)
    # When the problems are raised
    with pytest.raises(NotMapped) as parked:
        problems.raise_any()
    # Then it is parked, naming its date and the lock date
    assert parked.value.state is SyncState.PARKED
    assert parked.value.reason.startswith(
        "The invoice INV-1 is dated 2026-03-31, on or before the organisation's lock date 2026-03-31"
    )


def test_a_locked_date_moves_to_the_day_after_the_lock_date_when_the_tenant_chose_so() -> None:
    # Given the policy of moving locked records into the open period
    problems = Problems()
    ctx = context(
        settings_=settings(lock_dates=LockDatePolicy.MOVE_TO_OPEN_PERIOD), reference_=reference(period_lock_date=LOCK)
    )
    # When a record dated before the lock date is checked
    moved = open_date(date(2026, 1, 15), "The invoice", ctx, problems)
    # Then it is dated the first open day, and nothing is wrong
    assert moved == date(2026, 4, 1)
    assert (problems.skipped, problems.parked) == ([], [])


def test_the_later_of_the_two_lock_dates_counts() -> None:
    # Given an end-of-year lock later than the period lock
    problems = Problems()
    ctx = context(
        settings_=settings(lock_dates=LockDatePolicy.MOVE_TO_OPEN_PERIOD),
        reference_=reference(period_lock_date=date(2025, 12, 31), end_of_year_lock_date=date(2026, 6, 30)),
    )
    # When a record dated between them is checked / Then it moves past the later one
    assert open_date(date(2026, 3, 1), "The invoice", ctx, problems) == date(2026, 7, 1)
