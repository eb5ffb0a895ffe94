"""Xero-shaped records seeded straight into an organisation, for ledger and report tests.

Shapes follow the spec's schemas as the simulator stores them: Decimal amounts, `date` dates.
Lines are (account code, net amount, tax amount); documents are tax-exclusive unless told otherwise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from xero_simulator.world import Organisation, new_id


def account(org: Organisation, code: str) -> dict[str, Any]:
    return next(a for a in org.records("Accounts").values() if a["Code"] == code)


def contact(org: Organisation, name: str) -> dict[str, Any]:
    record = {"ContactID": new_id(), "Name": name, "ContactStatus": "ACTIVE"}
    org.records("Contacts")[record["ContactID"]] = record
    return record


def _lines(lines: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    return [
        {"LineItemID": new_id(), "AccountCode": code, "LineAmount": Decimal(net), "TaxAmount": Decimal(tax)}
        for code, net, tax in lines
    ]


def _totals(lines: list[dict[str, Any]], amount_types: str) -> dict[str, Decimal]:
    line_total = sum((line["LineAmount"] for line in lines), Decimal("0"))
    tax = sum((line["TaxAmount"] for line in lines), Decimal("0"))
    if amount_types == "Inclusive":
        return {"SubTotal": line_total - tax, "TotalTax": tax, "Total": line_total}
    return {"SubTotal": line_total, "TotalTax": tax, "Total": line_total + tax}


def invoice(
    org: Organisation,
    lines: list[tuple[str, str, str]],
    *,
    kind: str = "ACCREC",
    status: str = "AUTHORISED",
    on: date = date(2024, 3, 5),
    due: date | None = None,
    customer: dict[str, Any] | None = None,
    amount_types: str = "Exclusive",
) -> dict[str, Any]:
    items = _lines(lines)
    figures = _totals(items, amount_types)
    who = customer or {"ContactID": new_id(), "Name": "Walk-in Customer"}
    record: dict[str, Any] = {
        "InvoiceID": new_id(),
        "Type": kind,
        "Status": status,
        "InvoiceNumber": org.next_number("INV"),
        "Contact": {"ContactID": who["ContactID"], "Name": who["Name"]},
        "Date": on,
        "DueDate": due or on,
        "LineAmountTypes": amount_types,
        "LineItems": items,
        **figures,
        "AmountDue": figures["Total"],
        "AmountPaid": Decimal("0"),
        "AmountCredited": Decimal("0"),
    }
    org.records("Invoices")[record["InvoiceID"]] = record
    return record


def credit_note(
    org: Organisation,
    lines: list[tuple[str, str, str]],
    *,
    kind: str = "ACCRECCREDIT",
    status: str = "AUTHORISED",
    on: date = date(2024, 3, 10),
    customer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    items = _lines(lines)
    figures = _totals(items, "Exclusive")
    who = customer or {"ContactID": new_id(), "Name": "Walk-in Customer"}
    record: dict[str, Any] = {
        "CreditNoteID": new_id(),
        "Type": kind,
        "Status": status,
        "CreditNoteNumber": org.next_number("CN"),
        "Contact": {"ContactID": who["ContactID"], "Name": who["Name"]},
        "Date": on,
        "LineAmountTypes": "Exclusive",
        "LineItems": items,
        **figures,
        "RemainingCredit": figures["Total"],
        "Allocations": [],
    }
    org.records("CreditNotes")[record["CreditNoteID"]] = record
    return record


def payment(
    org: Organisation,
    document: dict[str, Any],
    amount: str,
    *,
    on: date = date(2024, 3, 20),
    bank_code: str = "090",
    status: str = "AUTHORISED",
) -> dict[str, Any]:
    bank = account(org, bank_code)
    if "InvoiceID" in document:
        target = {"Invoice": {"InvoiceID": document["InvoiceID"]}}
        kind = "ACCRECPAYMENT" if document["Type"] == "ACCREC" else "ACCPAYPAYMENT"
    else:
        target = {"CreditNote": {"CreditNoteID": document["CreditNoteID"]}}
        kind = "ARCREDITPAYMENT" if document["Type"] == "ACCRECCREDIT" else "APCREDITPAYMENT"
    record: dict[str, Any] = {
        "PaymentID": new_id(),
        **target,
        "Account": {"AccountID": bank["AccountID"], "Code": bank_code},
        "Amount": Decimal(amount),
        "Date": on,
        "Status": status,
        "PaymentType": kind,
    }
    org.records("Payments")[record["PaymentID"]] = record
    if status != "DELETED":  # the document lists its live payments, as Xero shows them (OAS-ACC Invoice.Payments)
        document.setdefault("Payments", []).append(
            {"PaymentID": record["PaymentID"], "Date": on, "Amount": record["Amount"]}
        )
    return record


def allocate(note: dict[str, Any], to: dict[str, Any], amount: str, *, on: date = date(2024, 3, 12)) -> None:
    note["Allocations"].append(
        {"AllocationID": new_id(), "Invoice": {"InvoiceID": to["InvoiceID"]}, "Amount": Decimal(amount), "Date": on}
    )


def bank_transaction(
    org: Organisation,
    lines: list[tuple[str, str, str]],
    *,
    kind: str = "RECEIVE",
    status: str = "AUTHORISED",
    on: date = date(2024, 3, 15),
    bank_code: str = "090",
) -> dict[str, Any]:
    items = _lines(lines)
    bank = account(org, bank_code)
    record: dict[str, Any] = {
        "BankTransactionID": new_id(),
        "Type": kind,
        "Status": status,
        "BankAccount": {"AccountID": bank["AccountID"], "Code": bank_code},
        "Date": on,
        "LineAmountTypes": "Exclusive",
        "LineItems": items,
        **_totals(items, "Exclusive"),
    }
    org.records("BankTransactions")[record["BankTransactionID"]] = record
    return record


def two_financial_years(org: Organisation) -> None:
    """AU years end on 30 June: a paid 1000 sale in FY2023; 5000 owner's funds, a 500 sale, a 200 bill in FY2024."""
    earlier = invoice(org, [("200", "1000.00", "100.00")], on=date(2023, 5, 10))
    payment(org, earlier, "1100.00", on=date(2023, 6, 1))
    bank_transaction(org, [("970", "5000.00", "0.00")], on=date(2024, 1, 15))
    invoice(org, [("200", "500.00", "50.00")], on=date(2024, 3, 5))
    invoice(org, [("469", "200.00", "20.00")], kind="ACCPAY", on=date(2024, 3, 10))
