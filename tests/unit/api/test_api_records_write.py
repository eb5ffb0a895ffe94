"""PUT and DELETE /v1/tenants/{tenant_id}/records/{entity}/{platform_id}: the platform's writes."""

from __future__ import annotations

import uuid

import pytest

from shared.domain.ledger import Outcome, SyncState
from shared.domain.records import Entity
from tests.unit.api.api_world import ApiWorld
from tests.unit.api.record_bodies import contact, invoice


def test_new_record_is_answered_with_version_1_pending(world: ApiWorld, tenant_id: str) -> None:
    # When the platform writes a new invoice
    answer = world.put_record(tenant_id, "invoice", "inv-1", invoice())
    # Then it gets the record, in its canonical form, waiting to be sent to Xero
    assert answer.status == 200
    assert answer.body["entity"] == "invoice"
    assert answer.body["platform_id"] == "inv-1"
    assert answer.body["version"] == 1
    assert answer.body["body"]["lines"][0]["unit_amount"] == "150.00"
    assert answer.body["ledger"]["state"] == "pending"
    assert answer.body["ledger"]["synced_version"] is None


def test_write_enqueues_a_sync_request_on_the_tenants_message_group(world: ApiWorld, tenant_id: str) -> None:
    # When the platform writes a contact
    world.put_record(tenant_id, "contact", "cus-1", contact())
    # Then the sync worker is asked, in the tenant's group, to send that entity at a user's priority
    # (and to read nothing again from Xero: a write is not a trigger)
    request = {"kind": "sync.push", "tenant_id": tenant_id, "entity": "contact", "priority": 4, "reason": "write"}
    assert world.sync_requests() == [(tenant_id, request | {"reconcile": []})]


def test_retried_identical_write_is_neither_a_new_version_nor_enqueued_twice(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice written once
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    # When the platform retries the same request a second later (its first answer was lost)
    world.clock.advance(1)
    answer = world.put_record(tenant_id, "invoice", "inv-1", invoice())
    # Then the record is unchanged and the worker was nudged once
    assert answer.body["version"] == 1
    assert len(world.sync_requests()) == 1


def test_same_record_spelt_differently_is_not_a_change(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice written with a default left out and its quantity as a string
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    # When the same invoice is written with the default spelt out and the quantity as a number
    same = invoice(amounts_are="exclusive")
    same["lines"][0]["quantity"] = 2
    answer = world.put_record(tenant_id, "invoice", "inv-1", same)
    # Then it is the same version
    assert answer.body["version"] == 1


def test_changed_write_is_a_new_version_and_enqueued_again(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice written once
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    # When the platform changes its amount, within SQS's deduplication window
    world.clock.advance(1)
    answer = world.put_record(tenant_id, "invoice", "inv-1", invoice(unit_amount="175.00"))
    # Then it is version 2, and the worker is nudged again (the change is not taken for a repeat)
    assert answer.body["version"] == 2
    assert len(world.sync_requests()) == 2


def test_synced_record_written_again_unchanged_is_not_enqueued(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice that reached Xero
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    world.settle(tenant_id, Entity.INVOICE, "inv-1", Outcome(state=SyncState.SYNCED, xero_id="x-1"))
    # When the platform writes the same body again, long after
    world.clock.advance(3600)
    answer = world.put_record(tenant_id, "invoice", "inv-1", invoice())
    # Then it stays synced and the worker has nothing new to do
    assert answer.body["ledger"]["state"] == "synced"
    assert len(world.sync_requests()) == 1


def test_invalid_record_is_refused_naming_each_field(world: ApiWorld, tenant_id: str) -> None:
    # When the platform writes an invoice with a bad amount, a bad date and no contact
    body = invoice(unit_amount="a lot", date="05/01/2026")
    del body["contact_id"]
    answer = world.put_record(tenant_id, "invoice", "inv-1", body)
    # Then it is refused, each field named with its problem, and nothing is stored or enqueued
    assert answer.status == 422
    assert answer.body["detail"] == "The invoice is not valid; nothing was written."
    assert {(error["field"], error["message"]) for error in answer.body["errors"]} == {
        ("body.contact_id", "is required"),
        ("body.date", "must be a date (YYYY-MM-DD)"),
        ("body.lines.0.unit_amount", "must be a number"),
    }
    assert world.records.store.get(tenant_id, Entity.INVOICE, "inv-1") is None
    assert world.sync_requests() == []


def test_refused_choice_lists_the_allowed_values(world: ApiWorld, tenant_id: str) -> None:
    # When an invoice's status is not one the platform may send
    answer = world.put_record(tenant_id, "invoice", "inv-1", invoice(status="sent"))
    # Then the answer says which values are allowed
    assert answer.body["errors"] == [
        {"field": "body.status", "problem": "enum", "message": "must be one of 'draft' or 'approved'"}
    ]


def test_refused_record_never_echoes_what_was_sent(world: ApiWorld, tenant_id: str) -> None:
    # When a contact carries an unknown field whose value may be a secret
    answer = world.put_record(tenant_id, "contact", "cus-1", contact(card_number="4111111111111111"))
    # Then the field is named and its value is not repeated
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.card_number"
    assert "4111111111111111" not in answer.text


def test_body_that_is_not_an_object_is_refused(world: ApiWorld, tenant_id: str) -> None:
    # When the body is a JSON array
    answer = world.put_record(tenant_id, "contact", "cus-1", [contact()])
    # Then it is refused as the body (rather than the array's first record written alone)
    assert answer.status == 422
    assert answer.body["errors"] == [
        {"field": "body", "problem": "model_attributes_type", "message": "must be a JSON object"}
    ]
    assert world.records.store.get(tenant_id, Entity.CONTACT, "cus-1") is None


def test_unknown_entity_is_refused_listing_the_entities(world: ApiWorld, tenant_id: str) -> None:
    # When the platform writes to an entity xero-sync does not know
    answer = world.put_record(tenant_id, "quote", "q-1", contact())
    # Then it is refused, naming the path's entity and the ones there are
    assert answer.status == 422
    error = answer.body["errors"][0]
    assert error["field"] == "path.entity"
    assert error["message"] == ("must be one of 'contact', 'item', 'invoice', 'bill', 'credit_note' or 'payment'")


@pytest.mark.parametrize("platform_id", ["inv%201", "inv%2F1"])
def test_platform_id_needing_percent_encoding_is_refused(world: ApiWorld, tenant_id: str, platform_id: str) -> None:
    # When the id in the path has a character that must be percent-encoded (a space, a slash)
    answer = world.put_record(tenant_id, "invoice", platform_id, invoice())
    # Then it is refused rather than stored under an id the body's references cannot name
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "path.platform_id"


def test_write_for_an_unknown_tenant_is_a_404(world: ApiWorld) -> None:
    # When the platform writes a record for a tenant that does not exist
    answer = world.put_record(str(uuid.uuid4()), "contact", "cus-1", contact())
    # Then it is a 404 problem and nothing is enqueued
    assert answer.status == 404
    assert answer.body["detail"] == "No tenant has this id."
    assert world.sync_requests() == []


def test_record_of_one_tenant_is_not_visible_through_another(world: ApiWorld, tenant_id: str) -> None:
    # Given tenant A's invoice, and another tenant B
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    other = world.tenant("Other Co")
    # When B reads, deletes and lists the same id
    read = world.call("GET", f"/v1/tenants/{other}/records/invoice/inv-1")
    deleted = world.call("DELETE", f"/v1/tenants/{other}/records/invoice/inv-1")
    listed = world.call("GET", f"/v1/tenants/{other}/records/invoice")
    # Then B sees nothing of A's, and A's invoice is untouched
    assert (read.status, deleted.status, listed.body["records"]) == (404, 404, [])
    assert world.call("GET", f"/v1/tenants/{tenant_id}/records/invoice/inv-1").body["deleted"] is False


def test_same_id_under_two_tenants_is_two_records(world: ApiWorld, tenant_id: str) -> None:
    # Given tenant A's contact cus-1
    world.put_record(tenant_id, "contact", "cus-1", contact("Bayside Club"))
    other = world.tenant("Other Co")
    # When tenant B writes its own cus-1
    answer = world.put_record(other, "contact", "cus-1", contact("Harbour Cafe"))
    # Then B's is a new record and A's keeps its name
    assert answer.body["version"] == 1
    mine = world.call("GET", f"/v1/tenants/{tenant_id}/records/contact/cus-1").body
    assert mine["body"]["name"] == "Bayside Club"


def test_deleted_record_is_a_new_version_pending_with_its_body_kept(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice that reached Xero
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    world.settle(tenant_id, Entity.INVOICE, "inv-1", Outcome(state=SyncState.SYNCED, xero_id="x-1"))
    # When the platform deletes it
    answer = world.call("DELETE", f"/v1/tenants/{tenant_id}/records/invoice/inv-1")
    # Then it is deleted, version 2, waiting for the sync to void it in Xero, with its body kept
    assert answer.status == 200
    assert (answer.body["deleted"], answer.body["version"], answer.body["ledger"]["state"]) == (True, 2, "pending")
    assert answer.body["body"]["contact_id"] == "cus-1"
    assert len(world.sync_requests()) == 2


def test_delete_repeated_answers_the_same(world: ApiWorld, tenant_id: str) -> None:
    # Given a deleted contact
    world.put_record(tenant_id, "contact", "cus-1", contact())
    first = world.call("DELETE", f"/v1/tenants/{tenant_id}/records/contact/cus-1")
    # When the delete is repeated
    again = world.call("DELETE", f"/v1/tenants/{tenant_id}/records/contact/cus-1")
    # Then the answer is the same record, not a new version
    assert again.status == 200
    assert again.body == first.body


def test_delete_of_an_unknown_record_is_a_404(world: ApiWorld, tenant_id: str) -> None:
    # When the platform deletes an id it never wrote
    answer = world.call("DELETE", f"/v1/tenants/{tenant_id}/records/payment/pay-404")
    # Then it is a 404 problem naming the entity
    assert answer.status == 404
    assert answer.body["detail"] == "The tenant has no payment with this id."
