"""What Xero is told, and what is counted: the one place intake outcomes become HTTP answers.

Xero reads only the status: 200 means taken, 401 means the signature is wrong, anything else is
retried for up to 24 hours (FACTS.md §2.1). Every answer has an empty body and sets no cookie,
because Xero fails a receiver that sends either (§2.1, §2.3).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from shared.observability import logger, metrics
from shared.ports.app_secrets import AppNotConfiguredError
from shared.usecases.webhook_intake import (
    DeliveryNotStoredError,
    IntakeReport,
    SignatureRejectedError,
    UnreadableDeliveryError,
)

# Each error's status and metric. A correctly signed body we cannot read is answered 500, not 200:
# Xero keeps retrying it for 24 hours, time to ship a parser that reads it, whereas a 200 would
# lose its events for good (docs/decisions.md). A missing webhook key is our fault, not a forgery:
# 500 keeps Xero retrying instead of telling it that its signature is wrong.
INTAKE_ERRORS: dict[type[Exception], tuple[int, str]] = {
    SignatureRejectedError: (401, "WebhookRejectedSignature"),
    UnreadableDeliveryError: (500, "WebhookUnreadableDelivery"),
    DeliveryNotStoredError: (500, "WebhookDeliveryNotStored"),
    AppNotConfiguredError: (500, "WebhookKeyMissing"),
}
HANDLED = tuple(INTAKE_ERRORS)

# Report field -> metric name. Tenant ids never become dimensions (docs/decisions.md); the log
# lines of the use case carry them.
_REPORT_METRICS = {
    "enqueued": "WebhookEventsEnqueued",
    "duplicates": "WebhookEventsDuplicate",
    "dropped_unknown_tenant": "WebhookEventsDroppedUnknownTenant",
    "dropped_not_connected": "WebhookEventsDroppedNotConnected",
    "unknown_category": "WebhookEventsUnknownCategory",
}


def empty_answer(status: int) -> dict[str, Any]:
    """An API Gateway HTTP API answer with `status`, no body and no cookies."""
    return {"statusCode": status, "headers": {}, "body": "", "isBase64Encoded": False}


def answer_to_report(report: IntakeReport) -> dict[str, Any]:
    """Count what a taken delivery became and answer Xero's 200."""
    metrics.add_metric(
        name="WebhookIntentToReceive" if report.intent_to_receive else "WebhookDeliveries",
        unit=MetricUnit.Count,
        value=1,
    )
    for field, name in _REPORT_METRICS.items():
        value = getattr(report, field)
        if value:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    return empty_answer(200)


def answer_to_error(error: Exception) -> dict[str, Any]:
    """Count a refused or failed delivery and answer with its status (see INTAKE_ERRORS)."""
    status, metric = next(known for kind, known in INTAKE_ERRORS.items() if isinstance(error, kind))
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
    if status == 401:
        logger.warning("webhook delivery refused: bad or missing signature")
    else:
        logger.error("webhook delivery not taken; Xero will retry", extra={"problem": str(error)}, exc_info=error)
    return empty_answer(status)
