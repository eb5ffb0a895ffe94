"""Getting records to Xero and watching it: sync status, triggering a sync, retrying what failed,
and exporting chosen records now (under /v1/tenants/{tenant_id})."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.api.errors import problem_responses
from functions.api.record_models import ExportAnswer, ExportRequest, RecordWithLedger, RetriedRecords
from functions.api.routes.parameters import Deps, EntityName, PlatformId, TenantId
from functions.api.sync_models import EntitySyncStatus, InitialSyncBody, SyncStatusBody, SyncTriggered
from shared.domain.records import SEND_ORDER
from shared.observability import logger

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated


@router.get(
    "/tenants/<tenant_id>/sync/status",
    operation_id="getSyncStatus",
    summary="Read the sync status of every entity",
    description="Per entity: how many records are in each state, when one last reached Xero, and the lag "
    "(how long the oldest unsent change has waited); whether the tenant's sync is enabled; and per kind read "
    "from Xero, its reconciliation: the last success, when it is next due and why.",
    tags=["sync"],
    responses={200: {"description": "The sync status"}, **problem_responses(404)},
)
def status(tenant_id: TenantId, deps: Deps) -> SyncStatusBody:
    logger.append_keys(tenant_id=tenant_id)
    status = deps.platform_records.status(tenant_id, SEND_ORDER)
    states = deps.reconcile_states.listing(tenant_id) if deps.reconcile_states is not None else []
    return SyncStatusBody.of(status, states)


@router.get(
    "/tenants/<tenant_id>/sync/initial",
    operation_id="getInitialSync",
    summary="Read the initial sync's progress",
    description="The backfill a connection starts: per kind read from Xero, its state (waiting, running, done, "
    "skipped), records read out of Xero's total, pages and calls; the calls used and left of the tenant's daily "
    "budget, and an estimate of the time to finish at the pace the budget allows. With it, the platform's records "
    "on their way to Xero (the sync status per entity).",
    tags=["sync"],
    responses={200: {"description": "The initial sync's progress"}, **problem_responses(404)},
)
def initial(tenant_id: TenantId, deps: Deps) -> InitialSyncBody:
    logger.append_keys(tenant_id=tenant_id)
    status = deps.platform_records.status(tenant_id, SEND_ORDER)
    return InitialSyncBody.of(deps.initial_sync.progress(tenant_id), status)


@router.get(
    "/tenants/<tenant_id>/sync/status/<entity>",
    operation_id="getEntitySyncStatus",
    summary="Read the sync status of one entity",
    description="How many of the entity's records are in each state, when one last reached Xero, and the lag.",
    tags=["sync"],
    responses={200: {"description": "The entity's sync status"}, **problem_responses(404)},
)
def entity_status(tenant_id: TenantId, entity: EntityName, deps: Deps) -> EntitySyncStatus:
    logger.append_keys(tenant_id=tenant_id)
    (found,) = deps.platform_records.status(tenant_id, [entity]).entities
    return EntitySyncStatus.of(found)


@router.post(
    "/tenants/<tenant_id>/sync",
    status_code=202,
    operation_id="triggerSync",
    summary="Sync every entity now",
    description="Asks the sync worker to send every pending record now, dependencies first (contacts before "
    "invoices, invoices before payments), and to read every kind again from Xero (what changed since its last "
    "reconciliation). Writes already do the first; use it after fixing a setting or a connection.",
    tags=["sync"],
    responses={202: {"description": "The sync was queued"}, **problem_responses(404)},
)
def trigger(tenant_id: TenantId, deps: Deps) -> SyncTriggered:
    logger.append_keys(tenant_id=tenant_id)
    return SyncTriggered(entities=deps.platform_records.trigger(tenant_id, None))


@router.post(
    "/tenants/<tenant_id>/sync/<entity>",
    status_code=202,
    operation_id="triggerEntitySync",
    summary="Sync one entity now",
    description="Asks the sync worker to send the entity's pending records now, and to read it again from Xero.",
    tags=["sync"],
    responses={202: {"description": "The sync was queued"}, **problem_responses(404)},
)
def trigger_entity(tenant_id: TenantId, entity: EntityName, deps: Deps) -> SyncTriggered:
    logger.append_keys(tenant_id=tenant_id)
    return SyncTriggered(entities=deps.platform_records.trigger(tenant_id, entity))


@router.post(
    "/tenants/<tenant_id>/records/<entity>/<platform_id>/retry",
    operation_id="retryRecord",
    summary="Retry a record",
    description="Makes a failed, skipped or parked record pending again and queues its sync. A record in "
    "another state is answered as it is.",
    tags=["sync"],
    responses={200: {"description": "The record and its ledger entry"}, **problem_responses(404)},
)
def retry_one(tenant_id: TenantId, entity: EntityName, platform_id: PlatformId, deps: Deps) -> RecordWithLedger:
    logger.append_keys(tenant_id=tenant_id)
    return RecordWithLedger.of(deps.platform_records.retry_one(tenant_id, entity, platform_id))


@router.post(
    "/tenants/<tenant_id>/records/<entity>/retry",
    operation_id="retryRecords",
    summary="Retry every failed, skipped and parked record",
    description="Makes every failed, skipped and parked record of the entity pending again and queues a sync.",
    tags=["sync"],
    responses={200: {"description": "How many records are pending again"}, **problem_responses(404)},
)
def retry_all(tenant_id: TenantId, entity: EntityName, deps: Deps) -> RetriedRecords:
    logger.append_keys(tenant_id=tenant_id)
    return RetriedRecords(entity=entity, retried=deps.platform_records.retry_all(tenant_id, entity))


@router.post(
    "/tenants/<tenant_id>/records/<entity>/export",
    operation_id="exportRecords",
    summary="Export chosen records now",
    description="Sends up to 50 records (and what they depend on) to Xero now and answers once Xero has: "
    "`3 of 3 invoices exported`, with each record's state and Xero's message for each failure. A record "
    "counts as exported when Xero holds its current version. Ids never written are listed as missing. "
    "409 while the tenant's sync is switched off.",
    tags=["sync"],
    responses={200: {"description": "The export's outcome"}, **problem_responses(404, 409, 415, 503)},
)
def export(tenant_id: TenantId, entity: EntityName, request: ExportRequest, deps: Deps) -> ExportAnswer:
    logger.append_keys(tenant_id=tenant_id)
    report = deps.platform_records.export(tenant_id, entity, request.ids, deps.exporter)
    logger.info("records exported", extra={"entity": entity.value, "exported": report.exported})
    return ExportAnswer.of(report)
