"""A tenant's sync settings, the platform's on/off switch, and the Xero reference data the settings
name (under /v1/tenants/{tenant_id})."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.api.errors import problem_responses
from functions.api.routes.parameters import Deps, TenantId
from functions.api.sync_models import SyncEnabled, XeroReferenceBody
from shared.domain.sync_settings import TenantSyncSettings
from shared.observability import logger
from shared.usecases.sync_settings import get_sync_settings, put_sync_settings, set_sync_enabled, tenant_reference

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated


@router.get(
    "/tenants/<tenant_id>/sync/settings",
    operation_id="getSyncSettings",
    summary="Read the sync settings",
    description="How the tenant's records map onto its Xero organisation; the defaults until settings are saved.",
    tags=["settings"],
    responses={200: {"description": "The settings"}, **problem_responses(404)},
)
def read(tenant_id: TenantId, deps: Deps) -> TenantSyncSettings:
    logger.append_keys(tenant_id=tenant_id)
    return get_sync_settings(deps.tenants, deps.sync_settings, tenant_id)


@router.put(
    "/tenants/<tenant_id>/sync/settings",
    operation_id="putSyncSettings",
    summary="Save the sync settings",
    description="Replaces the settings after checking them against the tenant's Xero reference data: accounts "
    "exist, are active and of the right type, tax rates and tracking options exist. Each problem is answered "
    "by field (422). Before the reference data is pulled (the tenant has not connected yet) the answer is 409. "
    "`enabled` is the platform's switch (PUT .../sync/enabled): omit it or send its current value.",
    tags=["settings"],
    responses={200: {"description": "The saved settings"}, **problem_responses(404, 409, 415)},
)
def save(tenant_id: TenantId, settings: TenantSyncSettings, deps: Deps) -> TenantSyncSettings:
    logger.append_keys(tenant_id=tenant_id)
    saved = put_sync_settings(
        deps.tenants, deps.sync_settings, tenant_id, settings, deps.clock.now(), states=deps.reconcile_states
    )
    logger.info("sync settings saved")
    return saved


@router.put(
    "/tenants/<tenant_id>/sync/enabled",
    operation_id="setSyncEnabled",
    summary="Switch the tenant's sync on or off",
    description="The platform's plan decides whether a tenant's records go to Xero. Records are stored either "
    "way; switching on sends what is pending. Needs no reference data.",
    tags=["settings"],
    responses={200: {"description": "The switch as it now is"}, **problem_responses(404, 415)},
)
def set_enabled(tenant_id: TenantId, switch: SyncEnabled, deps: Deps) -> SyncEnabled:
    logger.append_keys(tenant_id=tenant_id)
    settings = set_sync_enabled(
        deps.tenants, deps.sync_settings, deps.work_queue, tenant_id, enabled=switch.enabled, now=deps.clock.now()
    )
    logger.info("sync switched", extra={"enabled": settings.enabled})
    return SyncEnabled(enabled=settings.enabled)


@router.get(
    "/tenants/<tenant_id>/xero/reference",
    operation_id="getXeroReference",
    summary="Read the tenant's Xero reference data",
    description="The accounts, tax rates, tracking categories, base currency and lock dates of the tenant's "
    "Xero organisation as last pulled, so a settings screen can offer them. 404 until pulled after connecting.",
    tags=["settings"],
    responses={200: {"description": "The reference data"}, **problem_responses(404)},
)
def reference(tenant_id: TenantId, deps: Deps) -> XeroReferenceBody:
    logger.append_keys(tenant_id=tenant_id)
    return XeroReferenceBody.of(tenant_reference(deps.tenants, deps.sync_settings, tenant_id))
