"""The work queue's consumer on the local stack: the sync worker, with a count of what it received.

The SQS poller invokes it as Lambda's event source mapping invokes the deployed worker. The
count per message group (shared/ports/work_queue.py) lets the demo and the end-to-end tests wait for a webhook's
message to be consumed.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from local_stack.functions import Handler


class WorkConsumer:
    """Counts each batch's messages by message group, then hands the batch to the sync worker."""

    def __init__(self, worker: Handler) -> None:
        self._worker = worker
        self._lock = threading.Lock()
        self.messages_by_group: Counter[str] = Counter()

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        groups = Counter(record["attributes"].get("MessageGroupId", "-") for record in event["Records"])
        with self._lock:
            self.messages_by_group.update(groups)
        return self._worker(event, context)

    def received(self, group: str) -> int:
        with self._lock:
            return self.messages_by_group[group]
