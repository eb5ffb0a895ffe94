"""The simulated clock: scaled wall time plus forward jumps."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from xero_simulator.clock import SimClock

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_advance_moves_simulated_time_forward() -> None:
    clock = SimClock(START, scale=1.0)
    clock.advance(3600)
    assert (clock.now() - START).total_seconds() == pytest.approx(3600, abs=1)


def test_scale_runs_an_hour_of_xero_time_in_a_fraction_of_a_second() -> None:
    # Given a clock running 36,000 times faster than the wall
    clock = SimClock(START, scale=36_000)
    # When 0.1 s of wall time passes
    time.sleep(0.1)
    # Then at least an hour of Xero time has passed
    assert (clock.now() - START).total_seconds() >= 3600


def test_the_clock_never_runs_backwards() -> None:
    with pytest.raises(ValueError, match="only moves forward"):
        SimClock(START).advance(-1)


def test_changing_the_scale_keeps_the_current_instant() -> None:
    clock = SimClock(START, scale=1.0)
    before = clock.now()
    clock.set_scale(1000)
    assert (clock.now() - before).total_seconds() < 1
