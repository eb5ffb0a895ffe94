"""GET, DELETE /v1/tenants/{tenant_id}/connection and POST .../connection/test: a tenant's Xero connection."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.api.errors import problem_responses
from functions.api.models import ConnectionBody, ConnectionTestBody
from functions.api.routes.parameters import Deps, TenantId
from shared.observability import logger
from shared.usecases.connection_status import connection_status
from shared.usecases.connection_test import run_connection_test

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated


@router.get(
    "/tenants/<tenant_id>/connection",
    operation_id="getConnection",
    summary="Read the connection's status",
    description="Status, Xero organisation, granted scopes, token health and the last error.",
    tags=["connection"],
    responses={200: {"description": "The connection"}, **problem_responses(404)},
)
def status(tenant_id: TenantId, deps: Deps) -> ConnectionBody:
    logger.append_keys(tenant_id=tenant_id)
    return ConnectionBody.of(connection_status(deps.tenants, deps.connections, tenant_id, deps.clock.now()))


@router.post(
    "/tenants/<tenant_id>/connection/test",
    operation_id="testConnection",
    summary="Test the connection",
    description="Reads the organisation from Xero (read-only) and reports what a tenant or the platform "
    "operator must do when it fails. Always 200 for a known tenant: the outcome is in the body.",
    tags=["connection"],
    responses={200: {"description": "The test's outcome"}, **problem_responses(404)},
)
def run_test(tenant_id: TenantId, deps: Deps) -> ConnectionTestBody:
    logger.append_keys(tenant_id=tenant_id)
    result = run_connection_test(deps.tenants, deps.connections, deps.custodian, deps.accounting, tenant_id)
    return ConnectionTestBody.of(result)


@router.delete(
    "/tenants/<tenant_id>/connection",
    operation_id="disconnect",
    summary="Disconnect from Xero",
    description="Removes the connection at Xero and revokes its tokens, deletes the stored tokens and keeps "
    "the tenant and its synced data; status becomes disconnected. Repeating it answers the same.",
    tags=["connection"],
    responses={200: {"description": "The connection after the disconnect"}, **problem_responses(404, 502, 503)},
)
def disconnect(tenant_id: TenantId, deps: Deps) -> ConnectionBody:
    logger.append_keys(tenant_id=tenant_id)
    return ConnectionBody.of(deps.disconnection.disconnect(tenant_id))
