"""PLACEHOLDER: the work queue's consumer until the sync worker exists (issue 4).

The local stack's SQS poller needs a function to invoke. Until the sync worker arrives, this one
prints a line per batch (how many messages, for which tenants) and acknowledges every message, so
the demo shows webhook events arriving intact on the queue. It syncs nothing. Replace it with the
sync worker's handler in local_stack/stack.py when that lands.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any


class AcknowledgingConsumer:
    """Prints each batch it receives, remembers how many messages each message group sent, and fails nothing."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say
        self._lock = threading.Lock()
        self.messages_by_group: Counter[str] = Counter()

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        groups = Counter(record["attributes"].get("MessageGroupId", "-") for record in event["Records"])
        with self._lock:
            self.messages_by_group.update(groups)
        summary = ", ".join(f"{count} for tenant {group}" for group, count in groups.items())
        self._say(f"work queue: acknowledged {summary} (placeholder consumer until the sync worker)")
        return {"batchItemFailures": []}

    def received(self, group: str) -> int:
        with self._lock:
            return self.messages_by_group[group]
