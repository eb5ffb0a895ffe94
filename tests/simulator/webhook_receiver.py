"""A webhook receiver on a loopback port for tests: records every POST, checks signatures as a careful receiver.

By default it answers as Xero requires of a good receiver: 401 to a bad signature, otherwise 200 with
no body. Tests steer it: `statuses` scripts the next answers, `verify=False` makes it careless (200 to
everything), `answer_body` makes it send a body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from xero_simulator.world import App, Organisation, new_id


@dataclass(frozen=True)
class Received:
    body: bytes
    signature: str

    @property
    def payload(self) -> Any:
        return json.loads(self.body)

    @property
    def sequences(self) -> tuple[int, int]:
        return self.payload["firstEventSequence"], self.payload["lastEventSequence"]


def xero_signature(key: str, body: bytes) -> str:
    """The signature computed the way FACTS.md §2.2 says a receiver must: over the raw bytes."""
    return base64.b64encode(hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()).decode()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class WebhookReceiver:
    def __init__(self) -> None:
        self.key = ""
        self.verify = True
        self.answer_body = b""
        self.delay = 0.0  # seconds to wait before answering
        self.statuses: deque[int] = deque()  # answers to give next, once the signature passed
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server: BaseWSGIServer = make_server(
            "127.0.0.1", 0, self._answer, threaded=True, request_handler=_QuietHandler
        )
        # A short poll interval: shutting down waits for it, and every test shuts a receiver down.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/xero/webhooks"

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        time.sleep(self.delay)
        body = request.get_data()
        signature = request.headers.get("x-xero-signature", "")
        with self._lock:
            self.received.append(Received(body, signature))
            good = hmac.compare_digest(xero_signature(self.key, body), signature)
            refused = self.verify and not good
            status = 401 if refused else (self.statuses.popleft() if self.statuses else 200)
        return Response(self.answer_body, status=status)(environ, start_response)

    def deliveries(self) -> list[Received]:
        """What arrived apart from Intent to Receive's requests (sequence 0)."""
        with self._lock:
            return [r for r in self.received if r.payload["firstEventSequence"] != 0]

    def wait_for(self, count: int, timeout: float = 3.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            arrived = self.deliveries()
            if len(arrived) >= count:
                return arrived
            time.sleep(0.02)
        return self.deliveries()


def running_receiver() -> Iterator[WebhookReceiver]:
    """For a fixture: a started receiver, stopped after the test."""
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def subscribe(control: httpx.Client, app: App, receiver: WebhookReceiver) -> None:
    """Point the app's webhook at the receiver and pass Intent to Receive, as a developer does in the portal."""
    receiver.key = app.webhook_key
    control.put(f"/apps/{app.client_id}/webhook", json={"url": receiver.url}).raise_for_status()
    result = control.post(f"/apps/{app.client_id}/webhook/intent-to-receive").json()
    assert result["passed"], result
    with receiver._lock:
        receiver.received.clear()


def announce(org: Organisation, category: str = "CONTACT", data: dict[str, Any] | None = None) -> str:
    """A change in the organisation, announced as the Accounting routes do after a write; returns its id."""
    resource_id = new_id()
    org.announce(category, "CREATE", resource_id, datetime.now(UTC), data)
    return resource_id
