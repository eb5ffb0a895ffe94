"""Fixtures shared by every suite: a live Xero simulator on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from xero_simulator.server import Simulator, SimulatorServer


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    """A strict simulator served on 127.0.0.1 with a free port; fails the test on any conformance breach."""
    sim = Simulator(strict=True)
    server = SimulatorServer(sim)
    server.start()
    yield sim
    server.stop()
    assert sim.internal_errors == [], "the simulator crashed:\n" + "\n".join(sim.internal_errors)
    assert sim.conformance_failures == [], "the simulator broke Xero's schema:\n" + "\n".join(sim.conformance_failures)
