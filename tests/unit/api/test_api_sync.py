"""Sync status, triggering a sync, retrying what failed, and exporting chosen records now."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from shared.domain.inbound.reconcile_state import fresh, put_off, succeeded
from shared.domain.inbound.settings import InboundEntitySettings, SyncedKind
from shared.domain.ledger import Outcome, SyncState
from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings
from tests.unit.api.api_world import ApiWorld
from tests.unit.api.record_bodies import contact, invoice

FAILED = Outcome(state=SyncState.FAILED, message="The TaxType code 'GST' does not exist")


@pytest.fixture
def syncing(world: ApiWorld, tenant_id: str) -> str:
    """A connected tenant the platform switched on."""
    world.records.settings.put(tenant_id, TenantSyncSettings(enabled=True), world.clock.now())
    return tenant_id


def test_status_counts_each_entitys_records_by_state(world: ApiWorld, tenant_id: str) -> None:
    # Given three invoices of which one synced and one failed, and one contact
    for n in range(3):
        world.put_record(tenant_id, "invoice", f"inv-{n}", invoice())
    world.put_record(tenant_id, "contact", "cus-1", contact())
    world.settle(tenant_id, Entity.INVOICE, "inv-0", Outcome(state=SyncState.SYNCED, xero_id="x-0"))
    world.settle(tenant_id, Entity.INVOICE, "inv-1", FAILED)
    # When the platform reads the sync status
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/sync/status")
    # Then every entity is there in sending order, each with its counts
    assert answer.status == 200
    entities = {status["entity"]: status for status in answer.body["entities"]}
    assert list(entities) == ["contact", "item", "invoice", "bill", "credit_note", "payment"]
    assert entities["invoice"]["counts"] == {
        "pending": 1,
        "in_flight": 0,
        "synced": 1,
        "failed": 1,
        "skipped": 0,
        "parked": 0,
    }
    assert entities["contact"]["counts"]["pending"] == 1


def test_status_lag_is_how_long_the_oldest_change_has_waited(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice written 90 seconds ago and another 30 seconds ago
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    world.clock.advance(60)
    world.put_record(tenant_id, "invoice", "inv-2", invoice())
    world.clock.advance(30)
    # When the platform reads the invoices' status
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/sync/status/invoice")
    # Then the lag counts from the older one
    assert answer.status == 200
    assert answer.body["lag_seconds"] == 90
    assert answer.body["oldest_pending_at"] == "2026-01-05T09:00:00Z"


def test_status_tells_when_a_record_last_reached_xero(world: ApiWorld, tenant_id: str) -> None:
    # Given a contact synced a minute after it was written
    world.put_record(tenant_id, "contact", "cus-1", contact())
    world.clock.advance(60)
    world.settle(tenant_id, Entity.CONTACT, "cus-1", Outcome(state=SyncState.SYNCED, xero_id="x-1"))
    # When the platform reads the contacts' status
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/sync/status/contact")
    # Then the last success is then, and nothing waits
    assert answer.body["last_synced_at"] == "2026-01-05T09:01:00Z"
    assert answer.body["lag_seconds"] is None


def test_status_says_whether_the_tenants_sync_is_enabled(world: ApiWorld, tenant_id: str) -> None:
    # Given a tenant the platform switched on
    world.call("PUT", f"/v1/tenants/{tenant_id}/sync/enabled", body={"enabled": True})
    # When the platform reads the sync status
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/sync/status")
    # Then it says the sync is enabled
    assert answer.body["enabled"] is True


def json_time(instant: datetime | None) -> str:
    assert instant is not None
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_status_tells_each_kind_s_reconciliation_from_xero(world: ApiWorld, tenant_id: str) -> None:
    # Given invoices read from Xero to their last page an hour ago, and payments put off by the minute limit
    now = world.clock.now()
    read = succeeded(fresh(tenant_id, SyncedKind.INVOICE, now), now - timedelta(hours=1), InboundEntitySettings())
    world.reconcile_states.put(read)
    world.reconcile_states.put(put_off(fresh(tenant_id, SyncedKind.PAYMENT, now), now, "Xero's minute limit"))
    # When the platform reads the sync status
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/sync/status")
    # Then each kind tells its last success, when it is next due, and why
    by_kind = {kind["kind"]: kind for kind in answer.body["reconciliation"]}
    assert by_kind == {
        "invoice": {
            "kind": "invoice",
            "last_success": json_time(read.last_success),
            "next_due": json_time(read.due_at),
            "note": "read to its last page",
        },
        "payment": {"kind": "payment", "last_success": None, "next_due": json_time(now), "note": "Xero's minute limit"},
    }


def test_status_of_an_unknown_tenant_is_a_404(world: ApiWorld) -> None:
    # When the platform reads the status of a tenant that does not exist
    answer = world.call("GET", f"/v1/tenants/{uuid.uuid4()}/sync/status")
    # Then it is a 404 problem
    assert answer.status == 404


def test_triggered_sync_of_everything_is_queued_for_every_entity(world: ApiWorld, tenant_id: str) -> None:
    # When the platform asks for a sync of everything
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/sync")
    # Then it is accepted and one request for all entities is on the tenant's group
    assert answer.status == 202
    assert answer.body["entities"] == ["contact", "item", "invoice", "bill", "credit_note", "payment"]
    [(group, request)] = world.sync_requests()
    assert (group, request["entity"], request["reason"]) == (tenant_id, None, "trigger")
    # And it asks for every kind to be read again from Xero too
    assert "bank_transaction" in request["reconcile"]
    assert len(request["reconcile"]) == 10


def test_triggered_sync_of_one_entity_is_queued_for_that_entity(world: ApiWorld, tenant_id: str) -> None:
    # When the platform asks for a sync of payments
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/sync/payment")
    # Then the request names payments only
    assert answer.body["entities"] == ["payment"]
    [(_, request)] = world.sync_requests()
    assert (request["entity"], request["reconcile"]) == ("payment", ["payment"])


def test_failed_record_retried_is_pending_again_and_queued(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice Xero refused
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    world.settle(tenant_id, Entity.INVOICE, "inv-1", FAILED)
    # When the platform retries it
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/records/invoice/inv-1/retry")
    # Then it is pending again, its message cleared, and the worker is asked to send it
    assert answer.status == 200
    assert (answer.body["ledger"]["state"], answer.body["ledger"]["message"]) == ("pending", None)
    assert [request["reason"] for _, request in world.sync_requests()] == ["write", "retry"]


def test_retrying_a_synced_record_changes_nothing(world: ApiWorld, tenant_id: str) -> None:
    # Given a contact Xero has
    world.put_record(tenant_id, "contact", "cus-1", contact())
    world.settle(tenant_id, Entity.CONTACT, "cus-1", Outcome(state=SyncState.SYNCED, xero_id="x-1"))
    # When the platform retries it
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/records/contact/cus-1/retry")
    # Then it is answered as it is, and nothing is queued
    assert answer.body["ledger"]["state"] == "synced"
    assert len(world.sync_requests()) == 1


def test_retrying_an_unknown_record_is_a_404(world: ApiWorld, tenant_id: str) -> None:
    # When the platform retries an id it never wrote
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/records/invoice/inv-404/retry")
    # Then it is a 404 problem
    assert answer.status == 404


def test_retry_all_makes_every_failed_record_pending(world: ApiWorld, tenant_id: str) -> None:
    # Given four invoices of which two failed and one synced
    for n in range(4):
        world.put_record(tenant_id, "invoice", f"inv-{n}", invoice())
    world.settle(tenant_id, Entity.INVOICE, "inv-0", FAILED)
    world.settle(tenant_id, Entity.INVOICE, "inv-1", FAILED)
    world.settle(tenant_id, Entity.INVOICE, "inv-2", Outcome(state=SyncState.SYNCED, xero_id="x-2"))
    # When the platform retries all invoices
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/records/invoice/retry")
    # Then the two failed ones are pending again
    assert answer.body == {"entity": "invoice", "retried": 2}
    failed = world.call("GET", f"/v1/tenants/{tenant_id}/records/invoice", query="state=failed").body
    assert failed["records"] == []


def test_export_answers_how_many_of_the_records_reached_xero(world: ApiWorld, syncing: str) -> None:
    # Given three invoices
    for n in range(3):
        world.put_record(syncing, "invoice", f"inv-{n}", invoice())
    # When the platform exports them now and Xero takes them all
    answer = world.call(
        "POST", f"/v1/tenants/{syncing}/records/invoice/export", body={"ids": ["inv-0", "inv-1", "inv-2"]}
    )
    # Then the answer says so in words and in numbers
    assert answer.status == 200
    assert answer.body["summary"] == "3 of 3 invoices exported"
    assert (answer.body["exported"], answer.body["requested"], answer.body["missing"]) == (3, 3, [])
    assert {record["state"] for record in answer.body["records"]} == {"synced"}


def test_export_reports_each_failure_with_xeros_message(world: ApiWorld, syncing: str) -> None:
    # Given three invoices, one of which Xero will refuse
    for n in range(3):
        world.put_record(syncing, "invoice", f"inv-{n}", invoice())
    world.exporter.refuse("inv-1", "The TaxType code 'GST' does not exist")
    # When the platform exports them
    answer = world.call(
        "POST", f"/v1/tenants/{syncing}/records/invoice/export", body={"ids": ["inv-0", "inv-1", "inv-2"]}
    )
    # Then two of three were exported, and the refused one carries Xero's reason
    assert answer.body["summary"] == "2 of 3 invoices exported"
    refused = answer.body["records"][1]
    assert (refused["platform_id"], refused["exported"], refused["state"]) == ("inv-1", False, "failed")
    assert refused["message"] == "The TaxType code 'GST' does not exist"


def test_export_lists_ids_never_written_as_missing(world: ApiWorld, syncing: str) -> None:
    # Given one credit note
    world.put_record(
        syncing, "credit_note", "cn-1", {"contact_id": "cus-1", "date": "2026-01-05", "lines": invoice()["lines"]}
    )
    # When the platform exports it with an id it never wrote
    answer = world.call("POST", f"/v1/tenants/{syncing}/records/credit_note/export", body={"ids": ["cn-1", "cn-404"]})
    # Then the unknown id is missing and counts as not exported
    assert answer.body["summary"] == "1 of 2 credit notes exported"
    assert answer.body["missing"] == ["cn-404"]


def test_export_counts_a_record_only_when_xero_has_its_current_version(world: ApiWorld, syncing: str) -> None:
    # Given an invoice Xero has at version 1, changed since to version 2, and Xero not answering in time
    world.put_record(syncing, "invoice", "inv-1", invoice())
    world.settle(syncing, Entity.INVOICE, "inv-1", Outcome(state=SyncState.SYNCED, xero_id="x-1"))
    world.put_record(syncing, "invoice", "inv-1", invoice(unit_amount="175.00"))
    world.exporter.hold("inv-1")
    # When the platform exports it
    answer = world.call("POST", f"/v1/tenants/{syncing}/records/invoice/export", body={"ids": ["inv-1"]})
    # Then it is not counted as exported: Xero holds an older version
    assert answer.body["summary"] == "0 of 1 invoice exported"
    assert answer.body["records"][0]["state"] == "pending"


def test_export_asks_for_a_repeated_id_once(world: ApiWorld, syncing: str) -> None:
    # Given one invoice
    world.put_record(syncing, "invoice", "inv-1", invoice())
    # When the platform names it twice in one export
    answer = world.call("POST", f"/v1/tenants/{syncing}/records/invoice/export", body={"ids": ["inv-1", "inv-1"]})
    # Then it is one record, exported once
    assert answer.body["summary"] == "1 of 1 invoice exported"
    assert world.exporter.asked == [["inv-1"]]


def test_export_of_more_than_50_records_is_refused(world: ApiWorld, syncing: str) -> None:
    # When the platform asks to export 51 records at once
    ids = [f"inv-{n}" for n in range(51)]
    answer = world.call("POST", f"/v1/tenants/{syncing}/records/invoice/export", body={"ids": ids})
    # Then it is refused naming the ids, and nothing is sent
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.ids"
    assert world.exporter.asked == []


def test_export_while_the_sync_is_switched_off_is_a_conflict(world: ApiWorld, tenant_id: str) -> None:
    # Given an invoice of a tenant the platform has not switched on
    world.put_record(tenant_id, "invoice", "inv-1", invoice())
    # When the platform exports it
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/records/invoice/export", body={"ids": ["inv-1"]})
    # Then it is a 409 saying how to switch it on, and nothing is sent
    assert answer.status == 409
    assert "sync/enabled" in answer.body["detail"]
    assert world.exporter.asked == []
