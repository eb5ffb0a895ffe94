"""The sync worker's batch: the work-queue messages of a few tenants, turned into one push and one
pull (the sync from Xero) each.

Sync requests are nudges: however many a tenant has in the batch, one push sends everything it
has pending (at the highest priority asked for). A push that ends at its deadline enqueues a new
request for the rest. Xero's change notices (the tenant's group of changes, shared/ports/work_queue.py)
(one message per Xero delivery, or a single notice from before that, both read) go to one pull,
which also reads the tenant's kept fetches that are due; every tenant in the batch
gets a pull after its push, so fetches kept while its push held the lease are read as soon as it
ends. A push that fails unexpectedly fails the tenant's requests, a pull its notices, so SQS
delivers them again in order (a FIFO group must not skip ahead); the other tenants' succeed.
A notice of a category this version does not read is counted and acknowledged.

A request may name kinds to reconcile from Xero (the scheduled function's, reason "reconcile",
asks for nothing else; a trigger asks for a push too): they are read between the push and the
pull, forced when a person triggered them. A reconciliation that fails unexpectedly fails the
tenant's requests, as a push does.

A pull that told the platform of a change made in Xero (someone is at work there; the echoes of our own
writes tell nothing) also begins, or lengthens, the watch on the tenant's accounts (pull/watch.py), whose
delayed ticks come from their own standard queue to the same worker; a tick is never sent back.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from shared.clock import Clock
from shared.domain.inbound.settings import SyncedKind
from shared.domain.inbound.watch import WatchTick
from shared.domain.sync_requests import SyncRequest
from shared.domain.webhook_events import ChangeNotice, ChangeNotices
from shared.observability import logger, metrics
from shared.ports.work_queue import WorkQueue, change_notices_group, sync_requests_group
from shared.usecases.pull.reconcile import SyncReconcile
from shared.usecases.pull.run import SyncPull
from shared.usecases.pull.watch import ReferenceWatch
from shared.usecases.push.run import SyncPush


@dataclass(frozen=True)
class QueuedMessage:
    message_id: str
    group_id: str
    body: str


@dataclass(frozen=True)
class SyncWork:
    push: SyncPush
    pull: SyncPull
    queue: WorkQueue
    clock: Clock
    reconcile: SyncReconcile | None = None  # None: requests to reconcile are acknowledged unread
    watch: ReferenceWatch | None = None  # None: no accounts watch (ticks are acknowledged unread)

    def handle(self, messages: list[QueuedMessage], deadline: datetime | None) -> set[str]:
        """Run one push per tenant with a sync request among `messages`, then one pull per tenant of the
        batch; the ids of the messages to retry."""
        requests: dict[str, list[SyncRequest]] = {}
        notices: dict[str, list[ChangeNotice]] = {}
        request_ids: dict[str, list[str]] = {}
        notice_ids: dict[str, list[str]] = {}
        ticks: list[WatchTick] = []
        for message in messages:
            parsed = _parsed(message)
            if isinstance(parsed, SyncRequest):
                requests.setdefault(parsed.tenant_id, []).append(parsed)
                request_ids.setdefault(parsed.tenant_id, []).append(message.message_id)
            elif isinstance(parsed, ChangeNotices):
                notices.setdefault(parsed.tenant_id, []).extend(parsed.notices)
                notice_ids.setdefault(parsed.tenant_id, []).append(message.message_id)
            elif isinstance(parsed, WatchTick):
                ticks.append(parsed)
        failed: set[str] = set()
        for tenant_id in dict.fromkeys([*requests, *notices]):
            asked = requests.get(tenant_id, [])
            pushes = [request for request in asked if request.pushes]
            if pushes:
                try:
                    self._push(tenant_id, pushes, deadline)
                except Exception:
                    logger.exception("Push failed; its messages go back to the queue", extra={"tenant_id": tenant_id})
                    failed.update(request_ids[tenant_id])
            if any(request.reconcile for request in asked):
                try:
                    self._reconcile(tenant_id, asked, deadline)
                except Exception:
                    logger.exception(
                        "Reconciliation failed; its messages go back to the queue", extra={"tenant_id": tenant_id}
                    )
                    failed.update(request_ids[tenant_id])
            if not self._pull(tenant_id, notices.get(tenant_id, []), deadline):
                failed.update(notice_ids.get(tenant_id, []))
        for tick in ticks:
            self._tick(tick)
        return failed

    def _pull(self, tenant_id: str, notices: list[ChangeNotice], deadline: datetime | None) -> bool:
        """The tenant's pull; False when it failed (its notices go back to the queue). A pull that told the
        platform of a change begins the accounts watch: someone is at work in Xero (our own writes' echoes
        tell nothing)."""
        try:
            pulled = self.pull.run(tenant_id, notices, deadline=deadline)
        except Exception:
            logger.exception("Pull failed; its notices go back to the queue", extra={"tenant_id": tenant_id})
            return False
        if pulled.told:
            self._watch(tenant_id)
        return True

    def _watch(self, tenant_id: str) -> None:
        """The tenant is at work in Xero: watch its accounts a while (a failure loses only the watch)."""
        if self.watch is None:
            return
        try:
            self.watch.begin(tenant_id)
        except Exception:
            logger.exception("The accounts watch could not begin", extra={"tenant_id": tenant_id})

    def _tick(self, tick: WatchTick) -> None:
        """One look at the tenant's accounts; never sent back: a tick is worth nothing late, and the
        tenant's next change notice begins the watch again."""
        if self.watch is None:
            return
        try:
            self.watch.tick(tick)
        except Exception:
            logger.exception("An accounts watch tick failed; the watch ends", extra={"tenant_id": tick.tenant_id})

    def _push(self, tenant_id: str, asked: list[SyncRequest], deadline: datetime | None) -> None:
        priority = max(request.priority for request in asked)
        report = self.push.run(tenant_id, priority=priority, deadline=deadline)
        metrics.add_metric(name="XeroCallsPerPush", unit=MetricUnit.Count, value=report.calls)
        if report.more:
            rest = SyncRequest(tenant_id=tenant_id, priority=priority, reason="continue")
            self.queue.send(sync_requests_group(tenant_id), f"continue-{secrets.token_hex(8)}", rest)

    def _reconcile(self, tenant_id: str, asked: list[SyncRequest], deadline: datetime | None) -> None:
        if self.reconcile is None:
            return
        kinds: dict[SyncedKind, None] = {}
        for request in asked:
            kinds |= dict.fromkeys(request.reconcile)
        forced = any(request.reason == "trigger" for request in asked if request.reconcile)
        self.reconcile.run(tenant_id, list(kinds), forced=forced, deadline=deadline)


def _parsed(message: QueuedMessage) -> SyncRequest | ChangeNotices | WatchTick | None:
    """The message's sync request or Xero change notices; None for a message that is not ours, or one in
    another tenant's group (the group is the webhook's and the API's word for whose it is)."""
    try:
        body = json.loads(message.body)
    except ValueError:
        body = None
    kind = body.get("kind") if isinstance(body, dict) else None
    if kind == "xero.watch":
        return _tick(message, body)
    if kind in ("xero.changes", "xero.change"):
        return _change_notices(message, body)
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


def _change_notices(message: QueuedMessage, body: dict[str, object]) -> ChangeNotices | None:
    """The webhook's message of one delivery's notices for a tenant, or a single notice: the message it sent
    before, which may still be queued when this version is deployed."""
    try:
        if body.get("kind") == "xero.change":
            single = ChangeNotice.model_validate(body)
            notices = ChangeNotices(tenant_id=single.tenant_id, notices=[single])
        else:
            notices = ChangeNotices.model_validate(body)
    except ValidationError:
        logger.error("A change notice this worker cannot read; acknowledged", extra={"message_id": message.message_id})
        metrics.add_metric(name="UnknownWorkMessages", unit=MetricUnit.Count, value=1)
        return None
    if change_notices_group(notices.tenant_id) != message.group_id:
        logger.error(
            "A change notice in another tenant's group; acknowledged", extra={"message_id": message.message_id}
        )
        return None
    metrics.add_metric(name="ChangeNoticesReceived", unit=MetricUnit.Count, value=len(notices.notices))
    return notices


def _tick(message: QueuedMessage, body: object) -> WatchTick | None:
    try:
        return WatchTick.model_validate(body)
    except ValidationError:
        logger.error("A watch tick this worker cannot read; acknowledged", extra={"message_id": message.message_id})
        metrics.add_metric(name="UnknownWorkMessages", unit=MetricUnit.Count, value=1)
        return None
