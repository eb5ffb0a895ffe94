"""The in-memory change feed and pending fetches keep their contract."""

from __future__ import annotations

import pytest

from shared.fakes.memory_change_feed import MemoryChangeFeed, MemoryPendingFetches
from tests.contracts.change_feed import ChangeFeedContract, PendingFetchesContract


class TestMemoryChangeFeed(ChangeFeedContract):
    @pytest.fixture
    def feed(self) -> MemoryChangeFeed:
        return MemoryChangeFeed()


class TestMemoryPendingFetches(PendingFetchesContract):
    @pytest.fixture
    def pending(self) -> MemoryPendingFetches:
        return MemoryPendingFetches()
