"""The work-queue message that asks the sync worker to send a tenant's pending records to Xero.

A nudge, not the work itself: the ledger says what is pending, so a lost, repeated or late
request never loses or doubles a record. The tenant's group of sync requests
(shared/ports/work_queue.py) keeps one worker per tenant at a time.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.domain.inbound.settings import SyncedKind
from shared.domain.rate_limits import Priority
from shared.domain.records import Entity


class SyncRequest(BaseModel):
    kind: str = Field(default="sync.push", frozen=True)
    tenant_id: str
    entity: Entity | None = None  # None: every entity, in dependency order
    priority: Priority = Priority.USER_WRITE
    reason: str = "write"  # write, retry, trigger, schedule, connect, reconcile (no push)
    reconcile: tuple[SyncedKind, ...] = ()  # the kinds to read again from Xero

    @property
    def pushes(self) -> bool:
        """Whether the request asks for a push (a scheduled reconciliation asks for nothing else)."""
        return self.reason != "reconcile"
