"""POST /v1/tenants/{tenant_id}/connect-sessions: a hosted authorise URL for the tenant's browser."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.api.errors import problem_responses
from functions.api.models import ConnectSessionBody, NewConnectSession
from functions.api.routes.parameters import Deps, TenantId
from shared.observability import logger
from shared.usecases.connect_sessions import create_connect_session

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated


@router.post(
    "/tenants/<tenant_id>/connect-sessions",
    status_code=201,
    operation_id="createConnectSession",
    summary="Create a connect session",
    description="Returns a hosted authorise URL: single use, valid for 15 minutes, bound to this tenant "
    "and to the return URL, which must be on the operator's allow-list.",
    tags=["connection"],
    responses={201: {"description": "The session was created"}, **problem_responses(404, 415)},
)
def create(tenant_id: TenantId, session: NewConnectSession, deps: Deps) -> ConnectSessionBody:
    logger.append_keys(tenant_id=tenant_id)
    issued = create_connect_session(
        deps.tenants,
        deps.connect_sessions,
        tenant_id,
        session.return_url,
        allowlist=deps.settings.return_url_allowlist,
        public_base_url=deps.settings.public_base_url,
        now=deps.clock.now(),
    )
    logger.info("connect session created")
    return ConnectSessionBody.of(issued)
