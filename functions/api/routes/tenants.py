"""POST /v1/tenants, GET /v1/tenants/{tenant_id}, GET /v1/tenants: the platform's customers."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.api.errors import problem_responses
from functions.api.models import NewTenant, TenantBody, TenantPage
from functions.api.routes.parameters import Deps, TenantId
from shared.observability import logger
from shared.usecases.tenants import create_tenant, get_tenant, list_tenants

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated


@router.post(
    "/tenants",
    status_code=201,
    operation_id="createTenant",
    summary="Create a tenant",
    tags=["tenants"],
    responses={201: {"description": "The tenant was created"}, **problem_responses(415)},
)
def create(tenant: NewTenant, deps: Deps) -> TenantBody:
    created = create_tenant(deps.tenants, tenant.name, tenant.external_id, deps.clock.now())
    logger.append_keys(tenant_id=created.tenant_id)
    logger.info("tenant created")
    return TenantBody.of(created)


@router.get(
    "/tenants/<tenant_id>",
    operation_id="getTenant",
    summary="Read a tenant",
    tags=["tenants"],
    responses={200: {"description": "The tenant"}, **problem_responses(404)},
)
def read(tenant_id: TenantId, deps: Deps) -> TenantBody:
    logger.append_keys(tenant_id=tenant_id)
    return TenantBody.of(get_tenant(deps.tenants, tenant_id))


@router.get(
    "/tenants",
    operation_id="listTenants",
    summary="List tenants, oldest first",
    tags=["tenants"],
    responses={200: {"description": "A page of tenants"}, **problem_responses()},
)
def list_page(
    deps: Deps,
    limit: Annotated[int, Query(ge=1, le=100, description="tenants per page")] = 20,
    cursor: Annotated[str | None, Query(max_length=1024, description="`next_cursor` of the previous page")] = None,
) -> TenantPage:
    tenants, next_cursor = list_tenants(deps.tenants, limit, cursor)
    return TenantPage(tenants=[TenantBody.of(tenant) for tenant in tenants], next_cursor=next_cursor)
