"""The in-memory rate budget keeps the rate budget contract."""

from __future__ import annotations

import pytest

from shared.fakes.memory_rate_budget import MemoryRateBudget
from tests.contracts.rate_budget import BudgetFor, RateBudgetContract


class TestMemoryRateBudget(RateBudgetContract):
    @pytest.fixture
    def budget_for(self) -> BudgetFor:
        return MemoryRateBudget
