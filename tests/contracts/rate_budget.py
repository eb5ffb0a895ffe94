"""The rate budget's contract. A subclass provides `budget_for`: a function from Limits to a fresh,
empty RateBudget (shared/ports/rate_budget.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from shared.domain.rate_limits import Limits, calls_today
from shared.ports.rate_budget import Delay, LimitName, Permit, Priority, RateBudget

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

BudgetFor = Callable[[Limits], RateBudget]


def permitted(answer: Permit | Delay) -> Permit:
    assert isinstance(answer, Permit), answer
    return answer


class RateBudgetContract:
    def test_an_idle_tenant_gets_a_permit_with_a_lease(self, budget_for: BudgetFor) -> None:
        # Given an empty budget / When a call is asked for
        permit = permitted(budget_for(Limits()).take("org-1", Priority.USER_WRITE, T0))
        # Then the permit's lease ends after the lease time
        assert (permit.xero_tenant_id, permit.expires_at) == ("org-1", T0 + timedelta(seconds=60))

    def test_the_61st_call_in_a_minute_is_delayed(self, budget_for: BudgetFor) -> None:
        # Given 60 calls made and ended at T0
        budget = budget_for(Limits())
        for _ in range(60):
            budget.release(permitted(budget.take("org-1", Priority.USER_WRITE, T0)))
        # When a 61st is asked for 10 s later / Then it waits for the minute (plus margin) to pass
        assert budget.take("org-1", Priority.USER_WRITE, T0 + timedelta(seconds=10)) == Delay(51.0, LimitName.MINUTE)

    def test_the_sixth_concurrent_call_is_delayed_until_one_is_released(self, budget_for: BudgetFor) -> None:
        # Given five calls in flight
        budget = budget_for(Limits())
        permits = [permitted(budget.take("org-1", Priority.USER_WRITE, T0)) for _ in range(5)]
        refused = budget.take("org-1", Priority.USER_WRITE, T0)
        # When one ends / Then a sixth, refused before, is permitted
        budget.release(permits[0])
        assert (refused, isinstance(budget.take("org-1", Priority.USER_WRITE, T0), Permit)) == (
            Delay(1.0, LimitName.CONCURRENT),
            True,
        )

    def test_an_expired_lease_frees_its_slot(self, budget_for: BudgetFor) -> None:
        # Given five calls whose callers never released them
        budget = budget_for(Limits())
        for _ in range(5):
            permitted(budget.take("org-1", Priority.USER_WRITE, T0))
        # When a call is asked for after their leases ended / Then it is permitted
        assert isinstance(budget.take("org-1", Priority.USER_WRITE, T0 + timedelta(seconds=61)), Permit)

    def test_a_parked_tenant_is_delayed_until_the_reset(self, budget_for: BudgetFor) -> None:
        # Given a tenant parked for an hour after a 429
        budget = budget_for(Limits())
        budget.park("org-1", T0 + timedelta(hours=1))
        # When a user's write is asked for / Then it waits the hour; afterwards it is permitted
        assert budget.take("org-1", Priority.USER_WRITE, T0) == Delay(3600.0, LimitName.PARKED)
        assert isinstance(budget.take("org-1", Priority.USER_WRITE, T0 + timedelta(hours=1)), Permit)

    def test_each_tenant_has_its_own_budget(self, budget_for: BudgetFor) -> None:
        # Given one tenant with five calls in flight
        budget = budget_for(Limits())
        for _ in range(5):
            permitted(budget.take("org-1", Priority.USER_WRITE, T0))
        # When another tenant asks / Then it is permitted
        assert isinstance(budget.take("org-2", Priority.USER_WRITE, T0), Permit)

    def test_the_app_minute_budget_is_shared_by_all_tenants(self, budget_for: BudgetFor) -> None:
        # Given an app allowed 2 calls a minute, spent by two tenants
        budget = budget_for(Limits(app_per_minute=2))
        permitted(budget.take("org-1", Priority.USER_WRITE, T0))
        permitted(budget.take("org-2", Priority.USER_WRITE, T0))
        # When a third tenant asks / Then it waits for the app's minute
        answer = budget.take("org-3", Priority.USER_WRITE, T0)
        assert isinstance(answer, Delay)
        assert answer.reason == LimitName.APP_MINUTE

    def test_racing_callers_never_hold_more_than_five_slots(self, budget_for: BudgetFor) -> None:
        # Given one budget and 16 callers starting at the same instant
        budget = budget_for(Limits())
        start = threading.Barrier(16)

        def call() -> Permit | Delay:
            start.wait()
            answer = budget.take("org-1", Priority.USER_WRITE, T0)
            # A caller that lost every race to write the budget asks again, as the port says to.
            while isinstance(answer, Delay) and answer.reason == LimitName.CONTENDED:
                answer = budget.take("org-1", Priority.USER_WRITE, T0)
            return answer

        # When they all ask for a call
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda _: call(), range(16)))
        # Then exactly five are permitted
        assert sum(isinstance(answer, Permit) for answer in answers) == 5

    def test_usage_reads_the_tenants_calls_without_taking_any(self, budget_for: BudgetFor) -> None:
        # Given three calls made by one tenant and one by another
        budget = budget_for(Limits())
        for tenant in ("org-1", "org-1", "org-1", "org-2"):
            budget.release(permitted(budget.take(tenant, Priority.USER_WRITE, T0)))
        # When the first tenant's usage is read, twice
        now = T0 + timedelta(minutes=5)
        first, second = budget.usage("org-1"), budget.usage("org-1")
        # Then it counts its own three calls today, and reading took none
        assert (calls_today(first, now, Limits()), calls_today(second, now, Limits())) == (3, 3)
        assert calls_today(budget.usage("org-3"), now, Limits()) == 0
