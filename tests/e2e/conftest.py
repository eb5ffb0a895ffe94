"""End-to-end fixtures: the local stack in its own process, one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.local_stack_process import RunningStack, running_stack


@pytest.fixture(scope="module")
def local_stack() -> Iterator[RunningStack]:
    """One local stack on free ports for the module, up and past its demo (starting one takes seconds)."""
    with running_stack() as running:
        yield running
