"""moto in server mode on loopback: the local stack's AWS (DynamoDB, SQS, Secrets Manager, KMS, EventBridge).

Every boto3 client of the functions, the poller and the tests reaches it through AWS_ENDPOINT_URL,
so one moto holds the state all of them share (moto in process, `mock_aws`, is not thread-safe and
would not be seen by another process).

moto runs in a child process of its own (`python -m local_stack.moto_server`): it is pure Python,
and in the local stack's process it would share one interpreter lock with the functions, the
gateway and the simulator. Apart, it has a core to itself (docs/decisions.md). The child exits when
its standard input closes, so it never outlives the stack, even one killed without a chance to
stop it. It runs with local_stack/moto_speedups.py and moto_atomic.py applied.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from local_stack import moto_atomic, moto_speedups

DEFAULT_PORT = 8781
STOP_TIMEOUT_SECONDS = 10
_READY = "moto serving on "

# Fake credentials and the region every local client uses; moto accepts any credentials.
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


class MotoStartError(Exception):
    """moto's process ended, or said something other than where it serves, before it served."""


def quiet_access_logs() -> None:
    """Silence werkzeug's per-request lines (moto, the gateway and the simulator all serve with werkzeug)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


class MotoServer:
    """moto's server in a child process bound to `host` (port 0 picks a free one)."""

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
        self._arguments = ["--host", host, "--port", str(port)]
        self._process: subprocess.Popen[str] | None = None
        self.endpoint_url = ""

    def start(self) -> str:
        """Start moto's process and wait until it serves; the endpoint URL to give boto3 as AWS_ENDPOINT_URL."""
        process = self._process = subprocess.Popen(  # noqa: S603 - our own module, arguments we built
            [sys.executable, "-m", "local_stack.moto_server", *self._arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        # The child writes one line once it serves (or dies, closing the pipe): readline cannot hang
        # on a live child that never answers unless moto itself hangs starting.
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith(_READY):
            self.stop()
            raise MotoStartError(f"moto did not start (exit code {process.poll()}): {line.strip()!r}")
        self.endpoint_url = line.removeprefix(_READY).strip()
        return self.endpoint_url

    def stop(self) -> None:
        """Close the child's standard input (it exits on that) and wait; kill it if it lingers."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def serve(host: str, port: int) -> None:
    """The child: serve until standard input closes (the stack stopped, or died). As moto's
    ThreadedMotoServer does, but binding before it says it serves, so a taken port ends the child
    with the error rather than leaving a server thread that never starts."""
    quiet_access_logs()
    moto_speedups.apply()
    moto_atomic.apply()
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, name="moto", daemon=True).start()
    print(f"{_READY}http://{host}:{server.server_port}", flush=True)
    sys.stdin.read()
    server.shutdown()
    server.server_close()
    # Nothing to flush or join: the state dies with the process, as it would with the stack's.
    os._exit(0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=serve.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    options = parser.parse_args()
    serve(options.host, options.port)
