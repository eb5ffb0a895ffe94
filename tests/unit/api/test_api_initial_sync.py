"""The initial sync's progress through the API (issue 5, §4): the backfill from Xero per kind, the
tenant's daily budget, the estimate, and the platform's records on their way to Xero."""

from __future__ import annotations

import dataclasses

from shared.domain.inbound.reconcile_state import BackfillCount, fresh
from shared.domain.inbound.settings import NOT_CHOSEN, SyncedKind
from shared.domain.rate_limits import Priority
from shared.fakes.memory_rate_budget import MemoryRateBudget
from shared.fakes.memory_reconciliation import MemoryReconcileStates
from shared.ports.rate_budget import Permit
from shared.usecases.rate_budgeted_xero import RateBudgetedXero
from tests.unit.api.api_world import XERO_TENANT, ApiWorld
from tests.unit.api.record_bodies import contact


def test_the_progress_shows_each_kind_the_budget_left_an_estimate_and_the_push(world: ApiWorld, tenant_id: str) -> None:
    # Given a backfill that has read 2 of Xero's 3 pages of contacts, 12 calls made today, and a contact to push
    states, budget = MemoryReconcileStates(), MemoryRateBudget()
    count = BackfillCount(records=2000, pages=2, calls=2, total=2400, page_count=3)
    states.put(
        fresh(tenant_id, SyncedKind.CONTACT, world.clock.now()).model_copy(update={"backfill": count, "page": 3})
    )
    for _ in range(12):
        permit = budget.take(XERO_TENANT, Priority.RECONCILIATION, world.clock.now())
        assert isinstance(permit, Permit)
        budget.release(permit)
    world.put_record(tenant_id, "contact", "cus-1", contact())
    deps = dataclasses.replace(
        world.deps, xero=RateBudgetedXero(world.accounting, budget, world.clock), reconcile_states=states
    )
    world.deps = deps
    # When the platform reads the initial sync
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/sync/initial")
    # Then contacts are running, 2,000 of 2,400, and the rest wait
    assert answer.status == 200, answer.text
    body = answer.body
    kinds = {kind["kind"]: kind for kind in body["from_xero"]}
    assert kinds["contact"] | {"note": ""} == {
        "kind": "contact",
        "state": "running",
        "records": 2000,
        "total": 2400,
        "pages": 2,
        "page_count": 3,
        "calls": 2,
        "note": "",
    }
    assert kinds["invoice"]["state"] == "waiting"
    # And bank transactions, which the tenant did not choose (no `since`), are skipped
    assert (kinds["bank_transaction"]["state"], kinds["bank_transaction"]["note"]) == ("skipped", NOT_CHOSEN)
    assert not body["done"]
    assert (body["calls"], body["day_calls_used"], body["day_calls_left"]) == (2, 12, 4988)
    assert body["backfill_day_calls_left"] == 3988
    assert body["calls_left"] == body["estimated_seconds"] * 48 / 60
    # And the platform's contact is pending on its way to Xero
    to_xero = {entity["entity"]: entity for entity in body["to_xero"]}
    assert to_xero["contact"]["counts"]["pending"] == 1


def test_an_unknown_tenant_is_404(world: ApiWorld) -> None:
    world.deps = dataclasses.replace(
        world.deps,
        xero=RateBudgetedXero(world.accounting, MemoryRateBudget(), world.clock),
        reconcile_states=MemoryReconcileStates(),
    )
    assert world.call("GET", "/v1/tenants/nobody/sync/initial").status == 404
