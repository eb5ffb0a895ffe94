"""Control API conditions and state: injected faults, rate limits, the clock, counters and reset."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.simulator.conftest import Tenant, connect_tenant
from xero_simulator.server import Simulator


def add_fault(control: httpx.Client, **fault: Any) -> dict[str, Any]:
    answer = control.post("/faults", json=fault)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def test_error_500_fault_makes_the_next_call_fail_like_xero(tenant: Tenant, control: httpx.Client) -> None:
    # Given a one-off 500 on the Contacts endpoint
    add_fault(control, kind="error_500", count=1, path_contains="/Contacts")
    # When the app calls it twice
    first, second = tenant.api.get("/Contacts"), tenant.api.get("/Contacts")
    # Then the first answer is Xero's InternalServerException and the second is fine
    assert (first.status_code, first.json()["Type"]) == (500, "InternalServerException")
    assert second.status_code == 200


def test_maintenance_fault_answers_503_in_plain_text(tenant: Tenant, control: httpx.Client) -> None:
    # Given Xero offline for maintenance, for GET calls only
    add_fault(control, kind="maintenance_503", method="get")
    # When the app calls
    answer = tenant.api.get("/Accounts")
    # Then Xero answers 503 with its plain-text notice
    assert answer.status_code == 503
    assert answer.text == "The Xero API is currently offline for maintenance"


def test_fault_for_another_tenant_spares_this_one(tenant: Tenant, control: httpx.Client) -> None:
    # Given a 500 fault limited to another tenant
    add_fault(control, kind="error_500", tenant_id="00000000-0000-0000-0000-000000000000")
    # When this tenant calls
    answer = tenant.api.get("/Accounts")
    # Then it is answered normally
    assert answer.status_code == 200


def test_faults_are_listed_and_cleared(control: httpx.Client) -> None:
    # Given a latency fault
    add_fault(control, kind="latency", seconds=0.01, ratio=0.5)
    listed = control.get("/faults").json()["faults"]
    # When faults are cleared
    control.delete("/faults", params={"seed": 3}).raise_for_status()
    # Then it was listed with its fields, and is gone
    assert listed == [
        {
            "kind": "latency",
            "ratio": 0.5,
            "count": None,
            "method": None,
            "path_contains": None,
            "tenant_id": None,
            "seconds": 0.01,
        }
    ]
    assert control.get("/faults").json()["faults"] == []


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"kind": "meltdown"}, "'kind' must be one of error_500, maintenance_503, latency, timeout, lose_response"),
        ({"kind": "error_500", "ratio": 1.5}, "'ratio' must be between 0 and 1"),
        ({"kind": "latency", "seconds": "slow"}, "'seconds' must be a number"),
    ],
)
def test_bad_fault_is_refused_with_a_reason(control: httpx.Client, fault: dict[str, Any], message: str) -> None:
    # Given a fault the simulator cannot apply
    # When it is added
    answer = control.post("/faults", json=fault)
    # Then the control API says why
    assert (answer.status_code, answer.json()) == (400, {"message": message})


def test_limits_are_read_as_xero_sets_them(control: httpx.Client) -> None:
    # Given a fresh simulator
    # When its limits are read
    limits = control.get("/limits").json()
    # Then they are Xero's (FACTS.md §3.1)
    assert limits == {"concurrent": 5, "per_minute": 60, "per_day": 5000, "app_per_minute": 10000}


def test_lowered_minute_limit_answers_429(tenant: Tenant, control: httpx.Client) -> None:
    # Given a limit of two calls a minute
    control.put("/limits", json={"per_minute": 2}).raise_for_status()
    # When the app makes three calls
    answers = [tenant.api.get("/Accounts").status_code for _ in range(3)]
    # Then the third is refused
    assert answers == [200, 200, 429]


def test_resetting_the_limiter_forgets_calls_already_made(tenant: Tenant, control: httpx.Client) -> None:
    # Given a tenant that has used up a two-a-minute limit
    control.put("/limits", json={"per_minute": 2})
    tenant.api.get("/Accounts")
    tenant.api.get("/Accounts")
    # When the limiter is reset
    control.post("/limits/reset").raise_for_status()
    # Then the app may call again
    assert tenant.api.get("/Accounts").status_code == 200


def test_unknown_limit_is_refused(control: httpx.Client) -> None:
    # Given a limit Xero does not have
    # When it is set
    answer = control.put("/limits", json={"per_hour": 5})
    # Then the control API refuses it
    assert (answer.status_code, answer.json()) == (400, {"message": "unknown limits: per_hour"})


def test_clock_advances_by_simulated_seconds(control: httpx.Client) -> None:
    # Given the simulated time now
    before = datetime.fromisoformat(control.get("/clock").json()["now"])
    # When the clock is advanced an hour
    after = datetime.fromisoformat(control.post("/clock/advance", json={"seconds": 3600}).json()["now"])
    # Then an hour (and a moment) has passed
    assert 3600 <= (after - before).total_seconds() < 3610


def test_advanced_clock_expires_access_tokens(tenant: Tenant, control: httpx.Client) -> None:
    # Given a 30-minute access token
    # When 31 minutes of simulated time pass
    control.post("/clock/advance", json={"seconds": 31 * 60})
    # Then the token is refused
    assert tenant.api.get("/Accounts").status_code == 401


def test_clock_does_not_run_back(control: httpx.Client) -> None:
    # Given a request to go back in time
    # When it is sent
    answer = control.post("/clock/advance", json={"seconds": -5})
    # Then it is refused
    assert (answer.status_code, answer.json()) == (
        400,
        {"message": "the simulated clock only moves forward: 'seconds' must not be negative"},
    )


def test_clock_scale_is_set(control: httpx.Client) -> None:
    # Given a clock at real speed
    # When it is made to run an hour per second
    answer = control.put("/clock/scale", json={"scale": 3600}).json()
    # Then it says so
    assert answer["scale"] == 3600


def test_clock_scale_must_be_positive(control: httpx.Client) -> None:
    # Given a scale of zero
    # When it is set
    answer = control.put("/clock/scale", json={"scale": 0})
    # Then it is refused
    assert (answer.status_code, answer.json()) == (400, {"message": "'scale' must be greater than 0"})


def test_counters_show_calls_per_tenant_and_endpoint(tenant: Tenant, control: httpx.Client) -> None:
    # Given two calls to the Accounts endpoint
    tenant.api.get("/Accounts")
    tenant.api.get("/Accounts")
    # When the counters are read
    counters = control.get("/counters").json()
    # Then they show both, and the webhook stats are alongside
    assert counters["calls"] == [{"tenantId": tenant.org.organisation_id, "endpoint": "GET /Accounts", "count": 2}]
    assert counters["webhooks"]["paused"] is False


def test_counters_reset_to_zero(tenant: Tenant, control: httpx.Client) -> None:
    # Given a counted call
    tenant.api.get("/Accounts")
    # When the counters are reset
    control.post("/counters/reset").raise_for_status()
    # Then nothing is counted
    assert control.get("/counters").json()["totalCalls"] == 0


def test_reset_forgets_organisations_and_keeps_apps(tenant: Tenant, control: httpx.Client) -> None:
    # Given a tenant with an app
    # When the simulator is reset
    control.post("/reset").raise_for_status()
    # Then the organisation and its connection are gone, the app stays
    assert control.get("/organisations").json()["organisations"] == []
    assert control.get("/connections").json()["connections"] == []
    assert [a["client_id"] for a in control.get("/apps").json()["apps"]] == [tenant.app.client_id]
    assert tenant.api.get("/Accounts").status_code == 403


def test_reset_can_forget_apps_too(tenant: Tenant, control: httpx.Client) -> None:
    # Given a tenant with an app
    # When the simulator is reset without keeping apps
    control.post("/reset", json={"keep_apps": False}).raise_for_status()
    # Then no app is left
    assert control.get("/apps").json()["apps"] == []


def test_simulator_is_usable_after_reset(simulator: Simulator, control: httpx.Client) -> None:
    # Given a simulator with faults and a tenant, then reset
    connect_tenant(simulator)
    add_fault(control, kind="error_500")
    control.post("/reset").raise_for_status()
    # When a new tenant is connected
    fresh = connect_tenant(simulator)
    # Then its calls succeed
    assert fresh.api.get("/Accounts").status_code == 200
    fresh.api.close()
