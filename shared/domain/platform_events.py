"""Events xero-sync publishes on its EventBridge bus for the platform (schema: docs/events.md)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

EVENT_SOURCE = "xero-sync"


class EventType(StrEnum):
    CONNECTION_CONNECTED = "connection.connected"
    CONNECTION_DISCONNECTED = "connection.disconnected"
    CONNECTION_NEEDS_REAUTH = "connection.needs_reauth"
    RECORD_EXPORTED = "record.exported"  # a record version reached Xero (data: entity, platform_id, version, xero_id)
    RECORD_FAILED = "record.failed"  # Xero refused a record version (data: entity, platform_id, version, message)
    SYNC_PAUSED = "sync.paused"  # Xero's daily limit is spent: nothing is sent until `until` (data: until, reason)
    # Changes made in Xero, as the change feed holds them (shared/domain/inbound/changes.py, docs/events.md).
    RECORD_CREATED = "record.created"  # a record new in Xero is on the platform
    RECORD_UPDATED = "record.updated"  # Xero changed a record (or only its Xero status: paid, for one)
    RECORD_DELETED = "record.deleted"  # voided, deleted or archived in Xero
    RECORD_CONFLICT = "record.conflict"  # changed on both sides: both versions, the winner and the rule


class PlatformEvent(BaseModel):
    """One event: EventBridge `detail-type` is `type`; `detail` is the rest, as JSON."""

    type: EventType
    tenant_id: str
    occurred_at: datetime
    data: dict[str, Any] = Field(default_factory=dict)

    def detail(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.data,
        }

    def without_bodies(self) -> PlatformEvent:
        """This event with its record bodies left out and `bodies_omitted` set: what is published when
        the whole would pass EventBridge's size limit (the change feed holds the change whole)."""
        data = {name: value for name, value in self.data.items() if name not in BODY_FIELDS}
        return self.model_copy(update={"data": data | {"bodies_omitted": True}})


# The fields of a change's data that carry record bodies (docs/events.md).
BODY_FIELDS = frozenset({"body", "platform_body", "xero_body"})
