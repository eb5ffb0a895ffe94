"""The records API's request and response bodies: a record with its ledger entry, pages, history,
bulk writes, retries and exports.

A record's body is the entity's canonical model (shared/domain/records.py). The path names the
entity, so the body arrives here as a JSON object and the use case validates it against that
entity's model; the document still shows the six models (openapi.py adds them to its components).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.ledger import LedgerEvent, StoredRecord, SyncState
from shared.domain.records import MODEL_OF, Entity
from shared.usecases.records import MAX_BULK_RECORDS, MAX_EXPORT_RECORDS, ExportReport, is_exported

# The platform's own id of a record. Powertools matches path parameters undecoded, so an id is kept
# to characters that need no percent-encoding: the id in a path is then the id in a body, byte for byte.
PLATFORM_ID_PATTERN = r"^[A-Za-z0-9._~:@-]+$"
PLATFORM_ID_MAX_LENGTH = 255

# The JSON schema of "one of the canonical records", by reference to the models' component schemas.
RECORD_SCHEMA: dict[str, Any] = {
    "oneOf": [{"$ref": f"#/components/schemas/{model.__name__}"} for model in MODEL_OF.values()]
}
RECORD_DESCRIPTION = "the record in its entity's canonical model (the entity is the path's)"

PlatformIdField = Annotated[str, Field(min_length=1, max_length=PLATFORM_ID_MAX_LENGTH, pattern=PLATFORM_ID_PATTERN)]
RecordJson = Annotated[dict[str, Any], Field(description=RECORD_DESCRIPTION, json_schema_extra=RECORD_SCHEMA)]


class LedgerEntry(BaseModel):
    state: SyncState
    state_at: datetime = Field(description="when the state last changed")
    synced_version: int | None = Field(description="the last version Xero accepted")
    xero_id: str | None = Field(description="Xero's id of the record, once Xero has it")
    xero_status: str | None = Field(description="the Xero status of the synced version (DRAFT, AUTHORISED, ...)")
    linked: dict[str, str] = Field(
        description="Xero ids of what the record produced beyond itself (a payment's discount credit note, fee bill)"
    )
    has_applied: bool = Field(description="a payment or credit note is applied to it in Xero, so Xero refuses edits")
    message: str | None = Field(description="Xero's own message when failed; the reason when skipped or parked")
    attempts: int = Field(description="sends of this version that ended without a verdict")
    last_synced_at: datetime | None


class RecordWithLedger(BaseModel):
    entity: Entity
    platform_id: str
    version: int = Field(description="1 when first written; every change the platform makes adds one")
    deleted: bool = Field(description="deleted by the platform; Xero's copy is deleted or voided by the sync")
    updated_at: datetime = Field(description="when the platform last changed it")
    body: RecordJson
    ledger: LedgerEntry

    @classmethod
    def of(cls, record: StoredRecord) -> RecordWithLedger:
        return cls(
            entity=record.entity,
            platform_id=record.platform_id,
            version=record.version,
            deleted=record.deleted,
            updated_at=record.updated_at,
            body=record.body,
            ledger=LedgerEntry(
                state=record.state,
                state_at=record.state_at,
                synced_version=record.synced_version,
                xero_id=record.xero_id,
                xero_status=record.xero_status,
                linked=record.linked,
                has_applied=record.has_applied,
                message=record.message,
                attempts=record.attempts,
                last_synced_at=record.last_synced_at,
            ),
        )


class RecordPage(BaseModel):
    records: list[RecordWithLedger]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class HistoryEntry(BaseModel):
    at: datetime
    version: int
    state: SyncState
    message: str | None
    xero_id: str | None

    @classmethod
    def of(cls, event: LedgerEvent) -> HistoryEntry:
        return cls(at=event.at, version=event.version, state=event.state, message=event.message, xero_id=event.xero_id)


class RecordHistory(BaseModel):
    events: list[HistoryEntry] = Field(description="newest first")


class BulkRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: PlatformIdField = Field(description="the platform's own id of the record")
    body: RecordJson


class BulkRecords(BaseModel):
    model_config = ConfigDict(extra="forbid")

    records: list[BulkRecord] = Field(
        min_length=1, max_length=MAX_BULK_RECORDS, description="each id at most once; all valid, or none is written"
    )


class WrittenRecord(BaseModel):
    platform_id: str
    version: int
    state: SyncState

    @classmethod
    def of(cls, record: StoredRecord) -> WrittenRecord:
        return cls(platform_id=record.platform_id, version=record.version, state=record.state)


class BulkWritten(BaseModel):
    written: int
    records: list[WrittenRecord] = Field(description="in the order sent")

    @classmethod
    def of(cls, records: list[StoredRecord]) -> BulkWritten:
        return cls(written=len(records), records=[WrittenRecord.of(record) for record in records])


class RetriedRecords(BaseModel):
    entity: Entity
    retried: int = Field(description="failed, skipped and parked records made pending again")


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[PlatformIdField] = Field(
        min_length=1, max_length=MAX_EXPORT_RECORDS, description="platform ids of the records to send now"
    )


class ExportedRecord(BaseModel):
    platform_id: str
    exported: bool = Field(description="Xero holds the record's current version")
    state: SyncState
    message: str | None = Field(description="Xero's own message when failed; the reason when skipped or parked")
    version: int
    xero_id: str | None

    @classmethod
    def of(cls, record: StoredRecord) -> ExportedRecord:
        return cls(
            platform_id=record.platform_id,
            exported=is_exported(record),
            state=record.state,
            message=record.message,
            version=record.version,
            xero_id=record.xero_id,
        )


class ExportAnswer(BaseModel):
    summary: str = Field(description="e.g. `3 of 3 invoices exported`, to show as it is")
    exported: int = Field(description="records whose current version Xero holds")
    requested: int = Field(description="distinct ids asked for")
    records: list[ExportedRecord] = Field(description="in the order asked for")
    missing: list[str] = Field(description="ids the tenant has no record of (never written)")

    @classmethod
    def of(cls, report: ExportReport) -> ExportAnswer:
        return cls(
            summary=report.summary,
            exported=report.exported,
            requested=len(report.requested),
            records=[ExportedRecord.of(record) for record in report.records],
            missing=report.missing,
        )
