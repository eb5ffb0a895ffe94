"""`python -m local_stack` (the README's `make run`) brings the stack up, passes its demo and stops cleanly."""

from __future__ import annotations

import signal
import socket
import subprocess
from urllib.parse import urlsplit

import httpx
import pytest

from tests.e2e.local_stack_process import RunningStack, start_local_stack

pytestmark = pytest.mark.e2e


def test_demo_passes(local_stack: RunningStack) -> None:
    # When the local stack has started
    printed = "\n".join(local_stack.lines)

    # Then its demo connected a tenant, and the tenant's records reached Xero by export and by the worker
    assert "Demo passed" in printed, printed
    assert "export: 1 of 1 invoice exported" in printed, printed
    assert "the sync worker sent the receipt" in printed, printed


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

    # Then it stops and exits 0 (within a minute even on a loaded machine; a hang dumps its threads)
    try:
        code = local_stack.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        local_stack.process.kill()
        local_stack.process.wait()
        code = None
    assert code == 0, "\n".join(local_stack.remaining_lines())


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
