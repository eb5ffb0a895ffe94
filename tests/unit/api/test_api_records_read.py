"""GET a record with its ledger entry, list records by state in pages, and read a record's history."""

from __future__ import annotations

from shared.domain.ledger import Outcome, SyncState
from shared.domain.records import Entity
from tests.unit.api.api_world import ApiWorld
from tests.unit.api.record_bodies import contact, invoice


def test_record_is_read_with_its_ledger_entry(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice Xero refused
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    world.settle(
        tenant_id, Entity.INVOICE, "inv-1", Outcome(state=SyncState.FAILED, message="Account code '999' is not valid")
    )
    # When the platform reads it
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/records/invoice/inv-1")
    # Then the ledger says it failed, with Xero's own message
    assert answer.status == 200
    assert answer.body["ledger"]["state"] == "failed"
    assert answer.body["ledger"]["message"] == "Account code '999' is not valid"


def test_unknown_record_is_a_404(world: ApiWorld, tenant_id: str) -> None:
    # When the platform reads an id it never wrote
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/records/credit_note/cn-9")
    # Then it is a 404 problem in words
    assert answer.status == 404
    assert answer.body["detail"] == "The tenant has no credit note with this id."


def test_records_are_listed_in_pages_joined_by_the_cursor(world: ApiWorld, tenant_id: str) -> None:
    # Given seven contacts
    for n in range(7):
        world.put_record(tenant_id, "contact", f"cus-{n}", contact(f"Customer {n}"))
    # When the platform lists them three at a time, following the cursor
    listed: list[str] = []
    query = "limit=3"
    for _ in range(7):
        page = world.call("GET", f"/v1/tenants/{tenant_id}/records/contact", query=query).body
        listed += [record["platform_id"] for record in page["records"]]
        if page["next_cursor"] is None:
            break
        query = f"limit=3&cursor={page['next_cursor']}"
    # Then it saw every contact once
    assert sorted(listed) == [f"cus-{n}" for n in range(7)]
    assert len(listed) == 7


def test_listing_in_a_state_holds_only_that_state(world: ApiWorld, tenant_id: str) -> None:
    # Given three invoices of which one failed
    for n in range(3):
        world.put_record(tenant_id, "invoice", f"inv-{n}", invoice())
    world.settle(tenant_id, Entity.INVOICE, "inv-1", Outcome(state=SyncState.FAILED, message="Contact is archived"))
    # When the platform lists the failed ones
    page = world.call("GET", f"/v1/tenants/{tenant_id}/records/invoice", query="state=failed").body
    # Then only that invoice is listed, with its message
    assert [(record["platform_id"], record["ledger"]["message"]) for record in page["records"]] == [
        ("inv-1", "Contact is archived")
    ]


def test_cursor_of_another_listing_is_refused(world: ApiWorld, tenant_id: str) -> None:
    # Given a cursor handed out for the tenant's contacts
    for n in range(3):
        world.put_record(tenant_id, "contact", f"cus-{n}", contact(f"Customer {n}"))
    cursor = world.call("GET", f"/v1/tenants/{tenant_id}/records/contact", query="limit=1").body["next_cursor"]
    # When it is presented to another tenant's listing
    other = world.tenant("Other Co")
    answer = world.call("GET", f"/v1/tenants/{other}/records/contact", query=f"cursor={cursor}")
    # Then it is refused, naming the cursor
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "query.cursor"


def test_unknown_state_is_refused_listing_the_states(world: ApiWorld, tenant_id: str) -> None:
    # When the platform lists by a state that does not exist
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/records/invoice", query="state=lost")
    # Then it is refused with the states there are
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "query.state"
    assert "'in_flight'" in answer.body["errors"][0]["message"]


def test_history_lists_what_happened_newest_first(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice written, refused by Xero, changed and synced
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    world.settle(tenant_id, Entity.INVOICE, "inv-1", Outcome(state=SyncState.FAILED, message="Date is invalid"))
    world.clock.advance(60)
    world.put_record(tenant_id, "invoice", "inv-1", invoice(unit_amount="175.00"))
    world.settle(tenant_id, Entity.INVOICE, "inv-1", Outcome(state=SyncState.SYNCED, xero_id="x-1"))
    # When the platform reads its history
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/records/invoice/inv-1/history")
    # Then every step is there, newest first, with Xero's message and id where they belong
    assert [
        (event["version"], event["state"], event["message"], event["xero_id"]) for event in answer.body["events"]
    ] == [
        (2, "synced", None, "x-1"),
        (2, "pending", "changed", None),
        (1, "failed", "Date is invalid", None),
        (1, "pending", "created", None),
    ]


def test_history_of_an_unknown_record_is_a_404(world: ApiWorld, tenant_id: str) -> None:
    # When the platform reads the history of an id it never wrote
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/records/invoice/inv-404/history")
    # Then it is a 404 problem
    assert answer.status == 404
