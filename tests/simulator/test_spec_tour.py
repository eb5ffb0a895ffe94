"""One walk through every endpoint the simulator serves, each answered 2xx and checked against Xero's spec.

The strict `simulator` fixture fails the test if any answer breaks the spec; this walk makes sure
that every endpoint was actually exercised with a successful answer at least once.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.simulator.conftest import Tenant
from tests.simulator.endpoints import REQUIRED_ENDPOINTS


class Walk:
    """Calls endpoints by their spec template and remembers which answered 2xx."""

    def __init__(self, api: httpx.Client) -> None:
        self.api = api
        self.answered: set[tuple[str, str]] = set()

    def call(self, method: str, template: str, path: str | None = None, **kwargs: Any) -> dict[str, Any]:
        answer = self.api.request(method, path or template, **kwargs)
        assert answer.status_code < 300, f"{method} {path or template}: {answer.status_code} {answer.text[:400]}"
        self.answered.add((method, template))
        return answer.json() if answer.content else {}


def _reference_data(walk: Walk) -> None:
    walk.call("GET", "/Organisation")
    walk.call("GET", "/Accounts")
    account = walk.call("PUT", "/Accounts", json={"Code": "455", "Name": "Tour Expenses", "Type": "EXPENSE"})
    account_id = account["Accounts"][0]["AccountID"]
    walk.call("GET", "/Accounts/{AccountID}", f"/Accounts/{account_id}")
    walk.call("POST", "/Accounts/{AccountID}", f"/Accounts/{account_id}", json={"Name": "Tour Expenses Renamed"})
    walk.call("DELETE", "/Accounts/{AccountID}", f"/Accounts/{account_id}")

    walk.call("GET", "/TaxRates")
    rate = {"Name": "Tour Tax", "ReportTaxType": "OUTPUT", "TaxComponents": [{"Name": "Tour", "Rate": 2.5}]}
    created = walk.call("PUT", "/TaxRates", json={"TaxRates": [rate]})
    tax_type = created["TaxRates"][0]["TaxType"]
    walk.call("POST", "/TaxRates", json={"TaxRates": [{**rate, "TaxType": tax_type, "Name": "Tour Tax 2"}]})
    walk.call("GET", "/TaxRates/{TaxType}", f"/TaxRates/{tax_type}")

    walk.call("GET", "/TrackingCategories")
    category = walk.call("PUT", "/TrackingCategories", json={"Name": "Region"})["TrackingCategories"][0]
    category_path = f"/TrackingCategories/{category['TrackingCategoryID']}"
    walk.call("GET", "/TrackingCategories/{TrackingCategoryID}", category_path)
    walk.call("POST", "/TrackingCategories/{TrackingCategoryID}", category_path, json={"Name": "Area"})
    option = walk.call(
        "PUT",
        "/TrackingCategories/{TrackingCategoryID}/Options",
        f"{category_path}/Options",
        json={"Options": [{"Name": "North"}]},
    )["Options"][0]
    option_path = f"{category_path}/Options/{option['TrackingOptionID']}"
    walk.call(
        "POST",
        "/TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}",
        option_path,
        json={"Name": "Northern"},
    )
    walk.call("DELETE", "/TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}", option_path)
    walk.call("DELETE", "/TrackingCategories/{TrackingCategoryID}", category_path)

    walk.call("GET", "/Items")
    item = walk.call("PUT", "/Items", json={"Items": [{"Code": "TOUR-1", "Name": "Tour item"}]})["Items"][0]
    walk.call("POST", "/Items", json={"Items": [{"Code": "TOUR-2", "Name": "Second tour item"}]})
    walk.call("GET", "/Items/{ItemID}", f"/Items/{item['ItemID']}")
    walk.call(
        "POST", "/Items/{ItemID}", f"/Items/{item['ItemID']}", json={"Items": [{"Code": "TOUR-1", "Name": "Renamed"}]}
    )
    walk.call("DELETE", "/Items/{ItemID}", f"/Items/{item['ItemID']}")


def _contacts(walk: Walk) -> str:
    walk.call("GET", "/Contacts")
    contact = walk.call("PUT", "/Contacts", json={"Contacts": [{"Name": "Tour Customer"}]})["Contacts"][0]
    walk.call("POST", "/Contacts", json={"Contacts": [{"Name": "Tour Supplier"}]})
    walk.call("GET", "/Contacts/{ContactID}", f"/Contacts/{contact['ContactID']}")
    walk.call(
        "POST",
        "/Contacts/{ContactID}",
        f"/Contacts/{contact['ContactID']}",
        json={"Contacts": [{"EmailAddress": "tour@example.com"}]},
    )
    contact_id: str = contact["ContactID"]
    return contact_id


def _documents(walk: Walk, contact_id: str) -> None:
    line = {"Description": "Work", "Quantity": 2, "UnitAmount": 50, "AccountCode": "200"}
    invoice_body = {
        "Type": "ACCREC",
        "Contact": {"ContactID": contact_id},
        "DueDate": "2031-01-31",
        "Status": "AUTHORISED",
        "LineItems": [line],
    }
    invoice = walk.call("PUT", "/Invoices", json={"Invoices": [invoice_body]})["Invoices"][0]
    walk.call("POST", "/Invoices", json={"Invoices": [{**invoice_body, "Status": "DRAFT"}]})
    walk.call("GET", "/Invoices", params={"page": 1})
    invoice_path = f"/Invoices/{invoice['InvoiceID']}"
    walk.call("GET", "/Invoices/{InvoiceID}", invoice_path)
    walk.call("POST", "/Invoices/{InvoiceID}", invoice_path, json={"Invoices": [{"Reference": "tour"}]})

    credit_body = {
        "Type": "ACCRECCREDIT",
        "Contact": {"ContactID": contact_id},
        "Status": "AUTHORISED",
        "LineItems": [{**line, "Quantity": 1, "UnitAmount": 10}],
    }
    credit = walk.call("PUT", "/CreditNotes", json={"CreditNotes": [credit_body]})["CreditNotes"][0]
    walk.call("POST", "/CreditNotes", json={"CreditNotes": [{**credit_body, "Status": "DRAFT"}]})
    walk.call("GET", "/CreditNotes", params={"page": 1})
    credit_path = f"/CreditNotes/{credit['CreditNoteID']}"
    walk.call("GET", "/CreditNotes/{CreditNoteID}", credit_path)
    walk.call("POST", "/CreditNotes/{CreditNoteID}", credit_path, json={"CreditNotes": [{"Reference": "tour"}]})
    allocation = walk.call(
        "PUT",
        "/CreditNotes/{CreditNoteID}/Allocations",
        f"{credit_path}/Allocations",
        json={"Allocations": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 5, "Date": "2031-01-01"}]},
    )["Allocations"][0]
    walk.call(
        "DELETE",
        "/CreditNotes/{CreditNoteID}/Allocations/{AllocationID}",
        f"{credit_path}/Allocations/{allocation['AllocationID']}",
    )

    payment_body = {
        "Invoice": {"InvoiceID": invoice["InvoiceID"]},
        "Account": {"Code": "090"},
        "Date": "2031-01-02",
        "Amount": 10,
    }
    payment = walk.call("PUT", "/Payments", json={"Payments": [payment_body]})["Payments"][0]
    walk.call("POST", "/Payments", json={"Payments": [payment_body]})
    walk.call("GET", "/Payments")
    payment_path = f"/Payments/{payment['PaymentID']}"
    walk.call("GET", "/Payments/{PaymentID}", payment_path)
    walk.call("POST", "/Payments/{PaymentID}", payment_path, json={"Status": "DELETED"})

    spend = {
        "Type": "SPEND",
        "Contact": {"ContactID": contact_id},
        "BankAccount": {"Code": "090"},
        "LineItems": [{"Description": "Fees", "Quantity": 1, "UnitAmount": 15, "AccountCode": "404"}],
    }
    transaction = walk.call("PUT", "/BankTransactions", json={"BankTransactions": [spend]})["BankTransactions"][0]
    walk.call("POST", "/BankTransactions", json={"BankTransactions": [spend]})
    walk.call("GET", "/BankTransactions", params={"page": 1})
    transaction_path = f"/BankTransactions/{transaction['BankTransactionID']}"
    walk.call("GET", "/BankTransactions/{BankTransactionID}", transaction_path)
    walk.call(
        "POST",
        "/BankTransactions/{BankTransactionID}",
        transaction_path,
        json={"BankTransactions": [{**spend, "Reference": "tour"}]},
    )


def _reports(walk: Walk, contact_id: str) -> None:
    walk.call("GET", "/Reports/ProfitAndLoss", params={"fromDate": "2031-01-01", "toDate": "2031-01-31"})
    walk.call("GET", "/Reports/BalanceSheet", params={"date": "2031-01-31"})
    walk.call("GET", "/Reports/TrialBalance", params={"date": "2031-01-31"})
    walk.call("GET", "/Reports/AgedReceivablesByContact", params={"contactId": contact_id})
    walk.call("GET", "/Reports/AgedPayablesByContact", params={"contactId": contact_id})


def test_every_required_endpoint_answers_within_xeros_spec(tenant: Tenant) -> None:
    # Given a connected organisation, and a walk that calls every endpoint with valid input
    walk = Walk(tenant.api)
    # When the walk runs
    _reference_data(walk)
    contact_id = _contacts(walk)
    _documents(walk, contact_id)
    _reports(walk, contact_id)
    # Then every required endpoint answered 2xx (the strict fixture checked each answer against the spec)
    assert REQUIRED_ENDPOINTS - walk.answered == set()
