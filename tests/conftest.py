"""Fixtures shared by every suite: a live Xero simulator on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.observability import metrics
from tests import log_audit
from tests.served_simulator import served
from xero_simulator.issued_secrets import issued
from xero_simulator.server import Simulator


@pytest.fixture(scope="session", autouse=True)
def no_secret_in_any_log_line() -> Iterator[None]:
    """Fail the run if any token, code or secret the simulator issued appears in a log line of the suite."""
    handlers = log_audit.install()
    yield
    lines = [line for handler in handlers for line in handler.lines]
    leaked = log_audit.leaks(lines, issued())
    assert leaked == [], f"{len(leaked)} log lines contain a secret:\n" + "\n".join(leaked[:10])


@pytest.fixture(autouse=True)
def no_metrics_left_over() -> None:
    """Start each test with no metric pending: a use case run outside a handler (whose decorator would
    flush them) leaves its metrics in Powertools' shared Metrics, to appear in the next handler's lines."""
    metrics.clear_metrics()


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    """A strict simulator served on 127.0.0.1 with a free port; fails the test on any conformance breach."""
    with served(Simulator(strict=True)) as sim:
        yield sim
