"""POST /v1/tenants/{tenant_id}/records/{entity}/bulk: many records at once, all valid or none written."""

from __future__ import annotations

from typing import Any

from shared.domain.records import Entity
from tests.unit.api.api_world import Answer, ApiWorld
from tests.unit.api.record_bodies import contact


def bulk(world: ApiWorld, tenant_id: str, records: list[dict[str, Any]], entity: str = "contact") -> Answer:
    return world.call("POST", f"/v1/tenants/{tenant_id}/records/{entity}/bulk", body={"records": records})


def contacts(count: int) -> list[dict[str, Any]]:
    return [{"id": f"cus-{n}", "body": contact(f"Customer {n}")} for n in range(count)]


def test_bulk_write_stores_every_record_and_answers_them_in_order(world: ApiWorld, tenant_id: str) -> None:
    # When the platform writes three contacts in one call
    answer = bulk(world, tenant_id, contacts(3))
    # Then all three are stored, version 1 and pending, answered in the order sent
    assert answer.status == 200
    assert answer.body["written"] == 3
    assert [record["platform_id"] for record in answer.body["records"]] == ["cus-0", "cus-1", "cus-2"]
    assert {(record["version"], record["state"]) for record in answer.body["records"]} == {(1, "pending")}
    assert world.records.store.get(tenant_id, Entity.CONTACT, "cus-2") is not None


def test_one_invalid_record_refuses_the_whole_call_naming_its_index_and_field(world: ApiWorld, tenant_id: str) -> None:
    # Given five contacts of which the second has no name and the fourth an empty one
    records = contacts(5)
    del records[1]["body"]["name"]
    records[3]["body"]["name"] = ""
    # When the platform writes them in one call
    answer = bulk(world, tenant_id, records)
    # Then it is refused listing each bad record by index and field, and nothing is written or enqueued
    assert answer.status == 422
    assert answer.body["detail"] == "2 of 5 records are not valid (at 1, 3); nothing was written."
    assert [(error["field"], error["message"]) for error in answer.body["errors"]] == [
        ("body.records.1.body.name", "is required"),
        ("body.records.3.body.name", "is too short"),
    ]
    assert world.records.store.get(tenant_id, Entity.CONTACT, "cus-0") is None
    assert world.sync_requests() == []


def test_repeated_id_in_one_call_is_refused(world: ApiWorld, tenant_id: str) -> None:
    # Given two records under the same id in one call
    records = contacts(2)
    records[1]["id"] = "cus-0"
    # When the platform writes them
    answer = bulk(world, tenant_id, records)
    # Then it is refused naming the second one's id, and nothing is written
    assert answer.status == 422
    assert answer.body["errors"] == [
        {
            "field": "body.records.1.id",
            "problem": "duplicate_id",
            "message": "repeats the id of an earlier record of this request",
        }
    ]
    assert world.records.store.get(tenant_id, Entity.CONTACT, "cus-0") is None


def test_more_than_500_records_are_refused(world: ApiWorld, tenant_id: str) -> None:
    # When the platform sends 501 records in one call
    answer = bulk(world, tenant_id, contacts(501))
    # Then it is refused, naming the list
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.records"


def test_bulk_write_is_one_sync_request_at_backfill_priority(world: ApiWorld, tenant_id: str) -> None:
    # When the platform writes 100 contacts in one call
    bulk(world, tenant_id, contacts(100))
    # Then the worker is nudged once, at backfill priority, so a user's single writes go first
    [(group, request)] = world.sync_requests()
    assert group == tenant_id
    assert (request["entity"], request["priority"]) == ("contact", 1)


def test_retried_bulk_write_is_not_enqueued_again(world: ApiWorld, tenant_id: str) -> None:
    # Given a bulk write
    bulk(world, tenant_id, contacts(3))
    # When the platform retries the same call
    world.clock.advance(2)
    answer = bulk(world, tenant_id, contacts(3))
    # Then nothing changed and the worker was nudged once
    assert {record["version"] for record in answer.body["records"]} == {1}
    assert len(world.sync_requests()) == 1


def test_bulk_write_with_one_change_is_enqueued_again(world: ApiWorld, tenant_id: str) -> None:
    # Given a bulk write
    bulk(world, tenant_id, contacts(3))
    # When the platform sends the same call with one contact renamed
    records = contacts(3)
    records[2]["body"]["name"] = "Renamed Ltd"
    answer = bulk(world, tenant_id, records)
    # Then that contact is version 2 and the worker is nudged again
    assert [record["version"] for record in answer.body["records"]] == [1, 1, 2]
    assert len(world.sync_requests()) == 2
