"""Request bodies and calls shared by the invoice, credit note and allocation tests.

Bodies are what a client would send; the defaults are valid AU documents (account 200 Sales with
GST on Income 10% for sales, 429 General Expenses with GST on Expenses 10% for purchases).
"""

from __future__ import annotations

from typing import Any

import httpx

DUE = "2031-01-31"


def line(**fields: Any) -> dict[str, Any]:
    return {"Description": "Consulting", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200", **fields}


def sales_invoice(**fields: Any) -> dict[str, Any]:
    return {"Type": "ACCREC", "Contact": {"Name": "Acme Pty Ltd"}, "DueDate": DUE, "LineItems": [line()], **fields}


def bill(**fields: Any) -> dict[str, Any]:
    return {
        "Type": "ACCPAY",
        "Contact": {"Name": "Office Supplies Co"},
        "DueDate": DUE,
        "LineItems": [line(AccountCode="429")],
        **fields,
    }


def sales_credit_note(**fields: Any) -> dict[str, Any]:
    return {
        "Type": "ACCRECCREDIT",
        "Contact": {"Name": "Acme Pty Ltd"},
        "LineItems": [line(UnitAmount=10)],
        **fields,
    }


def messages(answer: httpx.Response, element: int = 0) -> list[str]:
    """The ValidationErrors of one element of a 400 ValidationException or a summarizeErrors=false answer."""
    body = answer.json()
    elements = body.get("Elements") or next(v for k, v in body.items() if isinstance(v, list) and k != "Warnings")
    return [e["Message"] for e in elements[element].get("ValidationErrors", [])]


def put_invoice(api: httpx.Client, body: dict[str, Any], **params: Any) -> dict[str, Any]:
    """PUT one invoice that must be accepted; returns it as Xero answered it."""
    answer = api.put("/Invoices", json={"Invoices": [body]}, params=params)
    assert answer.status_code == 200, answer.text
    invoice: dict[str, Any] = answer.json()["Invoices"][0]
    return invoice


def post_invoice(api: httpx.Client, invoice_id: str, changes: dict[str, Any], **params: Any) -> httpx.Response:
    return api.post(f"/Invoices/{invoice_id}", json={"Invoices": [changes]}, params=params)


def get_invoice(api: httpx.Client, key: str, **params: Any) -> dict[str, Any]:
    answer = api.get(f"/Invoices/{key}", params=params)
    assert answer.status_code == 200, answer.text
    invoice: dict[str, Any] = answer.json()["Invoices"][0]
    return invoice


def put_credit_note(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    answer = api.put("/CreditNotes", json={"CreditNotes": [body]})
    assert answer.status_code == 200, answer.text
    credit_note: dict[str, Any] = answer.json()["CreditNotes"][0]
    return credit_note


def get_credit_note(api: httpx.Client, key: str) -> dict[str, Any]:
    answer = api.get(f"/CreditNotes/{key}")
    assert answer.status_code == 200, answer.text
    credit_note: dict[str, Any] = answer.json()["CreditNotes"][0]
    return credit_note


def allocate(
    api: httpx.Client, credit_note_id: str, invoice_id: str, amount: float, on: str = "2030-06-01", **params: Any
) -> httpx.Response:
    body = {"Allocations": [{"Invoice": {"InvoiceID": invoice_id}, "Amount": amount, "Date": on}]}
    return api.put(f"/CreditNotes/{credit_note_id}/Allocations", json=body, params=params)
