"""GET /v1/tenants/{tenant_id}/bank-transactions/unmatched: a page of Xero's bank transactions, those no
platform payment accounts for flagged for review."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.domain.ledger import Outcome, SyncState
from shared.domain.rate_limits import Priority
from shared.domain.records import Entity
from shared.ports.xero_identity import XeroUnavailableError
from shared.usecases.reports.bank_review import PAGE_SIZE
from tests.unit.api.reporting.reporting_world import ReportingWorld
from tests.unit.reports.xero_reports import bank_transaction

UNMATCHED = "/bank-transactions/unmatched"


def a_payment(world: ReportingWorld, tenant_id: str, platform_id: str, amount: str, **fields: Any) -> None:
    body = {"invoice_id": "inv-1", "date": "2026-01-02", "amount": amount, "bank_account": "main", **fields}
    assert world.put_record(tenant_id, "payment", platform_id, body).status == 200


def bank(world: ReportingWorld, *elements: dict[str, Any]) -> None:
    world.xero.answer("/BankTransactions", {"BankTransactions": list(elements)})


def test_transactions_no_payment_accounts_for_are_flagged(world: ReportingWorld, tenant_id: str) -> None:
    # Given a platform receipt of 110.00 not in Xero, and two deposits in Xero: 110.00 and 75.00
    a_payment(world, tenant_id, "pay-1", "110.00")
    bank(world, bank_transaction("bt-1", 110.0), bank_transaction("bt-2", 75.0, reference="Cash sale", reconciled=True))
    # When the platform asks what to review since 1 January
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{UNMATCHED}", query="since=2026-01-01")
    # Then only the 75.00 deposit is flagged, with what a reviewer needs
    assert answer.status == 200, answer.text
    body = answer.body
    assert (body["checked"], body["matched_by_heuristic"], body["matched_by_ledger"], body["next_page"]) == (
        2,
        1,
        0,
        None,
    )
    [flagged] = body["unmatched"]
    assert flagged == {
        "bank_transaction_id": "bt-2",
        "type": "RECEIVE",
        "date": "2026-01-02",
        "amount": "75.00",
        "currency": "AUD",
        "bank_account": {"code": "090", "name": "Business Bank"},
        "contact": "Bayside Cafe",
        "reference": "Cash sale",
        "is_reconciled": True,
        "reason": "no_platform_record",
        "payment_id": None,
    }


def test_xero_is_read_from_the_date_one_full_page_at_a_time(world: ReportingWorld, tenant_id: str) -> None:
    bank(world)
    world.call("GET", f"/v1/tenants/{tenant_id}{UNMATCHED}", query="since=2026-01-01&page=3")
    [request] = world.xero.requests
    assert request.path == "/BankTransactions"
    assert request.params == {
        "where": 'Date>=DateTime(2026,01,01) AND Status=="AUTHORISED"',
        "order": "Date ASC",
        "page": "3",
        "pageSize": "1000",
    }
    assert request.if_modified_since is None
    assert world.budget.priorities == [Priority.USER_WRITE]


def test_a_full_page_says_which_page_comes_next(world: ReportingWorld, tenant_id: str) -> None:
    bank(world, *(bank_transaction(f"bt-{n}", 1.0) for n in range(PAGE_SIZE)))
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{UNMATCHED}", query="since=2026-01-01")
    assert (answer.body["checked"], answer.body["next_page"]) == (PAGE_SIZE, 2)


def test_modified_since_is_sent_as_if_modified_since(world: ReportingWorld, tenant_id: str) -> None:
    bank(world)
    query = "since=2026-01-01&modified_since=2026-01-04T10:00:00Z"
    assert world.call("GET", f"/v1/tenants/{tenant_id}{UNMATCHED}", query=query).status == 200
    assert world.xero.requests[0].if_modified_since == datetime(2026, 1, 4, 10, tzinfo=UTC)


def test_a_payment_xero_holds_makes_a_look_alike_deposit_a_possible_duplicate(
    world: ReportingWorld, tenant_id: str
) -> None:
    a_payment(world, tenant_id, "pay-1", "110.00")
    world.settle(tenant_id, Entity.PAYMENT, "pay-1", Outcome(state=SyncState.SYNCED, xero_id="xero-payment-1"))
    bank(world, bank_transaction("bt-1", 110.0))
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{UNMATCHED}", query="since=2026-01-01")
    [flagged] = answer.body["unmatched"]
    assert (flagged["reason"], flagged["payment_id"]) == ("possible_duplicate", "pay-1")


def test_a_transaction_the_ledger_maps_is_matched_by_ledger(world: ReportingWorld, tenant_id: str) -> None:
    a_payment(world, tenant_id, "pay-1", "110.00", fee="2.00")
    outcome = Outcome(state=SyncState.SYNCED, xero_id="xero-payment-1", linked={"fee_bank_transaction": "bt-1"})
    world.settle(tenant_id, Entity.PAYMENT, "pay-1", outcome)
    bank(world, bank_transaction("bt-1", 2.0, kind="SPEND"))
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{UNMATCHED}", query="since=2026-01-01")
    assert (answer.body["matched_by_ledger"], answer.body["unmatched"]) == (1, [])


def test_payments_long_before_since_are_not_candidates(world: ReportingWorld, tenant_id: str) -> None:
    a_payment(world, tenant_id, "pay-old", "110.00", date="2025-06-01")
    bank(world, bank_transaction("bt-1", 110.0, on="2026-01-02"))
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{UNMATCHED}", query="since=2026-01-01")
    assert [t["bank_transaction_id"] for t in answer.body["unmatched"]] == ["bt-1"]


def test_since_is_required(world: ReportingWorld, tenant_id: str) -> None:
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{UNMATCHED}")
    assert answer.status == 422
    assert [e["field"] for e in answer.body["errors"]] == ["query.since"]


def test_a_tenant_not_connected_is_a_409(world: ReportingWorld) -> None:
    tenant = world.tenant()
    assert world.call("GET", f"/v1/tenants/{tenant}{UNMATCHED}", query="since=2026-01-01").status == 409


def test_xero_unavailable_is_a_503(world: ReportingWorld, tenant_id: str) -> None:
    world.xero.fail_next(XeroUnavailableError("Xero answered 503"))
    assert world.call("GET", f"/v1/tenants/{tenant_id}{UNMATCHED}", query="since=2026-01-01").status == 503
