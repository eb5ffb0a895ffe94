"""The in-memory state ports keep the state contract, and the lease holds under a race of workers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.fakes.memory_state import MemoryState
from tests.contracts.state_ports import LEASE, T0, StateContract, a_connection


class TestMemoryState(StateContract):
    @pytest.fixture
    def state(self) -> MemoryState:
        return MemoryState()


def test_only_one_of_fifty_racing_workers_gets_the_refresh_lease() -> None:
    # Given a connection and fifty workers released at the same moment
    state = MemoryState()
    state.connections.put(a_connection(token_version=1))
    start = threading.Barrier(50)

    def ask(worker: int) -> bool:
        start.wait()
        return state.connections.acquire_refresh_lease("tenant-1", f"w{worker}", 1, T0, LEASE)

    # When all ask for the lease at version 1
    with ThreadPoolExecutor(max_workers=50) as pool:
        granted = list(pool.map(ask, range(50)))
    # Then exactly one gets it
    assert granted.count(True) == 1


def test_what_a_caller_read_is_a_copy_of_what_is_stored() -> None:
    # Given a stored connection, read and changed by a caller
    state = MemoryState()
    state.connections.put(a_connection(token_version=1))
    read = state.connections.get("tenant-1")
    assert read is not None
    read.token_version = 99
    # When it is read again / Then the store did not change
    stored = state.connections.get("tenant-1")
    assert stored is not None
    assert stored.token_version == 1
