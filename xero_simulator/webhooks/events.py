"""A record change as Xero announces it in a webhook (FACTS.md §2.4, OAS-WH `WebhookEvent`)."""

from __future__ import annotations

from typing import Any

from xero_simulator.msjson import naive_utc
from xero_simulator.world import ChangeEvent

# The collection whose URL a webhook event points at; OAS-WH has no other organisation categories.
RESOURCE_COLLECTIONS = {"CONTACT": "Contacts", "INVOICE": "Invoices", "CREDITNOTE": "CreditNotes"}


def webhook_event(change: ChangeEvent, base_url: str) -> dict[str, Any]:
    """The event object of a delivery, fields in the order of Xero's example; only CREDITNOTE events carry `data`.

    INVOICE and CONTACT events carry no record body, type or status, so a receiver must fetch the record
    through `resourceUrl` (FACTS.md §2.4).
    """
    collection = RESOURCE_COLLECTIONS[change.category]
    event: dict[str, Any] = {
        "resourceUrl": f"{base_url}/api.xro/2.0/{collection}/{change.resource_id}",
        "resourceId": change.resource_id,
        "eventDateUtc": naive_utc(change.at),
        "eventType": change.event_type,
        "eventCategory": change.category,
        "tenantId": change.tenant_id,
        "tenantType": "ORGANISATION",
    }
    if change.category == "CREDITNOTE":
        event["data"] = dict(change.data or {})
    return event
