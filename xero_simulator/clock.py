"""Simulated Xero time: wall time run faster by a scale factor, plus explicit jumps.

Rate-limit windows, token lifetimes and UpdatedDateUTC all read this clock, so a test can live
through an hour of Xero time in a second (scale=3600) or jump straight past a token's expiry.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class SimClock:
    """Xero's clock as the simulator sees it: `now()` = start + elapsed wall time x scale + jumps."""

    def __init__(self, start: datetime | None = None, scale: float = 1.0) -> None:
        self._lock = threading.Lock()
        self._anchor_sim = start or datetime.now(UTC)
        self._anchor_wall = time.monotonic()
        self._scale = scale

    @property
    def scale(self) -> float:
        return self._scale

    def now(self) -> datetime:
        with self._lock:
            elapsed = (time.monotonic() - self._anchor_wall) * self._scale
            return self._anchor_sim + timedelta(seconds=elapsed)

    def timestamp(self) -> float:
        return self.now().timestamp()

    def set_scale(self, scale: float) -> None:
        """Change the speed from now on without moving the current simulated instant."""
        if scale <= 0:
            raise ValueError("scale must be positive")
        current = self.now()
        with self._lock:
            self._anchor_sim = current
            self._anchor_wall = time.monotonic()
            self._scale = scale

    def advance(self, seconds: float) -> datetime:
        """Jump simulated time forward (never backward: Xero's clock does not run back)."""
        if seconds < 0:
            raise ValueError("the simulated clock only moves forward")
        with self._lock:
            self._anchor_sim += timedelta(seconds=seconds)
        return self.now()

    def wall_seconds(self, sim_seconds: float) -> float:
        """How long `sim_seconds` of Xero time lasts in real seconds at the current scale."""
        return sim_seconds / self._scale
