"""POST /v1/tenants/{tenant_id}/records/{invoice|bill}/{platform_id}/mark-paid: a payment record for
what Xero says is due, written through the records path so the sync worker sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.domain.ledger import Outcome, SyncState
from shared.domain.rate_limits import Priority
from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings
from shared.ports.xero_accounting import XeroApiError
from tests.unit.api.record_bodies import invoice
from tests.unit.api.reporting.reporting_world import ReportingWorld
from tests.unit.reports.xero_reports import invoice as xero_invoice

XERO_INVOICE = "0b3c1f76-8c38-4e0c-9f6a-0e3c3a2b8f11"
PAID = {"date": "2026-01-20", "bank_account": "main"}


def in_xero(world: ReportingWorld, tenant_id: str, entity: str = "invoice", platform_id: str = "inv-1") -> None:
    """The document written by the platform and synced: the ledger holds its Xero id."""
    assert world.put_record(tenant_id, entity, platform_id, invoice()).status == 200
    world.settle(tenant_id, Entity(entity), platform_id, Outcome(state=SyncState.SYNCED, xero_id=XERO_INVOICE))


def mark_paid(world: ReportingWorld, tenant_id: str, body: dict[str, Any], entity: str = "invoice") -> Any:
    return world.call("POST", f"/v1/tenants/{tenant_id}/records/{entity}/inv-1/mark-paid", body=body)


def test_marking_paid_writes_a_payment_for_xeros_amount_due_and_queues_its_sync(
    world: ReportingWorld, tenant_id: str
) -> None:
    # Given an invoice in Xero with 110.00 due
    in_xero(world, tenant_id)
    world.xero.answer(f"/Invoices/{XERO_INVOICE}", xero_invoice(XERO_INVOICE, amount_due=110.0))
    queued_before = len(world.sync_requests())
    # When the platform marks it paid without an amount
    answer = mark_paid(world, tenant_id, PAID)
    # Then a pending payment of 110.00 against the invoice is written
    assert answer.status == 202, answer.text
    body = answer.body
    assert (body["amount"], body["amount_due"], body["replayed"]) == ("110.00", "110.00", False)
    payment = body["payment"]
    assert payment["entity"] == "payment"
    assert payment["ledger"]["state"] == "pending"
    assert payment["body"] == {
        "invoice_id": "inv-1",
        "document": "invoice",
        "date": "2026-01-20",
        "amount": "110.00",
        "bank_account": "main",
        "reference": None,
        "discount": "0",
        "fee": "0",
    }
    # And the sync worker is nudged at a user's priority, as for any payment the platform writes
    [(_, request)] = world.sync_requests()[queued_before:]
    assert (request["entity"], request["priority"]) == ("payment", Priority.USER_WRITE.value)
    # And Xero was read once, for the invoice, at a user's priority
    assert [r.path for r in world.xero.requests] == [f"/Invoices/{XERO_INVOICE}"]
    assert world.budget.priorities == [Priority.USER_WRITE]


def test_a_partial_amount_is_paid_as_asked(world: ReportingWorld, tenant_id: str) -> None:
    in_xero(world, tenant_id)
    world.xero.answer(f"/Invoices/{XERO_INVOICE}", xero_invoice(XERO_INVOICE, amount_due=110.0))
    answer = mark_paid(world, tenant_id, {**PAID, "amount": "40.5", "reference": "Part 1"})
    assert answer.status == 202, answer.text
    assert answer.body["payment"]["body"]["amount"] == "40.50"
    assert answer.body["payment"]["body"]["reference"] == "Part 1"


def test_a_bill_is_marked_paid_as_a_payment_of_the_bill(world: ReportingWorld, tenant_id: str) -> None:
    in_xero(world, tenant_id, entity="bill")
    world.xero.answer(f"/Invoices/{XERO_INVOICE}", xero_invoice(XERO_INVOICE, amount_due=55.0))
    answer = mark_paid(world, tenant_id, PAID, entity="bill")
    assert answer.status == 202, answer.text
    assert answer.body["payment"]["body"]["document"] == "bill"


def test_the_same_request_again_answers_the_same_payment_without_calling_xero(
    world: ReportingWorld, tenant_id: str
) -> None:
    # Given an invoice marked paid once
    in_xero(world, tenant_id)
    world.xero.answer(f"/Invoices/{XERO_INVOICE}", xero_invoice(XERO_INVOICE, amount_due=110.0))
    first = mark_paid(world, tenant_id, PAID)
    calls = len(world.xero.requests)
    # When the platform retries the very same request
    again = mark_paid(world, tenant_id, PAID)
    # Then it gets the same payment, unchanged, and no second payment exists
    assert again.status == 202
    assert again.body["replayed"] is True
    assert again.body["payment"]["platform_id"] == first.body["payment"]["platform_id"]
    assert again.body["payment"]["version"] == 1
    assert len(world.xero.requests) == calls
    payments, _ = world.records.store.listing(tenant_id, Entity.PAYMENT, None, 10)
    assert len(payments) == 1


def test_a_given_payment_id_names_the_payment(world: ReportingWorld, tenant_id: str) -> None:
    in_xero(world, tenant_id)
    world.xero.answer(f"/Invoices/{XERO_INVOICE}", xero_invoice(XERO_INVOICE))
    answer = mark_paid(world, tenant_id, {**PAID, "payment_id": "rcpt-77"})
    assert answer.body["payment"]["platform_id"] == "rcpt-77"


def test_a_payment_id_of_another_payment_is_refused(world: ReportingWorld, tenant_id: str) -> None:
    in_xero(world, tenant_id)
    other = {"invoice_id": "inv-9", "date": "2026-01-02", "amount": "5.00", "bank_account": "main"}
    assert world.put_record(tenant_id, "payment", "rcpt-77", other).status == 200
    answer = mark_paid(world, tenant_id, {**PAID, "payment_id": "rcpt-77"})
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.payment_id"


def test_an_invoice_not_in_xero_yet_is_a_409_and_nothing_is_written(world: ReportingWorld, tenant_id: str) -> None:
    # Given an invoice still pending (never reached Xero)
    assert world.put_record(tenant_id, "invoice", "inv-1", invoice()).status == 200
    # When the platform marks it paid
    answer = mark_paid(world, tenant_id, PAID)
    # Then it is told to export it first, no payment is written and Xero is not called
    assert answer.status == 409
    assert "not in Xero yet" in answer.body["detail"]
    assert "/records/invoice/export" in answer.body["detail"]
    assert world.records.store.listing(tenant_id, Entity.PAYMENT, None, 10)[0] == []
    assert world.xero.requests == []


@pytest.mark.parametrize(
    ("status", "words"),
    [("PAID", "already shows the invoice as paid"), ("DRAFT", "draft"), ("VOIDED", "voided")],
)
def test_a_document_xero_takes_no_payment_against_is_a_409(
    world: ReportingWorld, tenant_id: str, status: str, words: str
) -> None:
    in_xero(world, tenant_id)
    world.xero.answer(f"/Invoices/{XERO_INVOICE}", xero_invoice(XERO_INVOICE, status=status, amount_due=0.0))
    answer = mark_paid(world, tenant_id, PAID)
    assert answer.status == 409
    assert words in answer.body["detail"]
    assert world.records.store.listing(tenant_id, Entity.PAYMENT, None, 10)[0] == []


def test_a_document_gone_from_xero_is_a_409(world: ReportingWorld, tenant_id: str) -> None:
    in_xero(world, tenant_id)
    world.xero.fail_next(XeroApiError(404, "The document with the supplied id was not found for this endpoint."))
    assert mark_paid(world, tenant_id, PAID).status == 409


def test_an_amount_above_what_is_due_is_refused(world: ReportingWorld, tenant_id: str) -> None:
    in_xero(world, tenant_id)
    world.xero.answer(f"/Invoices/{XERO_INVOICE}", xero_invoice(XERO_INVOICE, amount_due=110.0))
    answer = mark_paid(world, tenant_id, {**PAID, "amount": "110.01"})
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.amount"
    assert "110.00" in answer.body["errors"][0]["message"]


def test_a_bank_account_the_settings_do_not_match_is_refused_before_calling_xero(
    world: ReportingWorld, tenant_id: str
) -> None:
    in_xero(world, tenant_id)
    answer = mark_paid(world, tenant_id, {**PAID, "bank_account": "petty-cash"})
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.bank_account"
    assert world.xero.requests == []


@pytest.mark.parametrize(
    "body",
    [
        {"bank_account": "main"},
        {"date": "2026-01-20"},
        {**PAID, "amount": "0"},
        {**PAID, "amount": "1.001"},
        {**PAID, "colour": "red"},
    ],
)
def test_an_invalid_body_is_a_422(world: ReportingWorld, tenant_id: str, body: dict[str, Any]) -> None:
    in_xero(world, tenant_id)
    assert mark_paid(world, tenant_id, body).status == 422


def test_an_unknown_or_deleted_document_is_a_404(world: ReportingWorld, tenant_id: str) -> None:
    assert mark_paid(world, tenant_id, PAID).status == 404
    in_xero(world, tenant_id)
    assert world.call("DELETE", f"/v1/tenants/{tenant_id}/records/invoice/inv-1").status == 200
    assert mark_paid(world, tenant_id, PAID).status == 404


def test_only_invoices_and_bills_are_marked_paid(world: ReportingWorld, tenant_id: str) -> None:
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/records/credit_note/cn-1/mark-paid", body=PAID)
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "path.document"


def test_a_tenant_not_connected_is_a_409(world: ReportingWorld) -> None:
    tenant = world.tenant()
    world.records.settings.put(tenant, TenantSyncSettings(bank_accounts={"main": "090"}), world.clock.now())
    in_xero(world, tenant)
    answer = mark_paid(world, tenant, PAID)
    assert answer.status == 409
    assert json.dumps(answer.body).count("not connected") == 1


def test_a_payment_deleted_since_is_made_again_by_the_same_request(world: ReportingWorld, tenant_id: str) -> None:
    # Given an invoice marked paid, whose payment the platform then deleted
    in_xero(world, tenant_id)
    world.xero.answer(f"/Invoices/{XERO_INVOICE}", xero_invoice(XERO_INVOICE, amount_due=110.0))
    payment_id = mark_paid(world, tenant_id, PAID).body["payment"]["platform_id"]
    assert world.call("DELETE", f"/v1/tenants/{tenant_id}/records/payment/{payment_id}").status == 200
    # When the same request is made again
    again = mark_paid(world, tenant_id, PAID)
    # Then the payment is written again (a new version, no longer deleted), after asking Xero what is due
    assert again.status == 202, again.text
    assert (again.body["replayed"], again.body["payment"]["deleted"], again.body["payment"]["version"]) == (
        False,
        False,
        3,
    )
