"""The in-memory told store keeps its contract."""

from __future__ import annotations

import pytest

from shared.fakes.memory_told import MemoryToldElements
from tests.contracts.told import ToldElementsContract


class TestMemoryToldElements(ToldElementsContract):
    @pytest.fixture
    def store(self) -> MemoryToldElements:
        return MemoryToldElements()
