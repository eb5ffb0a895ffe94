"""Webhook intake: verify Xero's delivery, split its events per tenant and enqueue each once.

Xero wants an answer within 5 seconds (FACTS.md §2.1), so intake makes no Xero call: it checks the
signature over the raw bytes, looks up which of our tenants are connected to each event's
organisation, and puts one message per (delivery, tenant) on the tenant's FIFO group of change
notices: a ChangeNotices holding a ChangeNotice per new event, for the sync worker, which fetches the
records itself (events carry no record body, FACTS.md §2.4). One message per delivery rather than per
event: the worker's batch is at most 10 messages, and the pull fetches 50 ids a call only if the batch
brings it that many (docs/decisions.md, "One queue message per delivery and tenant"). A message holds
at most NOTICES_PER_MESSAGE notices, well under SQS's 256 KB.

Xero retries a delivery until it gets a 200, for up to 24 hours, and may send duplicates (§2.1,
§2.4: at-least-once). SQS FIFO only drops repeats within 5 minutes, so a receipt per (tenant, event)
is kept for 48 hours and a repeat is not enqueued again. Nothing is lost on the way: when a message
cannot be sent, the receipts of its events and of every event not yet sent are forgotten and the
delivery is answered with an error, so Xero sends it again and only what was sent is a duplicate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError

from shared.clock import Clock
from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.inbound.coalesce import CATEGORY_COLLECTIONS
from shared.domain.webhook_events import ChangeNotice, ChangeNotices, XeroWebhookEvent, XeroWebhookPayload
from shared.domain.webhook_signature import is_signed_by_xero
from shared.observability import logger
from shared.ports.app_secrets import AppSecrets
from shared.ports.state import ConnectionRepository, WebhookReceipts
from shared.ports.work_queue import WorkQueue, change_notices_group

# Xero retries for up to 24 hours (FACTS.md §2.1); twice that outlasts the last retry with room for
# a delivery that waited in Xero's queue behind a failing one.
RECEIPT_LIFETIME = timedelta(hours=48)

# Categories this version syncs: those the sync from Xero reads. Others (PREPAYMENT since spec 17.0.0,
# OVERPAYMENT, FACTS.md §2.4) are enqueued all the same: the worker counts them, so nothing Xero told us
# is dropped here.
KNOWN_CATEGORIES = frozenset(CATEGORY_COLLECTIONS)

# SQS takes a message of up to 256 KB. A notice is some 400 bytes of JSON (tenant ids of 64 characters,
# tests/unit/test_webhook_intake.py measures it), so 500 make about 200 KB. The simulator's deliveries
# (100 events at most) fit in one; Xero's batching rule is not documented (FACTS.md §2.4).
NOTICES_PER_MESSAGE = 500


class SignatureRejectedError(Exception):
    """The `x-xero-signature` header is missing or is not the webhook key's signature of the body."""


class UnreadableDeliveryError(Exception):
    """A correctly signed body that is not Xero's payload schema: Xero changed it, or we are behind."""


class DeliveryNotStoredError(Exception):
    """An event could not be enqueued; the delivery must be retried by Xero so that nothing is lost."""


@dataclass
class IntakeReport:
    """What one delivery became: counts per (tenant, event) except `events` and `dropped_unknown_tenant`,
    which count Xero's events (an event of an organisation nobody connected has no tenant), and
    `messages`, which counts what was put on the queue."""

    events: int = 0
    enqueued: int = 0
    duplicates: int = 0
    dropped_unknown_tenant: int = 0
    dropped_not_connected: int = 0
    unknown_category: int = 0  # enqueued, and counted so that a new Xero category is noticed
    messages: int = 0  # queue messages sent: one per tenant of the delivery, or more past NOTICES_PER_MESSAGE

    @property
    def intent_to_receive(self) -> bool:
        """An empty, correctly signed delivery: Xero checking the endpoint (FACTS.md §2.3)."""
        return self.events == 0


def notice_key(tenant_id: str, event: XeroWebhookEvent) -> str:
    """The receipt key of one event for one of our tenants (a message's deduplication id digests these).

    Several of our tenants may connect the same organisation, and SQS FIFO dedupes across the
    whole queue, not per message group: a key of the event alone would enqueue it for one tenant only.
    """
    return hashlib.sha256(f"{tenant_id}|{event.receipt_key()}".encode()).hexdigest()


class WebhookIntake:
    """Receives one Xero webhook delivery (see the module docstring); the function answers from its outcome."""

    def __init__(
        self,
        *,
        app_secrets: AppSecrets,
        connections: ConnectionRepository,
        receipts: WebhookReceipts,
        queue: WorkQueue,
        clock: Clock,
    ) -> None:
        self._app_secrets = app_secrets
        self._connections = connections
        self._receipts = receipts
        self._queue = queue
        self._clock = clock

    # Not wrapped in tracer.capture_method: it logs every exception at ERROR, and a forged delivery is
    # an expected refusal, not an error. The handler's segment and boto3's subsegments trace it.
    def receive(self, body: bytes, signature: str | None) -> IntakeReport:
        """Verify `body` (the raw bytes Xero sent) against `signature`, then enqueue its events once each.

        Raises SignatureRejectedError (Xero wants 401), UnreadableDeliveryError and
        DeliveryNotStoredError (answered with an error so that Xero retries), and the port's
        AppNotConfiguredError while the operator has not filled the webhook key.
        """
        if not is_signed_by_xero(self._app_secrets.webhook_key(), body, signature):
            raise SignatureRejectedError("x-xero-signature is missing or wrong")
        payload = _read(body)
        report = IntakeReport(events=len(payload.events))
        now = self._clock.now()
        connected_to: dict[str, list[Connection]] = {}
        fresh: dict[str, list[ChangeNotice]] = {}
        try:
            for event in payload.events:
                if event.tenantId not in connected_to:
                    connected_to[event.tenantId] = self._connections.find_by_xero_tenant(event.tenantId)
                self._take(event, connected_to[event.tenantId], now, report, fresh)
        except Exception:  # a receipt kept for an event never sent would make Xero's retry skip it
            self._forget([notice for notices in fresh.values() for notice in notices])
            raise
        self._enqueue(fresh, report)
        logger.info(
            "webhook delivery taken",
            extra={
                "first_event_sequence": payload.firstEventSequence,
                "last_event_sequence": payload.lastEventSequence,
                **vars(report),
            },
        )
        return report

    def _take(
        self,
        event: XeroWebhookEvent,
        connections: list[Connection],
        now: datetime,
        report: IntakeReport,
        fresh: dict[str, list[ChangeNotice]],
    ) -> None:
        """Add the event to `fresh` for each connected tenant that has not had it yet (its receipt taken)."""
        if not connections:
            report.dropped_unknown_tenant += 1
            _log_dropped("no tenant is connected to the event's organisation", event)
            return
        for connection in connections:
            with logger.append_context_keys(tenant_id=connection.tenant_id):
                if connection.status is not ConnectionStatus.CONNECTED:
                    report.dropped_not_connected += 1
                    _log_dropped(f"the tenant's connection is {connection.status.value}", event)
                    continue
                key = notice_key(connection.tenant_id, event)
                if not self._receipts.first_time(key, now, RECEIPT_LIFETIME):
                    report.duplicates += 1
                    continue
                fresh.setdefault(connection.tenant_id, []).append(_notice(connection.tenant_id, event, key))
                report.enqueued += 1
                if event.eventCategory not in KNOWN_CATEGORIES:
                    report.unknown_category += 1

    def _enqueue(self, fresh: dict[str, list[ChangeNotice]], report: IntakeReport) -> None:
        """Send each tenant's new notices in messages of at most NOTICES_PER_MESSAGE, in the delivery's order."""
        messages = [
            ChangeNotices(tenant_id=tenant_id, notices=notices[start : start + NOTICES_PER_MESSAGE])
            for tenant_id, notices in fresh.items()
            for start in range(0, len(notices), NOTICES_PER_MESSAGE)
        ]
        for sent, message in enumerate(messages):
            try:
                self._queue.send(
                    group_id=change_notices_group(message.tenant_id),
                    deduplication_id=message.deduplication_id(),
                    message=message,
                )
            except Exception as exc:  # any failure of the queue: the answer must make Xero send it again
                self._forget([notice for unsent in messages[sent:] for notice in unsent.notices])
                raise DeliveryNotStoredError("a message of the delivery's events could not be enqueued") from exc
            report.messages += 1

    def _forget(self, notices: list[ChangeNotice]) -> None:
        for notice in notices:
            try:
                self._receipts.forget(notice.receipt_key)
            except Exception:  # the queue and the table both failing: say loudly which event Xero's retry will skip
                logger.exception(
                    "receipt kept after a failed enqueue; the retry will be taken for a duplicate",
                    extra={"receipt_key": notice.receipt_key, "tenant_id": notice.tenant_id},
                )


def _notice(tenant_id: str, event: XeroWebhookEvent, key: str) -> ChangeNotice:
    return ChangeNotice(
        tenant_id=tenant_id,
        xero_tenant_id=event.tenantId,
        category=event.eventCategory,
        event_type=event.eventType,
        resource_id=event.resourceId,
        event_date_utc=event.eventDateUtc,
        receipt_key=key,
    )


def _read(body: bytes) -> XeroWebhookPayload:
    try:
        return XeroWebhookPayload.model_validate_json(body)
    except ValidationError as exc:
        # Where and why, never the values: the body is Xero's data, not ours to log.
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in exc.errors(include_input=False)]
        raise UnreadableDeliveryError("; ".join(problems)) from exc


def _log_dropped(reason: str, event: XeroWebhookEvent) -> None:
    # The event's organisation, category and type only: enough to explain the count, nothing of the record.
    logger.info(
        "webhook event dropped",
        extra={
            "reason": reason,
            "xero_tenant_id": event.tenantId,
            "event_category": event.eventCategory,
            "event_type": event.eventType,
        },
    )
