"""`python -m xero_simulator --host --port` serves the simulator until it is stopped."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx


def test_the_command_line_serves_on_the_given_host_and_port_and_stops_on_sigterm() -> None:
    # Given the simulator started from the command line on a free port
    process = subprocess.Popen(
        [sys.executable, "-m", "xero_simulator", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        base_url = first_line.rsplit(" ", 1)[-1].strip()
        # When a client asks for Xero's OpenID configuration
        answer = httpx.get(f"{base_url}/.well-known/openid-configuration", timeout=5)
        # Then the simulator answers on that address
        assert first_line.startswith("Xero simulator listening on http://127.0.0.1:")
        assert answer.status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        # And it stops cleanly
        assert process.wait(timeout=10) == 0
