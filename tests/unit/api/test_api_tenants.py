"""POST /v1/tenants, GET /v1/tenants/{tenant_id} and GET /v1/tenants (pages with a cursor)."""

from __future__ import annotations

import uuid

import pytest

from tests.unit.api.api_world import ApiWorld


def test_created_tenant_is_answered_201_with_a_new_id(world: ApiWorld) -> None:
    # When the platform creates a tenant
    answer = world.call("POST", "/v1/tenants", body={"name": "Acme Plumbing"})
    # Then it gets 201 with the tenant, under an id xero-sync chose
    assert answer.status == 201
    assert answer.body["name"] == "Acme Plumbing"
    assert uuid.UUID(answer.body["tenant_id"])
    assert answer.body["created_at"] == "2026-01-05T09:00:00Z"


def test_created_tenant_keeps_the_platforms_external_id(world: ApiWorld) -> None:
    # When the platform creates a tenant with its own id for it
    answer = world.call("POST", "/v1/tenants", body={"name": "Acme", "external_id": "cus_8812"})
    # Then the tenant carries it
    assert answer.body["external_id"] == "cus_8812"


def test_created_tenant_can_be_read_back(world: ApiWorld) -> None:
    # Given a created tenant
    created = world.call("POST", "/v1/tenants", body={"name": "Acme"}).body
    # When it is read by its id
    answer = world.call("GET", f"/v1/tenants/{created['tenant_id']}")
    # Then it is the same tenant
    assert answer.status == 200
    assert answer.body == created


def test_unknown_tenant_is_a_404_problem(world: ApiWorld) -> None:
    # When a tenant id that does not exist is read
    answer = world.call("GET", f"/v1/tenants/{uuid.uuid4()}")
    # Then the answer is a 404 problem
    assert answer.status == 404
    assert answer.body["detail"] == "No tenant has this id."


def test_tenant_without_a_name_is_refused_naming_the_field(world: ApiWorld) -> None:
    # When a tenant is created without a name
    answer = world.call("POST", "/v1/tenants", body={"external_id": "cus_1"})
    # Then it is refused with the missing field
    assert answer.status == 422
    assert answer.body["errors"] == [{"field": "body.name", "problem": "missing", "message": "is required"}]


def test_unknown_field_is_refused(world: ApiWorld) -> None:
    # When a tenant body carries a field the API does not know (a typo of external_id)
    answer = world.call("POST", "/v1/tenants", body={"name": "Acme", "externalId": "cus_1"})
    # Then it is refused rather than silently ignored
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.externalId"


def test_refusal_never_echoes_what_was_sent(world: ApiWorld) -> None:
    # When an invalid body carries a value that may be a secret
    answer = world.call("POST", "/v1/tenants", body={"name": "", "password": "hunter2-Correct-Horse"})
    # Then the answer names the fields without their values
    assert answer.status == 422
    assert "hunter2-Correct-Horse" not in answer.text
    assert {error["field"] for error in answer.body["errors"]} == {"body.name", "body.password"}


def test_body_that_is_not_json_is_refused(world: ApiWorld) -> None:
    # When the body is not JSON
    answer = world.call("POST", "/v1/tenants", raw_body="name=Acme")
    # Then it is refused as invalid JSON
    assert answer.status == 422
    assert answer.body["errors"][0]["problem"] == "json_invalid"


def test_tenants_are_listed_oldest_first_in_pages_joined_by_the_cursor(world: ApiWorld) -> None:
    # Given five tenants created one minute apart
    created = []
    for n in range(5):
        created.append(world.tenant(f"Tenant {n}"))
        world.clock.advance(60)
    # When the platform lists them two at a time, following the cursor
    listed: list[str] = []
    cursor = None
    for _ in range(5):
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = world.call("GET", "/v1/tenants", query=query).body
        listed += [tenant["tenant_id"] for tenant in page["tenants"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # Then it saw every tenant once, oldest first
    assert listed == created


def test_last_page_has_no_cursor(world: ApiWorld) -> None:
    # Given two tenants
    world.tenant("One")
    world.tenant("Two")
    # When a page holds both
    page = world.call("GET", "/v1/tenants", query="limit=2").body
    # Then there is no next page
    assert len(page["tenants"]) == 2
    assert page["next_cursor"] is None


def test_forged_cursor_is_refused(world: ApiWorld) -> None:
    # When the platform sends a cursor the API never handed out
    answer = world.call("GET", "/v1/tenants", query="cursor=bm90LWEtY3Vyc29y")
    # Then it is refused, naming the cursor
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "query.cursor"


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_page_size_outside_1_to_100_is_refused(world: ApiWorld, limit: str) -> None:
    # When the page size is out of range or not a number
    answer = world.call("GET", "/v1/tenants", query=f"limit={limit}")
    # Then it is refused, naming the limit
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "query.limit"


def test_body_sent_as_plain_text_is_an_unsupported_media_type(world: ApiWorld) -> None:
    # When the body is JSON but labelled text/plain
    answer = world.call("POST", "/v1/tenants", raw_body='{"name": "Acme"}', content_type="text/plain")
    # Then it is refused, asking for application/json
    assert answer.status == 415
    assert "application/json" in answer.body["detail"]
