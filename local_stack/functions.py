"""The service's Lambda functions as the local stack runs them: in process, imported late, one invocation at a time.

A handler module is imported on the function's first invocation (its cold start), after the local
stack has set the environment: functions read their settings and compose their adapters at cold
start, and would otherwise bind to whatever environment existed at import. Each function runs one
invocation at a time, like one warm execution environment: Powertools' logger keys and cold-start
flags are module state, so two invocations of one function at once in one process would mix them.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

Handler = Callable[[dict[str, Any], Any], Any]

# The deployed functions' handlers ("module:attribute"), by the short name the local stack gives them.
API = "functions.api.handler:lambda_handler"
OAUTH_CALLBACK = "functions.oauth_callback.handler:lambda_handler"
WEBHOOK = "functions.webhook.handler:lambda_handler"
SCHEDULED_SYNC = "functions.scheduled_sync.handler:lambda_handler"
SYNC_WORKER = "functions.sync_worker.handler:lambda_handler"


class LocalFunction:
    """A handler given as "package.module:attribute" (imported on first call) or as the function itself."""

    def __init__(self, handler: str | Handler) -> None:
        self._handler = handler
        self._lock = threading.Lock()

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        with self._lock:
            return self._resolved()(event, context)

    def _resolved(self) -> Handler:
        if not isinstance(self._handler, str):
            return self._handler
        module_name, attribute = self._handler.split(":")
        handler: Handler = getattr(importlib.import_module(module_name), attribute)
        self._handler = handler
        return handler
