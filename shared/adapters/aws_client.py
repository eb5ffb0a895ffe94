"""A boto3 client made on first use, never at import time.

A client made at import time escapes moto and binds whatever credentials and endpoint existed
then (moto's "pesky imports"); made on first use it sees the environment of the call. boto3 reads
AWS_ENDPOINT_URL itself, so the local stack and the integration tests only set the environment.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

# Standard retry mode backs off on throttling and 5xx with jitter; three attempts keep a Lambda's
# worst case well inside its timeout.
_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10)

# One session per process: it loads each service's model once. Making clients from a session is not
# thread-safe, hence the lock; the clients themselves are.
_session_lock = threading.Lock()
_session: Any | None = None


def _new_client(service: str, region_name: str | None) -> Any:
    global _session  # noqa: PLW0603 - the process's one session, made on first use
    with _session_lock:
        if _session is None:
            _session = boto3.session.Session()
        return _session.client(service, region_name=region_name, config=_CLIENT_CONFIG)


class AwsClient:
    """One service's client, made on first use; or the client a test passes in."""

    def __init__(self, service: str, region_name: str | None = None, client: Any | None = None) -> None:
        self._service = service
        self._region_name = region_name
        self._client = client
        self._lock = threading.Lock()

    def __call__(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = _new_client(self._service, self._region_name)
        return self._client
