"""Xero's webhook payload (OAS-WH `WebhookEvent`), and the units of work it becomes on the queue.

The webhook enqueues one ChangeNotices per (delivery, tenant): every new event of the delivery for
that tenant in one message, so that the worker's batch of 10 messages (the SQS FIFO event source's
most) brings a pull enough ids to fill its 50-id fetches. A single ChangeNotice was the message
before; the worker still reads one (docs/decisions.md, "One queue message per delivery and tenant").
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, Field, model_validator


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


class ChangeNotices(BaseModel):
    """Some of one delivery's events for one tenant, oldest first: the message the webhook enqueues."""

    kind: str = Field(default="xero.changes", frozen=True)
    tenant_id: str
    notices: list[ChangeNotice] = Field(min_length=1)

    @model_validator(mode="after")
    def _all_the_tenants(self) -> ChangeNotices:
        # The message group says whose the message is; a notice of another tenant inside it is not ours to read.
        if any(notice.tenant_id != self.tenant_id for notice in self.notices):
            raise ValueError("a notice of another tenant")
        return self

    def deduplication_id(self) -> str:
        """The SQS deduplication id: a digest of the notices' receipt keys, so Xero's retry of the same
        delivery (after a send that SQS took but did not confirm) is dropped by the queue itself."""
        return hashlib.sha256("|".join(notice.receipt_key for notice in self.notices).encode()).hexdigest()
