"""EventBridge schedules, locally: fire a rule's scheduled event at its target handler at a fixed rate.

moto accepts schedule rules but never fires them (notes/aws.md §4), so the local stack fires what
EventBridge would: the "Scheduled Event" of the rule (local_stack/events.py), first one period after
start as a `rate(...)` rule does, then once per period. EventBridge invokes its Lambda target
asynchronously, so a failed invocation is logged and the schedule carries on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from local_stack.events import LocalLambdaContext, scheduled_event

_log = logging.getLogger(__name__)

ScheduledHandler = Callable[[dict[str, Any], Any], Any]


class Scheduler:
    """Fires `rule_arn`'s scheduled event at `handler` every `period_seconds` until stopped.

    `report`, when given, is called with each scheduled run's answer (None when it failed).
    """

    def __init__(
        self,
        rule_arn: str,
        handler: ScheduledHandler,
        *,
        function_name: str,
        period_seconds: float,
        function_timeout_seconds: float = 300.0,
        report: Callable[[Any], None] | None = None,
    ) -> None:
        if period_seconds <= 0:
            raise ValueError("period_seconds must be positive")
        self.rule_arn = rule_arn
        self._handler = handler
        self._function_name = function_name
        self._period = period_seconds
        self._timeout = function_timeout_seconds
        self._report = report
        self.fired = 0
        self.failed = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{function_name}-schedule", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop firing; an invocation in progress finishes first."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def fire(self) -> Any:
        """Invoke the target once with a fresh scheduled event, as one tick of the schedule; its answer."""
        context = LocalLambdaContext(self._function_name, timeout_seconds=self._timeout)
        self.fired += 1
        try:
            return self._handler(scheduled_event(self.rule_arn), context)
        except Exception:
            self.failed += 1
            _log.exception("%s failed on its scheduled event", self._function_name)
            return None

    def _run(self) -> None:
        while not self._stopping.wait(self._period):
            answer = self.fire()
            if self._report is not None:
                self._report(answer)
