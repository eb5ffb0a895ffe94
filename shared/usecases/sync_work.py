"""The sync worker's batch: the work-queue messages of a few tenants, turned into one push each.

Messages are nudges: however many a tenant has in the batch, one push sends everything it has
pending (at the highest priority asked for). A push that ends at its deadline enqueues a new
request for the rest. A tenant whose push fails unexpectedly fails all of its messages, so SQS
delivers them again in order (a FIFO group must not skip ahead); the other tenants' succeed.
Xero change notices from the webhook (in each tenant's group of changes, see
shared/ports/work_queue.py) are counted and acknowledged until the sync from Xero consumes them
(issue 5).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from shared.clock import Clock
from shared.domain.sync_requests import SyncRequest
from shared.observability import logger, metrics
from shared.ports.work_queue import WorkQueue, sync_requests_group
from shared.usecases.push.run import SyncPush


@dataclass(frozen=True)
class QueuedMessage:
    message_id: str
    group_id: str
    body: str


@dataclass(frozen=True)
class SyncWork:
    push: SyncPush
    queue: WorkQueue
    clock: Clock

    def handle(self, messages: list[QueuedMessage], deadline: datetime | None) -> set[str]:
        """Run one push per tenant with a sync request among `messages`; the ids of the messages to retry."""
        requests: dict[str, list[SyncRequest]] = {}
        by_tenant: dict[str, list[str]] = {}
        for message in messages:
            by_tenant.setdefault(message.group_id, []).append(message.message_id)
            request = _sync_request(message)
            if request is not None:
                requests.setdefault(request.tenant_id, []).append(request)
        failed: set[str] = set()
        for tenant_id, asked in requests.items():
            try:
                self._push(tenant_id, asked, deadline)
            except Exception:
                logger.exception("Push failed; its messages go back to the queue", extra={"tenant_id": tenant_id})
                failed.update(by_tenant.get(tenant_id, []))
        return failed

    def _push(self, tenant_id: str, asked: list[SyncRequest], deadline: datetime | None) -> None:
        priority = max(request.priority for request in asked)
        report = self.push.run(tenant_id, priority=priority, deadline=deadline)
        metrics.add_metric(name="XeroCallsPerPush", unit=MetricUnit.Count, value=report.calls)
        if report.more:
            rest = SyncRequest(tenant_id=tenant_id, priority=priority, reason="continue")
            self.queue.send(sync_requests_group(tenant_id), f"continue-{secrets.token_hex(8)}", rest)


def _sync_request(message: QueuedMessage) -> SyncRequest | None:
    """The message's sync request; None for a Xero change notice (issue 5) or a message that is not ours."""
    try:
        body = json.loads(message.body)
    except ValueError:
        body = None
    kind = body.get("kind") if isinstance(body, dict) else None
    if kind == "xero.change":
        metrics.add_metric(name="ChangeNoticesReceived", unit=MetricUnit.Count, value=1)
        return None
    try:
        request = SyncRequest.model_validate(body)
    except ValidationError:
        logger.error("Not a message this worker knows; acknowledged", extra={"message_id": message.message_id})
        metrics.add_metric(name="UnknownWorkMessages", unit=MetricUnit.Count, value=1)
        return None
    if sync_requests_group(request.tenant_id) != message.group_id:
        logger.error("A sync request in another tenant's group; acknowledged", extra={"message_id": message.message_id})
        return None
    return request
