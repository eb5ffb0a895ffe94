"""The sync ledger: per record, where it stands with Xero, which version Xero has, and its Xero id.

One `StoredRecord` holds the platform's latest version of a record (its body, or a tombstone
once deleted) together with its ledger entry, so a write and the state it sets are one item and
one atomic step. `LedgerEvent`s are the record's history. An `InFlightBatch` is a call to Xero
that has been decided but whose outcome is not yet on its records: the sync worker writes it
before the call and removes it after the outcomes, so a worker that dies in between is
followed by one that sends the very same request with the very same Idempotency-Key (docs/decisions.md).

The sync from Xero (issue 5) keeps three more things per record: `xero_updated_at`, Xero's own
UpdatedDateUTC of the version Xero holds as xero-sync last wrote or read it (what tells an echo of
our write from a Xero user's edit, shared/domain/inbound/echo.py); `synced_body`, the body Xero
last accepted, kept only while the platform has a newer one (what tells "Xero still holds what we
sent" from "someone changed it in Xero"); and `XeroVersion`, what one decision about a record
fetched from Xero does to it (shared/domain/ledger_changes.py `from_xero`).
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

# The parts a payment becomes in Xero, in the order they are created (and removed in reverse): the
# payment itself, an early-payment discount's credit note and its allocation, a fee's bill and the
# bill's payment. Their Xero ids are kept in the payment's `linked`, under these names.
PAYMENT_PARTS = ("payment", "discount_credit_note", "discount_allocation", "fee_bill", "fee_payment")


def part_ids(linked: dict[str, str]) -> set[str]:
    """The Xero ids a record's `linked` holds (its other entries hold versions, not ids)."""
    return {linked[part] for part in PAYMENT_PARTS if linked.get(part)}


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
    # Xero's UpdatedDateUTC of the version it holds, as xero-sync last wrote or read it (Xero's clock).
    xero_updated_at: datetime | None = None
    # The body Xero last accepted (version `synced_version`), kept only while the platform's latest
    # version is another one; None when unknown (then any difference in Xero counts as Xero's change).
    synced_body: dict[str, Any] | None = None
    synced_deleted: bool = False

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
    """What the sync worker learnt about one record version: the state to set and what goes with it.

    `xero_updated_at` is the UpdatedDateUTC of Xero's answer element for the record itself (not for
    one of its parts): the stamp its echo will carry."""

    state: SyncState
    message: str | None = None
    xero_id: str | None = None
    xero_status: str | None = None
    linked: dict[str, str] = Field(default_factory=dict)
    xero_updated_at: datetime | None = None


class XeroEffect(StrEnum):
    """What a version fetched from Xero does to the platform's record."""

    TAKE = "take"  # Xero's body becomes the record's new version (a new record when there was none)
    DELETE = "delete"  # the record is deleted: voided, deleted or archived in Xero
    # The body stays, under a new version: a change the platform is told of that leaves the body as it
    # is (Xero's status alone moved, or a conflict the platform won), so that every change it hears has
    # a version of its own. Synced as far as the replaced version was: nothing new goes to Xero.
    RESTATE = "restate"
    NOTE = "note"  # the version stays; only what the ledger knows of Xero's copy moves (nothing is told)


class XeroVersion(BaseModel):
    """One decision about a record fetched from Xero, as the record store applies it.

    The store applies it only to the version the decision was made on (`expected_version`; None: the
    record did not exist), so a platform write that lands in between is never overwritten: the store
    raises RecordMovedError and the caller decides again. TAKE and DELETE make a new version that is
    SYNCED already (Xero holds it); RESTATE makes a new version of the same body, synced when the one it
    replaces was; every effect records Xero's status, its stamp (never moving back) and whether a
    payment or credit is applied. `message` is the history line, None for a NOTE that tells nothing
    worth a line (an echo that only moves the stamp)."""

    effect: XeroEffect
    expected_version: int | None
    xero_id: str
    xero_status: str | None = None
    xero_updated_at: datetime | None = None
    has_applied: bool = False
    body: dict[str, Any] | None = None  # TAKE: the new body; DELETE: the last body (None keeps the record's)
    message: str | None = None


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
