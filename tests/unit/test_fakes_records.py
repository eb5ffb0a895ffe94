"""The in-memory record store, sync settings and sync schedule keep the records contract."""

from __future__ import annotations

import pytest

from shared.fakes.memory_records import MemoryRecords
from tests.contracts.records import RecordsContract


class TestMemoryRecords(RecordsContract):
    @pytest.fixture
    def records(self) -> MemoryRecords:
        return MemoryRecords()
