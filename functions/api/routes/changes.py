"""The changes made in Xero, as the platform reads them: /v1/tenants/{tenant_id}/changes."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.api.change_models import ChangeFeedPage
from functions.api.errors import problem_responses
from functions.api.routes.parameters import Deps, TenantId
from shared.observability import logger
from shared.usecases.change_feed import MAX_CHANGES_PER_PAGE

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated


@router.get(
    "/tenants/<tenant_id>/changes",
    operation_id="listChanges",
    summary="Read the changes made in Xero",
    description="The tenant's change feed, oldest first: records created, updated (a status such as PAID "
    "included) and deleted (voided, deleted or archived) in Xero, and conflicts (changed on both sides: both "
    "versions, the winner and the rule). Start without a cursor; then pass `next_cursor` each time. The same "
    "changes are published as events (record.created, record.updated, record.deleted, record.conflict), each "
    "with its cursor. `kind=conflict` reads the conflicts only.",
    tags=["changes"],
    responses={200: {"description": "A page of changes"}, **problem_responses(404, 422)},
)
def list_changes(
    tenant_id: TenantId,
    deps: Deps,
    *,
    cursor: Annotated[str | None, Query(max_length=512, description="`next_cursor` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_CHANGES_PER_PAGE, description="changes per page")] = 50,
    kind: Annotated[Literal["conflict"] | None, Query(description="only conflicts")] = None,
) -> ChangeFeedPage:
    logger.append_keys(tenant_id=tenant_id)
    return ChangeFeedPage.of(deps.changes.page(tenant_id, cursor, limit, conflicts_only=kind == "conflict"))
