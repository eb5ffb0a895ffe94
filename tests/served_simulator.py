"""A simulator served on loopback for the length of a `with` block, checked for crashes and breaches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from xero_simulator.server import Simulator, SimulatorServer


@contextmanager
def served(sim: Simulator) -> Iterator[Simulator]:
    """Serve `sim` on 127.0.0.1 with a free port; fail on any crash or conformance breach it saw."""
    server = SimulatorServer(sim)
    server.start()
    try:
        yield sim
    finally:
        server.stop()
    assert sim.internal_errors == [], "the simulator crashed:\n" + "\n".join(sim.internal_errors)
    assert sim.conformance_failures == [], "the simulator broke Xero's schema:\n" + "\n".join(sim.conformance_failures)
