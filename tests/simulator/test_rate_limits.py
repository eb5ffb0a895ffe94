"""Xero's limits: 60 calls a minute, 5 in flight and 5,000 a day per tenant, 10,000 a minute per app."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.simulator.conftest import BROAD_SCOPES, Tenant, connect_tenant
from xero_simulator.builders import create_organisation, direct_principal
from xero_simulator.faults import Fault, FaultKind
from xero_simulator.server import Simulator


def test_every_answer_carries_the_remaining_limits(tenant: Tenant) -> None:
    # Given a fresh tenant
    # When it makes its first call
    answer = tenant.api.get("/Organisation")
    # Then the three remaining-limit headers count that call
    assert answer.status_code == 200
    assert answer.headers["X-DayLimit-Remaining"] == "4999"
    assert answer.headers["X-MinLimit-Remaining"] == "59"
    assert answer.headers["X-AppMinLimit-Remaining"] == "9999"


def test_the_61st_call_of_a_minute_is_refused_with_retry_after(tenant: Tenant) -> None:
    # Given a tenant that made 60 calls this minute
    for _ in range(60):
        assert tenant.api.get("/Organisation").status_code == 200
    # When it makes the 61st
    answer = tenant.api.get("/Organisation")
    # Then Xero answers 429 naming the minute limit, with the seconds left in the window
    assert answer.status_code == 429
    assert answer.headers["X-Rate-Limit-Problem"] == "minute"
    assert 1 <= int(answer.headers["Retry-After"]) <= 60
    assert answer.headers["X-MinLimit-Remaining"] == "0"


def test_the_minute_window_resets_after_retry_after(tenant: Tenant) -> None:
    # Given a tenant refused for the minute limit
    for _ in range(61):
        answer = tenant.api.get("/Organisation")
    assert answer.status_code == 429
    # When Retry-After seconds of Xero time pass
    tenant.sim.world.clock.advance(int(answer.headers["Retry-After"]))
    # Then calls are answered again with a fresh minute budget
    again = tenant.api.get("/Organisation")
    assert again.status_code == 200
    assert again.headers["X-MinLimit-Remaining"] == "59"


def test_the_6th_concurrent_call_of_a_tenant_is_refused(tenant: Tenant) -> None:
    # Given every call takes 0.6 s, so that six calls overlap
    tenant.sim.faults.add(Fault(FaultKind.LATENCY, seconds=0.6, path_contains="/Organisation"))

    def call(_: int) -> httpx.Response:
        with tenant.client(tenant.token, tenant.org.organisation_id) as client:
            return client.get("/Organisation")

    # When six calls start together
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(call, range(6)))
    # Then five are answered and the sixth is refused for concurrency
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 200, 200, 200, 200, 429]
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.headers["X-Rate-Limit-Problem"] == "concurrent"


def test_the_daily_limit_refuses_with_the_day_problem_until_the_window_ends(simulator: Simulator) -> None:
    # Given a tenant whose daily limit is 3 calls
    simulator.limiter.limits.per_day = 3
    tenant = connect_tenant(simulator)
    for _ in range(3):
        assert tenant.api.get("/Organisation").status_code == 200
    # When it makes a 4th call
    answer = tenant.api.get("/Organisation")
    # Then it is refused for the day, with Retry-After in hours rather than seconds
    assert answer.status_code == 429
    assert answer.headers["X-Rate-Limit-Problem"] == "day"
    assert int(answer.headers["Retry-After"]) > 86_000
    assert answer.headers["X-DayLimit-Remaining"] == "0"


def test_limits_are_per_tenant_so_another_tenant_is_still_answered(simulator: Simulator) -> None:
    # Given one tenant that exhausted its minute
    simulator.limiter.limits.per_minute = 2
    busy = connect_tenant(simulator)
    idle = connect_tenant(simulator)
    for _ in range(3):
        busy.api.get("/Organisation")
    # When another tenant of the same app calls
    answer = idle.api.get("/Organisation")
    # Then it is answered: the budgets are separate
    assert answer.status_code == 200


def test_the_app_minute_limit_spans_all_tenants(simulator: Simulator) -> None:
    # Given an app limit of 3 calls a minute, and one app connected to two organisations
    simulator.limiter.limits.app_per_minute = 3
    tenant = connect_tenant(simulator)
    other_org = create_organisation(simulator.world, "Second Org", "NZ", [tenant.user])
    principal = direct_principal(simulator.world, tenant.app, tenant.user, [other_org.organisation_id], BROAD_SCOPES)
    other = tenant.client(simulator.tokens.issue(principal, simulator.world.clock.now()), other_org.organisation_id)
    for _ in range(3):
        assert tenant.api.get("/Organisation").status_code == 200
    # When the same app calls for its other tenant
    answer = other.get("/Organisation")
    # Then the app-wide limit refuses it
    assert answer.status_code == 429
    assert answer.headers["X-Rate-Limit-Problem"] == "appminute"


def test_refused_calls_are_counted_by_limit(tenant: Tenant) -> None:
    # Given a tenant that went past its minute limit twice
    for _ in range(62):
        tenant.api.get("/Organisation")
    # When the counters are read
    counted = tenant.sim.counters.snapshot()
    # Then two 429s for the minute limit were recorded
    assert counted["rateLimited"] == {"minute": 2}
