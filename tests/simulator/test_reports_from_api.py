"""Reports agree with documents written through the API, not only with records seeded directly."""

from __future__ import annotations

from typing import Any

from tests.simulator.conftest import Tenant
from tests.simulator.report_reading import fetch_report, layout


def put(tenant: Tenant, collection: str, body: dict[str, Any], path: str | None = None) -> dict[str, Any]:
    answer = tenant.api.put(path or f"/{collection}", json={collection: [body]})
    assert answer.status_code == 200, answer.text
    created: dict[str, Any] = answer.json()[collection][0]
    return created


def bread_sale(tenant: Tenant, kind: str, amount: int) -> dict[str, Any]:
    """An approved document of `kind` to Ridgeway Bakery: `amount` of bread to Sales, GST on income."""
    collection = "Invoices" if kind == "ACCREC" else "CreditNotes"
    line = {"Description": "Bread", "Quantity": 1, "UnitAmount": amount, "AccountCode": "200", "TaxType": "OUTPUT"}
    body = {
        "Type": kind,
        "Contact": {"Name": "Ridgeway Bakery"},
        "Date": "2024-03-05",
        "DueDate": "2024-04-04",
        "Status": "AUTHORISED",
        "LineItems": [line],
    }
    return put(tenant, collection, body)


def test_an_invoice_and_its_payment_made_through_the_api_reach_the_trial_balance(tenant: Tenant) -> None:
    # Given a 100 + GST invoice approved through the API and paid 60 into the bank
    sale = bread_sale(tenant, "ACCREC", 100)
    payment = {
        "Invoice": {"InvoiceID": sale["InvoiceID"]},
        "Account": {"Code": "090"},
        "Date": "2024-03-20",
        "Amount": 60,
    }
    put(tenant, "Payments", payment)
    # When the trial balance at 31 March 2024 is fetched
    report = fetch_report(tenant, "TrialBalance", date="2024-03-31")
    # Then sales, GST, the receivable left and the bank carry the hand-computed figures
    assert layout(report)[1:] == [
        ("Section", "Revenue"),
        ("Sales (200)", "", "100.00", "", "100.00"),
        ("Section", "Assets"),
        ("Accounts Receivable (610)", "50.00", "", "50.00", ""),
        ("Business Bank Account (090)", "60.00", "", "60.00", ""),
        ("Section", "Liabilities"),
        ("GST (820)", "", "10.00", "", "10.00"),
        ("Total", "110.00", "110.00", "110.00", "110.00"),
    ]


def test_a_credit_note_allocated_through_the_api_shows_as_credited(tenant: Tenant) -> None:
    # Given a 110 invoice and a 22 credit note allocated to it through the API
    sale = bread_sale(tenant, "ACCREC", 100)
    note = bread_sale(tenant, "ACCRECCREDIT", 20)
    allocation = {"Invoice": {"InvoiceID": sale["InvoiceID"]}, "Amount": 22, "Date": "2024-03-06"}
    put(tenant, "Allocations", allocation, path=f"/CreditNotes/{note['CreditNoteID']}/Allocations")
    # When the customer's aged receivables at 31 March 2024 are fetched
    report = fetch_report(tenant, "AgedReceivablesByContact", contactId=sale["Contact"]["ContactID"], date="2024-03-31")
    # Then the invoice shows 22 credited and 88 due, and the spent credit note is not listed
    assert layout(report)[2][4:] == ("110.00", "0.00", "22.00", "88.00")
    assert layout(report)[-1] == ("Closing Balance", "", "", "", "110.00", "0.00", "22.00", "88.00")
