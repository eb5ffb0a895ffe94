"""The local stack run as `make run` runs it, in a subprocess on free ports, for the end-to-end tests."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

READY = "Press Ctrl+C to stop."
# The stage every end-to-end local stack runs (its resource names).
STAGE = "e2e"
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

    def remaining_lines(self) -> list[str]:
        """Every line printed so far, including those not yet read (for a failure's message)."""
        while True:
            try:
                line = self._queue.get(timeout=1)
            except queue.Empty:
                return self.lines
            if line is None:
                return self.lines
            self.lines.append(line)

    def line_starting(self, prefix: str) -> str:
        return next(line for line in self.lines if line.startswith(prefix))

    def addresses(self) -> StackAddresses:
        """Where the stack said its parts are, and the demo's tenant and API key."""
        api_line = self.line_starting("Platform API:")  # "Platform API:  <url>/v1   (header x-api-key: <key>)"
        # "Xero simulator: <url>   AWS (moto): <url>"
        simulator, moto = [word for word in self.line_starting("Xero simulator:").split() if word.startswith("http")]
        return StackAddresses(
            api=api_line.split()[2],
            api_key=api_line.rsplit(" ", 1)[1].rstrip(")"),
            tenant_id=self.line_starting("Demo passed: tenant").split()[3],
            simulator=simulator,
            moto=moto,
        )


@dataclass(frozen=True)
class StackAddresses:
    api: str  # the platform API's base URL, ending /v1
    api_key: str
    tenant_id: str  # the demo's connected tenant
    simulator: str
    moto: str


def _pump(stream: object, lines: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line.rstrip("\n"))
    lines.put(None)


def start_local_stack(*args: str) -> RunningStack:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "local_stack", "--stage", STAGE, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    running = RunningStack(process)
    threading.Thread(target=_pump, args=(process.stdout, running._queue), daemon=True).start()
    return running


FREE_PORTS = ("--gateway-port", "0", "--moto-port", "0", "--simulator-port", "0")


@contextmanager
def running_stack(*args: str) -> Iterator[RunningStack]:
    """A local stack on free ports (with `args`), up and past its demo, killed on the way out."""
    running = start_local_stack(*FREE_PORTS, *args)
    try:
        running.read_until(READY)
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()
