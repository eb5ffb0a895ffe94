"""Reports and actions through the platform API's handler, on moto, against the real Xero simulator.

The Given is a ledger made in Xero as a Xero user would make it (the simulator's act endpoint: sales,
a bill, spend money, receipts), or records the platform wrote and the push sent. The reports come
through the tenant's real DynamoDB rate budget and the HTTP adapter, and their figures are checked
against the ledger the test made by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from functions.api.dependencies import ApiDependencies
from functions.api.handler import lambda_handler
from shared.domain.tokens import TokenSet
from tests.connected_records import connected_record
from tests.events import LocalLambdaContext, http_api_event
from tests.integration.api_on_simulator import api_on_simulator
from tests.integration.conftest import Stage
from tests.integration.push_world import SETTINGS
from tests.simulator.identity_flow import OFFLINE_SCOPES, Party, connect
from xero_simulator.server import Simulator

SCOPES = (*OFFLINE_SCOPES, "accounting.contacts", "accounting.reports.read")
OCTOBER = "from=2026-10-01&to=2026-10-31"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class Reporting:
    """The API composed over the stage and the simulator, a connected tenant, and the simulator's controls."""

    deps: ApiDependencies
    key: str
    party: Party
    control: httpx.Client
    tenant_id: str = ""

    def call(self, method: str, path: str, body: Any = None, query: str = "") -> Answer:
        event = http_api_event(
            method,
            f"/v1/tenants/{self.tenant_id}{path}",
            query=query,
            headers={"x-api-key": self.key, "content-type": "application/json"},
            body=json.dumps(body) if body is not None else None,
        )
        answer = lambda_handler(event, LocalLambdaContext("xero-sync-api"), deps=self.deps)
        return Answer(answer["statusCode"], answer.get("headers", {}), json.loads(answer["body"]))

    def act(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """Do what a Xero user does in Xero's web app (no token, no rate limit)."""
        answer = self.control.post(
            f"/organisations/{self.party.org.organisation_id}/act", json={"method": method, "path": path, "body": body}
        )
        assert answer.status_code == 200, answer.text
        outcome: dict[str, Any] = answer.json()
        assert outcome["status"] == 200, outcome
        answered: dict[str, Any] = outcome["body"]
        return answered

    def figures(self, report: dict[str, Any]) -> dict[str, list[str | None]]:
        return {figure["label"]: figure["amounts"] for figure in report["figures"]}


@pytest.fixture
def reporting(simulator: Simulator, stage: Stage, monkeypatch: pytest.MonkeyPatch) -> Iterator[Reporting]:
    api = api_on_simulator(simulator, stage, monkeypatch)
    deps, party = api.deps, api.party
    with httpx.Client(base_url=f"{simulator.base_url}/_sim", timeout=10) as control:
        world = Reporting(deps, api.api_key, party, control)
        world.tenant_id = _connected_tenant(world)
        deps.sync_settings.put(world.tenant_id, SETTINGS, datetime.now(UTC))
        yield world
    party.http.close()


def _connected_tenant(world: Reporting) -> str:
    """A tenant created through the API and connected to the party's organisation with the reports scope."""
    event = http_api_event(
        "POST",
        "/v1/tenants",
        headers={"x-api-key": world.key, "content-type": "application/json"},
        body=json.dumps({"name": "Bayside Plumbing"}),
    )
    created = lambda_handler(event, LocalLambdaContext("xero-sync-api"), deps=world.deps)
    tenant_id: str = json.loads(created["body"])["tenant_id"]
    granted = connect(world.party, SCOPES)
    [row] = world.deps.identity.connections(granted["access_token"])
    now = datetime.now(UTC)
    tokens = TokenSet(
        access_token=SecretStr(granted["access_token"]),
        refresh_token=SecretStr(granted["refresh_token"]),
        expires_at=now + timedelta(seconds=int(granted["expires_in"])),
        scopes=tuple(granted["scope"].split()),
    )
    world.deps.vault.write(tenant_id, tokens)
    world.deps.connections.put(connected_record(tenant_id, row, tokens, now, row.auth_event_id))
    return tenant_id


def _document(kind: str, contact: str, on: str, lines: list[tuple[str, str, str]]) -> dict[str, Any]:
    """An approved document, tax exclusive; lines are (account code, amount, tax type)."""
    return {
        "Type": kind,
        "Contact": {"Name": contact},
        "Date": on,
        "DueDate": "2026-10-31",
        "Status": "AUTHORISED",
        "LineAmountTypes": "Exclusive",
        "LineItems": [
            {
                "Description": f"Line {n}",
                "Quantity": 1,
                "UnitAmount": float(amount),
                "AccountCode": code,
                "TaxType": tax,
            }
            for n, (code, amount, tax) in enumerate(lines)
        ],
    }


def _october_in_xero(reporting: Reporting) -> dict[str, str]:
    """Sales of 1,000 and 250 (GST 10% on top), a bill of 400 to Cost of Goods Sold, bank fees of 20
    spent, and the first sale's 1,100 received into the business bank account. Their invoice ids."""
    sales = reporting.act(
        "PUT",
        "/Invoices",
        {
            "Invoices": [
                _document("ACCREC", "Bayside Cafe", "2026-10-05", [("200", "1000.00", "OUTPUT")]),
                _document("ACCREC", "Harbour Gym", "2026-10-12", [("200", "250.00", "OUTPUT")]),
                _document("ACCPAY", "Plumbing Supplies", "2026-10-08", [("310", "400.00", "INPUT")]),
            ]
        },
    )
    ids = {invoice["Contact"]["Name"]: invoice["InvoiceID"] for invoice in sales["Invoices"]}
    reporting.act(
        "PUT",
        "/BankTransactions",
        {
            "BankTransactions": [
                {
                    "Type": "SPEND",
                    "Contact": {"Name": "Bank"},
                    "BankAccount": {"Code": "090"},
                    "Date": "2026-10-20",
                    "LineAmountTypes": "NoTax",
                    "LineItems": [{"Description": "Fees", "Quantity": 1, "UnitAmount": 20.0, "AccountCode": "404"}],
                }
            ]
        },
    )
    payment = {
        "Invoice": {"InvoiceID": ids["Bayside Cafe"]},
        "Account": {"Code": "090"},
        "Date": "2026-10-15",
        "Amount": 1100.0,
    }
    reporting.act("PUT", "/Payments", {"Payments": [payment]})
    return ids


def test_profit_and_loss_through_the_api_adds_up_to_the_ledger_made_in_xero(reporting: Reporting) -> None:
    # Given a month of trading made in Xero by a Xero user
    _october_in_xero(reporting)
    # When the platform reads October's profit and loss
    answer = reporting.call("GET", "/reports/profit-and-loss", query=OCTOBER)
    # Then its figures are the ledger's: sales 1,250, cost of sales 400, fees 20 (GST is no income)
    assert answer.status == 200, answer.body
    figures = reporting.figures(answer.body)
    assert figures["Total Income"] == ["1250.00"]
    assert figures["Total Cost of Sales"] == ["400.00"]
    assert figures["Gross Profit"] == ["850.00"]
    assert figures["Total Operating Expenses"] == ["20.00"]
    assert figures["Net Profit"] == ["830.00"]
    assert answer.body["report_type"] == "ProfitAndLoss"
    assert answer.body["titles"][1] == reporting.party.org.name


def test_balance_sheet_through_the_api_balances_and_holds_the_bank(reporting: Reporting) -> None:
    # Given the same month: 1,100 received and 20 spent through the bank account
    _october_in_xero(reporting)
    # When the platform reads the balance sheet at the month's end
    answer = reporting.call("GET", "/reports/balance-sheet", query="date=2026-10-31")
    # Then the bank holds 1,080 and equity equals net assets (every journal balances)
    assert answer.status == 200, answer.body
    figures = reporting.figures(answer.body)
    assert figures["Total Bank"] == ["1080.00"]
    assert figures["Net Assets"] == figures["Total Equity"]
    # And the receivables are the gym's 275.00 still due
    assert Decimal(str(figures["Total Current Assets"][0])) == Decimal("275.00")


def test_aged_receivables_mark_paid_and_the_push_settle_an_invoice_in_xero(reporting: Reporting) -> None:
    # Given a contact and an invoice the platform wrote and exported to Xero
    assert reporting.call("PUT", "/records/contact/cust-1", {"name": "Bayside Cafe"}).status == 200
    invoice = {
        "contact_id": "cust-1",
        "date": "2026-10-05",
        "due_date": "2026-10-19",
        "lines": [{"description": "Blocked drain", "unit_amount": "150.00", "tax_code": "GST"}],
    }
    assert reporting.call("PUT", "/records/invoice/inv-1", invoice).status == 200
    exported = reporting.call("POST", "/records/invoice/export", {"ids": ["inv-1"]})
    assert exported.body["summary"] == "1 of 1 invoice exported", exported.body
    # When the platform reads the contact's aged receivables
    aged = reporting.call("GET", "/reports/aged-receivables", query="contact_id=cust-1&date=2026-10-20")
    # Then Xero shows the invoice's 165.00 (GST included) due
    assert aged.status == 200, aged.body
    assert reporting.figures(aged.body)["Closing Balance"] == ["165.00", "0.00", "0.00", "165.00"]
    # When the platform marks the invoice paid, and the payment is exported
    marked = reporting.call("POST", "/records/invoice/inv-1/mark-paid", {"date": "2026-10-21", "bank_account": "main"})
    assert marked.status == 202, marked.body
    assert (marked.body["amount"], marked.body["amount_due"]) == ("165.00", "165.00")
    payment_id = marked.body["payment"]["platform_id"]
    sent = reporting.call("POST", "/records/payment/export", {"ids": [payment_id]})
    assert sent.body["summary"] == "1 of 1 payment exported", sent.body
    # Then Xero holds the invoice as paid, and nothing is due any more
    xero_id = reporting.call("GET", "/records/invoice/inv-1").body["ledger"]["xero_id"]
    stored = reporting.party.sim.world.organisation(reporting.party.org.organisation_id)
    assert stored is not None
    with reporting.party.sim.world.lock:
        assert stored.records("Invoices")[xero_id]["Status"] == "PAID"
    after = reporting.call("GET", "/reports/aged-receivables", query="contact_id=cust-1&date=2026-10-31")
    assert reporting.figures(after.body)["Closing Balance"][-1] == "0.00"
    # And marking it paid again is refused in Xero's words: there is nothing left to pay
    again = reporting.call("POST", "/records/invoice/inv-1/mark-paid", {"date": "2026-10-22", "bank_account": "main"})
    assert again.status == 409
    assert "already shows the invoice as paid" in again.body["detail"]


def test_bank_transactions_entered_in_xero_are_flagged_unless_a_platform_payment_accounts_for_them(
    reporting: Reporting,
) -> None:
    # Given a receipt the platform knows but never sent (not applied to an invoice), and in Xero a
    # deposit of the same 60.00 plus an unexplained deposit of 75.00
    receipt = {"date": "2026-10-14", "amount": "60.00", "bank_account": "main", "reference": "Cash sale"}
    assert reporting.call("PUT", "/records/payment/pay-cash", receipt).status == 200
    deposits = [
        {"Type": "RECEIVE", "Reference": "Cash sale", "Date": "2026-10-15", "UnitAmount": 60.0},
        {"Type": "RECEIVE", "Reference": "Unknown", "Date": "2026-10-16", "UnitAmount": 75.0},
    ]
    for deposit in deposits:
        element = {
            "Type": deposit["Type"],
            "Contact": {"Name": "Walk-in"},
            "BankAccount": {"Code": "090"},
            "Date": deposit["Date"],
            "Reference": deposit["Reference"],
            "LineAmountTypes": "NoTax",
            "LineItems": [
                {"Description": "Deposit", "Quantity": 1, "UnitAmount": deposit["UnitAmount"], "AccountCode": "200"}
            ],
        }
        reporting.act("PUT", "/BankTransactions", {"BankTransactions": [element]})
    # When the platform asks what to review since October
    answer = reporting.call("GET", "/bank-transactions/unmatched", query="since=2026-10-01")
    # Then only the 75.00 deposit is flagged
    assert answer.status == 200, answer.body
    assert (answer.body["checked"], answer.body["matched_by_heuristic"]) == (2, 1)
    [flagged] = answer.body["unmatched"]
    assert (flagged["amount"], flagged["reference"], flagged["reason"]) == ("75.00", "Unknown", "no_platform_record")
    assert flagged["bank_account"]["code"] == "090"


# --- failures against the real simulator --------------------------------------------------------


def test_xero_in_maintenance_answers_503(reporting: Reporting) -> None:
    # Given Xero answers its plain-text 503 to report calls
    fault = {"kind": "maintenance_503", "path_contains": "/Reports"}
    assert reporting.control.post("/faults", json=fault).status_code in (200, 201)
    # When the platform reads a report
    answer = reporting.call("GET", "/reports/profit-and-loss", query=OCTOBER)
    # Then it is told Xero is unavailable, with when to try again
    assert answer.status == 503
    assert "Retry-After" in answer.headers


def test_xeros_429_and_then_the_parked_budget_answer_429_with_retry_after(reporting: Reporting) -> None:
    # Given Xero allows this tenant one call a minute, and the platform used it
    assert reporting.control.put("/limits", json={"per_minute": 1}).status_code == 200
    assert reporting.call("GET", "/reports/balance-sheet").status == 200
    # When the platform reads another report within the minute
    limited = reporting.call("GET", "/reports/profit-and-loss", query=OCTOBER)
    # Then Xero's 429 becomes the platform's 429, with Xero's Retry-After
    assert limited.status == 429, limited.body
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # And the next request is held back by the parked budget without reaching Xero
    counters_before = reporting.control.get("/counters").json()
    held = reporting.call("GET", "/reports/profit-and-loss", query=OCTOBER)
    assert held.status == 429
    assert reporting.control.get("/counters").json()["calls"] == counters_before["calls"]
