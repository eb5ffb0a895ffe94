"""Xero webhook deliveries for tests: events, bodies in Xero's own spacing, signed by the simulator's code.

The bodies and signatures come from the Xero simulator (xero_simulator.webhooks), an implementation
of FACTS.md §2.2 separate from the one under test, so a receiver that hashed the wrong bytes or used
the wrong key encoding fails here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from xero_simulator.msjson import naive_utc
from xero_simulator.webhooks.payload import delivery_body, intent_to_receive_body, new_entropy
from xero_simulator.webhooks.signature import sign


@dataclass(frozen=True)
class Delivery:
    body: bytes
    signature: str


def change_event(
    xero_tenant_id: str,
    *,
    category: str = "CONTACT",
    event_type: str = "UPDATE",
    resource_id: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """One event as Xero writes it (OAS-WH `WebhookEvent`); any category, including ones the simulator lacks."""
    resource = resource_id or str(uuid.uuid4())
    return {
        "resourceUrl": f"https://api.xero.com/api.xro/2.0/{category.title()}s/{resource}",
        "resourceId": resource,
        "eventDateUtc": naive_utc(at or datetime.now(UTC)),
        "eventType": event_type,
        "eventCategory": category,
        "tenantId": xero_tenant_id,
        "tenantType": "ORGANISATION",
    }


def signed_delivery(webhook_key: str, events: list[dict[str, Any]], first_sequence: int = 1) -> Delivery:
    """A delivery of `events` in Xero's byte spacing, signed with `webhook_key`."""
    body = delivery_body(events, first_sequence, first_sequence + len(events) - 1, new_entropy())
    return Delivery(body, sign(webhook_key, body))


def intent_to_receive(webhook_key: str) -> Delivery:
    """An Intent to Receive request (FACTS.md §2.3), correctly signed with `webhook_key`."""
    body = intent_to_receive_body(new_entropy())
    return Delivery(body, sign(webhook_key, body))
