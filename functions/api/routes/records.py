"""The platform's records under /v1/tenants/{tenant_id}/records/{entity}: upsert, bulk upsert,
delete, read (with the ledger entry), list by state, and history."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.api.errors import problem_responses
from functions.api.record_models import (
    RECORD_DESCRIPTION,
    RECORD_SCHEMA,
    BulkRecords,
    BulkWritten,
    HistoryEntry,
    RecordHistory,
    RecordPage,
    RecordWithLedger,
)
from functions.api.routes.parameters import Deps, EntityName, PlatformId, TenantId
from shared.domain.ledger import SyncState
from shared.observability import logger

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated

RECORD = "/tenants/<tenant_id>/records/<entity>/<platform_id>"
RecordJson = Annotated[dict[str, Any], Body(description=RECORD_DESCRIPTION, json_schema_extra=RECORD_SCHEMA)]


@router.put(
    RECORD,
    operation_id="putRecord",
    summary="Create or update a record",
    description="Validates the body against the entity's model, stores it and marks it pending for Xero; "
    "the sync worker sends it within seconds. Sending the same body again changes nothing (safe to retry).",
    tags=["records"],
    responses={200: {"description": "The record and its ledger entry"}, **problem_responses(404, 415)},
)
def put(
    tenant_id: TenantId, entity: EntityName, platform_id: PlatformId, record: RecordJson, deps: Deps
) -> RecordWithLedger:
    logger.append_keys(tenant_id=tenant_id)
    return RecordWithLedger.of(deps.platform_records.write(tenant_id, entity, platform_id, record))


@router.post(
    "/tenants/<tenant_id>/records/<entity>/bulk",
    operation_id="putRecords",
    summary="Create or update many records",
    description="Up to 500 records of one entity. Every body is validated first: if any is invalid, or an id "
    "repeats, the answer lists each problem by index and nothing is written. Synced at backfill priority, "
    "so single writes keep their place in the rate budget.",
    tags=["records"],
    responses={200: {"description": "The records' versions and states"}, **problem_responses(404, 415)},
)
def put_many(tenant_id: TenantId, entity: EntityName, bulk: BulkRecords, deps: Deps) -> BulkWritten:
    logger.append_keys(tenant_id=tenant_id)
    written = deps.platform_records.write_many(tenant_id, entity, [(item.id, item.body) for item in bulk.records])
    logger.info("records written", extra={"entity": entity.value, "records": len(written)})
    return BulkWritten.of(written)


@router.delete(
    RECORD,
    operation_id="deleteRecord",
    summary="Delete a record",
    description="Marks the record deleted and pending: the sync deletes a draft in Xero and voids an authorised "
    "document (Xero's status rules). The record and its ledger stay readable. Repeating it answers the same.",
    tags=["records"],
    responses={200: {"description": "The deleted record and its ledger entry"}, **problem_responses(404)},
)
def delete(tenant_id: TenantId, entity: EntityName, platform_id: PlatformId, deps: Deps) -> RecordWithLedger:
    logger.append_keys(tenant_id=tenant_id)
    return RecordWithLedger.of(deps.platform_records.delete(tenant_id, entity, platform_id))


@router.get(
    RECORD,
    operation_id="getRecord",
    summary="Read a record and its ledger entry",
    description="The last body written and where it stands with Xero: state, the version Xero has, Xero's id "
    "and status, and Xero's own message when it refused the record.",
    tags=["records"],
    responses={200: {"description": "The record and its ledger entry"}, **problem_responses(404)},
)
def read(tenant_id: TenantId, entity: EntityName, platform_id: PlatformId, deps: Deps) -> RecordWithLedger:
    logger.append_keys(tenant_id=tenant_id)
    return RecordWithLedger.of(deps.platform_records.get(tenant_id, entity, platform_id))


@router.get(
    "/tenants/<tenant_id>/records/<entity>",
    operation_id="listRecords",
    summary="List records, optionally in one state",
    description="Pages of the tenant's records of one entity with their ledger entries; `state=failed` lists "
    "what Xero refused, with its messages.",
    tags=["records"],
    responses={200: {"description": "A page of records"}, **problem_responses(404)},
)
def list_page(
    tenant_id: TenantId,
    entity: EntityName,
    deps: Deps,
    *,
    state: Annotated[SyncState | None, Query(description="only records in this state")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="records per page")] = 50,
    cursor: Annotated[str | None, Query(max_length=2048, description="`next_cursor` of the previous page")] = None,
) -> RecordPage:
    logger.append_keys(tenant_id=tenant_id)
    records, next_cursor = deps.platform_records.listing(tenant_id, entity, state, limit, cursor)
    return RecordPage(records=[RecordWithLedger.of(record) for record in records], next_cursor=next_cursor)


@router.get(
    f"{RECORD}/history",
    operation_id="getRecordHistory",
    summary="Read a record's history",
    description="Every state the record went through, per version, newest first: when it was written, sent, "
    "synced, refused (with Xero's message), skipped or parked (with the reason).",
    tags=["records"],
    responses={200: {"description": "The record's history"}, **problem_responses(404)},
)
def history(
    tenant_id: TenantId,
    entity: EntityName,
    platform_id: PlatformId,
    deps: Deps,
    limit: Annotated[int, Query(ge=1, le=100, description="events to answer, newest first")] = 50,
) -> RecordHistory:
    logger.append_keys(tenant_id=tenant_id)
    events = deps.platform_records.history(tenant_id, entity, platform_id, limit)
    return RecordHistory(events=[HistoryEntry.of(event) for event in events])
