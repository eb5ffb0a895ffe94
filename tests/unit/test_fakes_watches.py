"""The in-memory watches keep their contract."""

from __future__ import annotations

import pytest

from shared.fakes.memory_watches import MemoryWatches
from tests.contracts.watches import WatchesContract


class TestMemoryWatches(WatchesContract):
    @pytest.fixture
    def watches(self) -> MemoryWatches:
        return MemoryWatches()
