"""`python -m local_stack` (the README's `make run`) brings the stack up, passes its demo and stops cleanly."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = pytest.mark.e2e

READY = "Press Ctrl+C to stop."
START_TIMEOUT = 120.0


@dataclass
class RunningStack:
    """The local stack's process and the lines it printed so far."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    _queue: queue.Queue[str | None] = field(default_factory=queue.Queue)

    def read_until(self, marker: str, timeout: float = START_TIMEOUT) -> None:
        """Collect printed lines until one starts with `marker` or with "FAILED"; fails on timeout or exit."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {marker!r} within {timeout:g} s:\n" + "\n".join(self.lines)
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            assert line is not None, "the local stack exited:\n" + "\n".join(self.lines)
            self.lines.append(line)
            if line.startswith((marker, "FAILED")):
                return

    def line_starting(self, prefix: str) -> str:
        return next(line for line in self.lines if line.startswith(prefix))


def _pump(stream: object, lines: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line.rstrip("\n"))
    lines.put(None)


def start_local_stack(*args: str) -> RunningStack:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "local_stack", "--stage", "e2e", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    running = RunningStack(process)
    threading.Thread(target=_pump, args=(process.stdout, running._queue), daemon=True).start()
    return running


@pytest.fixture(scope="module")
def local_stack() -> Iterator[RunningStack]:
    """One local stack on free ports for the module, up and past its demo (starting one takes seconds)."""
    running = start_local_stack("--gateway-port", "0", "--moto-port", "0", "--simulator-port", "0")
    running.read_until(READY)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def test_demo_passes(local_stack: RunningStack) -> None:
    # When the local stack has started
    printed = "\n".join(local_stack.lines)

    # Then its demo connected a tenant and saw the webhook's message on the work queue
    assert "Demo passed" in printed, printed
    assert "work queue: acknowledged 1 for tenant" in printed, printed


def test_printed_url_opens_the_simulators_sign_in_page(local_stack: RunningStack) -> None:
    # Given the stack is up
    url = local_stack.line_starting("Connect a tenant in your browser").rsplit(" ", 1)[1]
    simulator = local_stack.line_starting("Xero simulator:").split()[2]

    # When a browser opens the printed hosted authorise URL
    page = httpx.get(url, follow_redirects=True, timeout=30)

    # Then it lands on the simulated Xero's sign-in page
    assert page.status_code == 200
    assert urlsplit(str(page.url)).netloc == urlsplit(simulator).netloc
    assert 'id="sign-in-form"' in page.text


def test_sigint_stops_everything_and_exits_zero(local_stack: RunningStack) -> None:
    # Given the stack is up (this test stops the module's stack, so it comes last)
    assert local_stack.process.poll() is None

    # When it is sent SIGINT (Ctrl+C)
    local_stack.process.send_signal(signal.SIGINT)

    # Then it stops and exits 0
    assert local_stack.process.wait(timeout=30) == 0


def test_a_part_that_cannot_start_is_named_and_exits_non_zero() -> None:
    # Given the simulator's port is taken
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        # When the local stack starts with that port
        running = start_local_stack("--gateway-port", "0", "--moto-port", "0", "--simulator-port", str(port))
        running.read_until("FAILED")

        # Then it says which part failed and exits non-zero
        assert running.lines[-1].startswith("FAILED: the Xero simulator could not start"), running.lines
        assert running.process.wait(timeout=30) != 0
