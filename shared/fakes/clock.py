"""A clock that tests move by hand, so expiry, leases and dedupe windows are tested without sleeping."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

# A Monday morning in UTC: far from midnight and month ends, so a test's arithmetic never crosses one by accident.
DEFAULT_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class SettableClock:
    """A Clock (shared/clock.py) that stands still until a test sets or advances it."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        self._lock = threading.Lock()
        self._now = start

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, instant: datetime) -> None:
        """Jump to `instant` (forwards or backwards)."""
        with self._lock:
            self._now = instant

    def advance(self, by: timedelta | float) -> datetime:
        """Move forward by a timedelta or a number of seconds; returns the new instant."""
        step = by if isinstance(by, timedelta) else timedelta(seconds=by)
        with self._lock:
            self._now += step
            return self._now
