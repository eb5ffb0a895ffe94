"""The in-memory token vault keeps the token vault contract."""

from __future__ import annotations

import pytest

from shared.fakes.memory_token_vault import MemoryTokenVault
from tests.contracts.token_vault import TokenVaultContract


class TestMemoryTokenVault(TokenVaultContract):
    @pytest.fixture
    def vault(self) -> MemoryTokenVault:
        return MemoryTokenVault()
