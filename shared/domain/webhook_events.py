"""Xero's webhook payload (OAS-WH `WebhookEvent`), and the unit of work it becomes on the queue."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, Field


class XeroWebhookEvent(BaseModel):
    resourceUrl: str  # noqa: N815 - Xero's field names
    resourceId: str  # noqa: N815
    eventDateUtc: str  # noqa: N815
    eventType: str  # noqa: N815
    eventCategory: str  # noqa: N815
    tenantId: str  # noqa: N815
    tenantType: str  # noqa: N815

    def receipt_key(self) -> str:
        """Stable across Xero's retries and duplicates of this event: what dedupes it."""
        parts = (self.tenantId, self.eventCategory, self.eventType, self.resourceId, self.eventDateUtc)
        return hashlib.sha256("|".join(parts).encode()).hexdigest()


class XeroWebhookPayload(BaseModel):
    events: list[XeroWebhookEvent]
    firstEventSequence: int  # noqa: N815
    lastEventSequence: int  # noqa: N815
    entropy: str


class ChangeNotice(BaseModel):
    """A Xero record changed: the message the webhook enqueues for the tenant's sync worker."""

    kind: str = Field(default="xero.change", frozen=True)
    tenant_id: str
    xero_tenant_id: str
    category: str  # CONTACT, INVOICE, CREDITNOTE, or a category this version does not know
    event_type: str
    resource_id: str
    event_date_utc: str
    receipt_key: str
