"""End-to-end fixtures: the local stack in its own process, one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.local_stack_process import READY, RunningStack, start_local_stack


@pytest.fixture(scope="module")
def local_stack() -> Iterator[RunningStack]:
    """One local stack on free ports for the module, up and past its demo (starting one takes seconds)."""
    running = start_local_stack("--gateway-port", "0", "--moto-port", "0", "--simulator-port", "0")
    running.read_until(READY)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()
