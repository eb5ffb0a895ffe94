"""The in-memory reconciliation states keep their contract."""

from __future__ import annotations

import pytest

from shared.fakes.memory_reconciliation import MemoryReconcileStates
from tests.contracts.reconciliation import ReconcileStatesContract


class TestMemoryReconcileStates(ReconcileStatesContract):
    @pytest.fixture
    def states(self) -> MemoryReconcileStates:
        return MemoryReconcileStates()
