"""moto in server mode on loopback: the local stack's AWS (DynamoDB, SQS, Secrets Manager, KMS, EventBridge).

Every boto3 client of the functions, the poller and the tests reaches it through AWS_ENDPOINT_URL,
so one moto holds the state all of them share (moto in process, `mock_aws`, is not thread-safe and
would not be seen by another process).
"""

from __future__ import annotations

import logging

from moto.server import ThreadedMotoServer

DEFAULT_PORT = 8781

# Fake credentials and the region every local client uses; moto accepts any credentials.
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


def quiet_access_logs() -> None:
    """Silence werkzeug's per-request lines (moto, the gateway and the simulator all serve with werkzeug)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


class MotoServer:
    """moto's ThreadedMotoServer bound to 127.0.0.1 (port 0 picks a free one), stoppable with its port freed."""

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
        quiet_access_logs()
        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self.endpoint_url = ""

    def start(self) -> str:
        """Start serving in a background thread; the endpoint URL to give boto3 as AWS_ENDPOINT_URL."""
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        return self.endpoint_url

    def stop(self) -> None:
        """Stop serving and release the port (ThreadedMotoServer.stop leaves its socket open)."""
        self._server.stop()
        werkzeug_server = getattr(self._server, "_server", None)
        if werkzeug_server is not None:
            werkzeug_server.server_close()
