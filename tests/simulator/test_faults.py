"""Injected faults: 5xx, maintenance, latency, timeouts and answers lost after Xero committed."""

from __future__ import annotations

import httpx
import pytest

from tests.simulator.conftest import Tenant
from xero_simulator.faults import Fault, FaultKind


def test_an_injected_500_saves_nothing(tenant: Tenant) -> None:
    # Given the next PUT /Contacts fails with a 500
    tenant.sim.faults.add(Fault(FaultKind.ERROR_500, count=1, method="PUT", path_contains="/Contacts"))
    # When a contact is created
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"Name": "Never Saved"}]})
    # Then the answer is 500 and the contact does not exist
    assert answer.status_code == 500
    assert all(c["Name"] != "Never Saved" for c in tenant.org.records("Contacts").values())


def test_a_counted_fault_strikes_only_that_many_calls(tenant: Tenant) -> None:
    # Given one injected 500
    tenant.sim.faults.add(Fault(FaultKind.ERROR_500, count=1))
    # When two calls are made
    first, second = tenant.api.get("/Organisation"), tenant.api.get("/Organisation")
    # Then only the first fails
    assert (first.status_code, second.status_code) == (500, 200)


def test_maintenance_answers_503_in_plain_text(tenant: Tenant) -> None:
    # Given Xero is down for maintenance
    tenant.sim.faults.add(Fault(FaultKind.MAINTENANCE_503))
    # When a call is made
    answer = tenant.api.get("/Organisation")
    # Then the answer is a plain-text 503, not JSON
    assert answer.status_code == 503
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert "offline for maintenance" in answer.text


def test_a_lost_answer_still_commits_the_write(tenant: Tenant) -> None:
    # Given the answer to the next PUT /Contacts is lost after Xero saved it
    tenant.sim.faults.add(Fault(FaultKind.LOSE_RESPONSE, count=1, method="PUT"))
    # When a contact is created
    with pytest.raises(httpx.TransportError):
        tenant.api.put("/Contacts", json={"Contacts": [{"Name": "Saved But Unanswered"}]})
    # Then the client saw no answer, yet the contact exists
    assert any(c["Name"] == "Saved But Unanswered" for c in tenant.org.records("Contacts").values())


def test_a_lost_answer_is_recovered_by_replaying_the_idempotency_key(tenant: Tenant) -> None:
    # Given a write whose answer was lost after commit
    tenant.sim.faults.add(Fault(FaultKind.LOSE_RESPONSE, count=1, method="PUT"))
    body = {"Contacts": [{"Name": "Retried Safely"}]}
    with pytest.raises(httpx.TransportError):
        tenant.api.put("/Contacts", json=body, headers={"Idempotency-Key": "lost-1"})
    # When the client retries with the same key
    retry = tenant.api.put("/Contacts", json=body, headers={"Idempotency-Key": "lost-1"})
    # Then it receives the saved contact, and there is exactly one
    assert retry.status_code == 200
    matching = [c for c in tenant.org.records("Contacts").values() if c["Name"] == "Retried Safely"]
    assert len(matching) == 1
    assert retry.json()["Contacts"][0]["ContactID"] == matching[0]["ContactID"]


def test_a_timeout_closes_the_connection_without_an_answer(tenant: Tenant) -> None:
    # Given the next call hangs for 0.3 s and then loses its connection
    tenant.sim.faults.add(Fault(FaultKind.TIMEOUT, count=1, seconds=0.3))
    # When a call is made, then it fails at the transport level
    with pytest.raises(httpx.TransportError):
        tenant.api.get("/Organisation")


def test_faults_can_target_one_tenant(tenant: Tenant) -> None:
    # Given a 500 fault for another tenant id
    tenant.sim.faults.add(Fault(FaultKind.ERROR_500, tenant_id="00000000-0000-0000-0000-000000000000"))
    # When this tenant calls, then it is answered normally
    assert tenant.api.get("/Organisation").status_code == 200
