"""Idempotency-Key: a retried write gets the first answer back and creates nothing twice."""

from __future__ import annotations

from tests.simulator.conftest import Tenant

NEW_CONTACT = {"Contacts": [{"Name": "Idempotent Pty Ltd"}]}


def test_a_replayed_key_returns_the_first_answer_without_writing_again(tenant: Tenant) -> None:
    # Given a contact created with an Idempotency-Key
    first = tenant.api.put("/Contacts", json=NEW_CONTACT, headers={"Idempotency-Key": "tenant-1:contact:42:v1"})
    assert first.status_code == 200
    # When the same request is sent again with the same key
    replay = tenant.api.put("/Contacts", json=NEW_CONTACT, headers={"Idempotency-Key": "tenant-1:contact:42:v1"})
    # Then the answer is the first one, byte for byte, and there is still one such contact
    assert replay.status_code == 200
    assert replay.content == first.content
    names = [c["Name"] for c in tenant.api.get("/Contacts").json()["Contacts"]]
    assert names.count("Idempotent Pty Ltd") == 1
    assert tenant.sim.counters.snapshot()["idempotentReplays"] == 1


def test_a_key_reused_with_another_body_is_refused(tenant: Tenant) -> None:
    # Given a key already used for one contact
    tenant.api.put("/Contacts", json=NEW_CONTACT, headers={"Idempotency-Key": "reused-key"})
    # When it is sent with a different body
    answer = tenant.api.put(
        "/Contacts", json={"Contacts": [{"Name": "Someone Else"}]}, headers={"Idempotency-Key": "reused-key"}
    )
    # Then Xero refuses it with a 400 and saves nothing
    assert answer.status_code == 400
    assert "different request" in answer.json()["Elements"][0]["ValidationErrors"][0]["Message"]
    names = [c["Name"] for c in tenant.api.get("/Contacts").json()["Contacts"]]
    assert "Someone Else" not in names


def test_a_key_longer_than_128_characters_is_refused(tenant: Tenant) -> None:
    # When a write carries a 129-character key
    answer = tenant.api.put("/Contacts", json=NEW_CONTACT, headers={"Idempotency-Key": "k" * 129})
    # Then it is refused
    assert answer.status_code == 400


def test_a_key_expires_after_six_minutes_and_then_writes_again(tenant: Tenant) -> None:
    # Given a contact created with a key, then archived so that its name is free again
    first = tenant.api.put("/Contacts", json=NEW_CONTACT, headers={"Idempotency-Key": "short-lived"})
    contact_id = first.json()["Contacts"][0]["ContactID"]
    tenant.api.post(f"/Contacts/{contact_id}", json={"ContactStatus": "ARCHIVED"})
    # When the same request is sent after 6 minutes and a second of Xero time
    tenant.sim.world.clock.advance(361)
    again = tenant.api.put("/Contacts", json=NEW_CONTACT, headers={"Idempotency-Key": "short-lived"})
    # Then it is a new write: a new contact
    assert again.status_code == 200
    assert again.json()["Contacts"][0]["ContactID"] != contact_id


def test_replays_still_count_against_the_rate_limit(tenant: Tenant) -> None:
    # Given a write and its replay
    tenant.api.put("/Contacts", json=NEW_CONTACT, headers={"Idempotency-Key": "counted"})
    replay = tenant.api.put("/Contacts", json=NEW_CONTACT, headers={"Idempotency-Key": "counted"})
    # Then the replay took a call from the minute budget
    assert replay.headers["X-MinLimit-Remaining"] == "58"
