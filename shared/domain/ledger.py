"""The sync ledger: per record, where it stands with Xero, which version Xero has, and its Xero id.

One `StoredRecord` holds the platform's latest version of a record (its body, or a tombstone
once deleted) together with its ledger entry, so a write and the state it sets are one item and
one atomic step. `LedgerEvent`s are the record's history. An `InFlightBatch` is a call to Xero
that has been decided but whose outcome is not yet on its records: the sync worker writes it
before the call and removes it after the outcomes, so a worker that dies in between is
followed by one that sends the very same request with the very same Idempotency-Key (docs/decisions.md).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from shared.domain.records import Entity, RecordBody, parse_body


class SyncState(StrEnum):
    PENDING = "pending"  # a version Xero does not have yet is waiting to be sent
    IN_FLIGHT = "in_flight"  # in a call to Xero whose outcome is not recorded yet
    SYNCED = "synced"  # Xero has the latest version
    FAILED = "failed"  # Xero refused it; `message` is Xero's own
    SKIPPED = "skipped"  # not sent by rule or setting; `message` says why
    PARKED = "parked"  # waits for a condition (a lock date, a dependency, the daily limit); `message` says which


# States the sync worker picks records up from.
SENDABLE = (SyncState.PENDING, SyncState.IN_FLIGHT)


class StoredRecord(BaseModel):
    """A record and its ledger entry, keyed by (tenant, entity, platform id)."""

    tenant_id: str
    entity: Entity
    platform_id: str
    version: int  # bumped by every change the platform makes; 1 for a new record
    body: dict[str, Any]  # the last body written (kept on delete: a void or delete still needs it)
    deleted: bool = False
    updated_at: datetime  # when the platform last changed it
    state: SyncState
    state_at: datetime  # when the state last changed
    synced_version: int | None = None  # the last version Xero accepted
    xero_id: str | None = None
    # Xero ids of what the record produced beyond itself: a payment's discount credit note and
    # its allocation, its fee bill and the fee bill's payment.
    linked: dict[str, str] = Field(default_factory=dict)
    xero_status: str | None = None  # the Xero status of the synced version (DRAFT, AUTHORISED, VOIDED, ...)
    # A payment or credit note is applied to it in Xero, which then refuses edits and voids (FACTS.md §4.7).
    has_applied: bool = False
    message: str | None = None
    attempts: int = 0  # sends of this version that did not end in a verdict
    last_synced_at: datetime | None = None

    def parsed(self) -> RecordBody:
        return parse_body(self.entity, self.body)

    def body_as[M: RecordBody](self, model: type[M]) -> M:
        """The body as `model`; TypeError when the record is of another entity (a programming error)."""
        body = self.parsed()
        if not isinstance(body, model):
            raise TypeError(f"a {self.entity.value} record is not a {model.__name__}")
        return body


class LedgerEvent(BaseModel):
    """One line of a record's history."""

    at: datetime
    version: int
    state: SyncState
    message: str | None = None
    xero_id: str | None = None


class Outcome(BaseModel):
    """What the sync worker learnt about one record version: the state to set and what goes with it."""

    state: SyncState
    message: str | None = None
    xero_id: str | None = None
    xero_status: str | None = None
    linked: dict[str, str] = Field(default_factory=dict)


class BatchMember(BaseModel):
    platform_id: str
    version: int


class InFlightBatch(BaseModel):
    """A request to Xero decided but not yet settled: enough to send it again byte for byte."""

    tenant_id: str
    key: str  # the Idempotency-Key
    entity: Entity
    step: str  # which step of the sync made it (create, update, void, delete, allocate, ...)
    method: str
    path: str
    params: dict[str, str] = Field(default_factory=dict)
    payload: dict[str, Any]
    members: list[BatchMember]
    created_at: datetime


class EntityCounts(BaseModel):
    """A tenant's sync status for one entity."""

    entity: Entity
    counts: dict[SyncState, int]
    last_synced_at: datetime | None = None
    oldest_pending_at: datetime | None = None  # the lag: how long the oldest unsent change has waited
