"""Payments against invoices, bills and credit notes: created, listed, read and deleted, never edited.

Routes: PUT /Payments creates a batch (summarizeErrors), POST /Payments creates (FACTS.md §4.1),
GET /Payments lists (where, order, If-Modified-Since, page/pageSize), GET /Payments/{PaymentID},
and POST /Payments/{PaymentID} deletes with Status DELETED, as the spec's PaymentDelete body
`{"Status": "DELETED"}` or as documented `{"Payments": [{"Status": "DELETED"}]}` (FACTS.md §4.8).

Rules (FACTS.md §4.8, §4.7):
- The document is an Invoice (InvoiceID or InvoiceNumber) or a CreditNote (CreditNoteID or
  CreditNoteNumber; a payment on a credit note is a refund). It must be AUTHORISED, and the Amount
  (> 0, at most 2 decimal places) at most what is outstanding; documents.py applies the payment:
  AmountDue/AmountPaid (RemainingCredit on a credit note), AUTHORISED -> PAID with FullyPaidOnDate,
  and the INVOICE (or CREDITNOTE) UPDATE webhook event. Payments themselves have no webhooks (§2.4).
- The Account (Code or AccountID) must be ACTIVE and either a BANK account or one with
  EnablePaymentsToAccount=true: "Account type is invalid for making a payment to/from".
- Date is required and must be after the organisation's lock dates.
- PaymentType follows the document's Type; Status is AUTHORISED; CurrencyRate is 1 unless the
  document is in a foreign currency.
- "Payments cannot be modified, only created and deleted": a POST to a payment with anything but
  Status DELETED is refused. Deleting restores the document (PAID -> AUTHORISED); a DELETED payment
  cannot be deleted again, nor a reconciled one, nor one dated within a locked period.
- As the spec's examples show, a payment answers with its document under `Invoice`, a credit note
  included (Type ACCRECCREDIT / ACCPAYCREDIT, its id and number as InvoiceID / InvoiceNumber).
- Every refusal of one element is listed at once, as Xero lists them (batch.Refusals). A bill number
  that several bills share identifies none of them (which one Xero would pay is NOT FOUND).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from xero_simulator.accounting.batch import ElementError, Refusals, write_batch
from xero_simulator.accounting.document_views import present
from xero_simulator.accounting.documents import (
    CREDIT_NOTE,
    INVOICE,
    DocumentKind,
    check_lock_dates,
    check_payable,
    kind_of,
    outstanding,
    record_payment,
    remove_payment,
    touch,
)
from xero_simulator.accounting.querying import ListRules, list_records
from xero_simulator.accounting.references import resolve_account
from xero_simulator.accounting.totals import CENT, ZERO, LineError, amount_of, money
from xero_simulator.errors import found
from xero_simulator.msjson import parse_date
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily
from xero_simulator.world import new_id

COLLECTION = "Payments"
PAYMENT_TYPES = {
    "ACCREC": "ACCRECPAYMENT",
    "ACCPAY": "ACCPAYPAYMENT",
    "ACCRECCREDIT": "ARCREDITPAYMENT",
    "ACCPAYCREDIT": "APCREDITPAYMENT",
}

NOT_MODIFIABLE = "Payments cannot be modified, only created and deleted"  # FACTS.md §4.8 [SECONDARY]
# Xero's answer to a payment whose Invoice names nothing (a real response quoted in XeroAPI/xero-ruby#56).
NO_DOCUMENT = "You must specify an Invoice ID or Invoice Number for the payment"
# Xero's words as integrators match them (third-party code); the rule is OAS-ACC Account.EnablePaymentsToAccount.
ACCOUNT_INVALID = "Account type is invalid for making a payment to/from"
RECONCILED = "This payment has been reconciled and cannot be deleted"  # as integrators match it [SECONDARY]
ALREADY_DELETED = "This payment has already been deleted"  # Xero's wording NOT FOUND
ID_NOT_FOUND = "The document with the supplied id was not found for this endpoint."  # OAS-ACC examples
NOT_MODELLED = "Payments on prepayments and overpayments are not supported by this simulator"

LIST_RULES = ListRules(id_field="PaymentID", status_field="Status", pageable=True)


# --- reading ----------------------------------------------------------------------------------


def _document_of(req: ApiRequest, payment: dict[str, Any]) -> dict[str, Any]:
    return req.org.records(payment["_document_collection"])[payment["_document_id"]]


def _document_summary(req: ApiRequest, document: dict[str, Any]) -> dict[str, Any]:
    """The paid document as a payment shows it, always under `Invoice` (OAS-ACC Payments examples)."""
    kind = kind_of(document)
    paid = sum((p["Amount"] for p in document.get("Payments") or []), ZERO)
    contact = present(req, document)["Contact"]  # with the contact's current name
    return {
        "Type": document["Type"],
        "InvoiceID": document[kind.id_field],
        "InvoiceNumber": document.get(kind.number_field) or "",
        "Reference": document.get("Reference") or "",
        "Status": document["Status"],
        "Contact": {"ContactID": contact.get("ContactID"), "Name": contact.get("Name")},
        "Date": document.get("Date"),
        "DueDate": document.get("DueDate"),
        "Total": document.get("Total"),
        "AmountDue": outstanding(document),
        "AmountPaid": document.get("AmountPaid", paid) if kind is INVOICE else paid,
        "CurrencyCode": document.get("CurrencyCode"),
        "CurrencyRate": document.get("CurrencyRate"),
        "FullyPaidOnDate": document.get("FullyPaidOnDate"),
        "LineItems": [],
    }


def payment_view(req: ApiRequest, payment: dict[str, Any]) -> dict[str, Any]:
    """A stored payment as Xero answers it: with its document's current state under `Invoice`."""
    return {**payment, "Invoice": _document_summary(req, _document_of(req, payment))}


def _stored(req: ApiRequest) -> dict[str, Any]:
    payment = found(req.org.records(COLLECTION).get(req.path_params["PaymentID"].strip().lower()))
    return payment


@accounting.route("GET", "/Payments", ScopeFamily.PAYMENTS)
def list_payments(req: ApiRequest) -> dict[str, Any]:
    """GET /Payments: every payment (deleted ones included, with Status DELETED), filtered and paged."""
    views = [payment_view(req, p) for p in req.org.records(COLLECTION).values()]
    found, pagination = list_records(req, views, LIST_RULES)
    payload: dict[str, Any] = {COLLECTION: found}
    if pagination is not None:
        payload["pagination"] = pagination
    return payload


@accounting.route("GET", "/Payments/{PaymentID}", ScopeFamily.PAYMENTS)
def get_payment(req: ApiRequest) -> dict[str, Any]:
    """GET /Payments/{PaymentID}: one payment, or 404."""
    return {COLLECTION: [payment_view(req, _stored(req))]}


# --- creating ---------------------------------------------------------------------------------


@accounting.route("PUT", "/Payments", ScopeFamily.PAYMENTS)
def create_payments(req: ApiRequest) -> dict[str, Any]:
    """PUT /Payments: create each element; summarizeErrors decides how refusals are answered."""
    return write_batch(req, COLLECTION, _create)


@accounting.route("POST", "/Payments", ScopeFamily.PAYMENTS)
def create_payment(req: ApiRequest) -> dict[str, Any]:
    """POST /Payments: create a payment, sent bare (the spec's schema) or wrapped in Payments (its example)."""
    return write_batch(req, COLLECTION, _create)


def _create(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    """Validate one payment in full, then store it and apply it to its document."""
    _check_new(req, element)
    refusals = Refusals()
    document = refusals.check(_document, req, element)
    account = refusals.check(_account, req, element)
    day = refusals.check(_date, req, element)
    amount = refusals.check(_amount, element)
    if document is not None and amount is not None:
        refusals.check(check_payable, document, amount)
    if refusals.messages or document is None or account is None or day is None or amount is None:
        raise ElementError(*refusals.messages)

    rate = _currency_rate(req, element, document)
    bank_currency = account.get("CurrencyCode") or req.org.base_currency
    same_currency = bank_currency == (document.get("CurrencyCode") or req.org.base_currency)
    kind = kind_of(document)
    payment: dict[str, Any] = {
        "PaymentID": new_id(),
        "Date": day,
        "BankAmount": amount if same_currency else money(amount / rate),
        "Amount": amount,
        "Reference": str(element.get("Reference") or ""),
        "CurrencyRate": rate,
        "PaymentType": PAYMENT_TYPES[document["Type"]],
        "Status": "AUTHORISED",
        "HasAccount": True,
        "IsReconciled": bool(element.get("IsReconciled", False)),
        "Account": {"AccountID": account["AccountID"], "Code": account.get("Code"), "Name": account["Name"]},
        "HasValidationErrors": False,
        "_document_collection": kind.collection,
        "_document_id": document[kind.id_field],
    }
    touch(payment, req.now)
    req.org.records(COLLECTION)[payment["PaymentID"]] = payment
    # The document lists the payment as Xero shows it inside an invoice (OAS-ACC Invoice.Payments).
    summary = {
        "PaymentID": payment["PaymentID"],
        "Date": day,
        "Amount": amount,
        "Reference": payment["Reference"],
        "CurrencyRate": rate,
        "HasAccount": False,
        "HasValidationErrors": False,
    }
    record_payment(req.org, document, summary, req.now)
    return payment_view(req, payment)


def _check_new(req: ApiRequest, element: dict[str, Any]) -> None:
    if element.get("Status") not in (None, "AUTHORISED"):
        raise ElementError(f"A payment cannot be created with Status {element['Status']}")
    payment_id = str(element.get("PaymentID") or "").strip().lower()
    if payment_id:
        # An existing payment cannot be changed; an unknown id cannot be chosen by the client.
        raise ElementError(NOT_MODIFIABLE if payment_id in req.org.records(COLLECTION) else ID_NOT_FOUND)
    if element.get("Prepayment") or element.get("Overpayment"):
        raise ElementError(NOT_MODELLED)


def _document(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    """The invoice or credit note the payment settles, by id or number.

    The top-level InvoiceNumber / CreditNoteNumber (OAS-ACC Payment) count only when no Invoice or
    CreditNote object is sent: Xero refused a payment whose Invoice object named nothing even though
    it carried a top-level InvoiceNumber (XeroAPI/xero-ruby#56).
    """
    invoice, credit_note = element.get("Invoice"), element.get("CreditNote")
    if invoice is not None and credit_note is not None:
        raise ElementError("A payment can be made against an Invoice or a CreditNote, not both")
    if credit_note is not None:
        return _find(req, CREDIT_NOTE, credit_note)
    if invoice is not None:
        return _find(req, INVOICE, invoice)
    if element.get("CreditNoteNumber"):
        return _find(req, CREDIT_NOTE, {"CreditNoteNumber": element["CreditNoteNumber"]})
    if element.get("InvoiceNumber"):
        return _find(req, INVOICE, {"InvoiceNumber": element["InvoiceNumber"]})
    raise ElementError(NO_DOCUMENT)


def _find(req: ApiRequest, kind: DocumentKind, ref: Any) -> dict[str, Any]:
    ref = ref if isinstance(ref, dict) else {}
    records = req.org.records(kind.collection)
    document_id = str(ref.get(kind.id_field) or "").strip().lower()
    number = str(ref.get(kind.number_field) or "").strip()
    if document_id:
        found = records.get(document_id)
        if found is None:
            raise ElementError(f"{kind.noun} could not be found")
        return found
    if not number:
        raise ElementError(
            NO_DOCUMENT if kind is INVOICE else "You must specify a Credit Note ID or Credit Note Number"
        )
    matches = [r for r in records.values() if (r.get(kind.number_field) or "").strip().lower() == number.lower()]
    if not matches:
        raise ElementError(f"{kind.noun} could not be found")
    if len(matches) > 1:
        # Bill numbers need not be unique (FACTS.md §4.7); which one Xero would pay is NOT FOUND.
        raise ElementError(f"More than one {kind.noun} has the number {number}: identify it by {kind.id_field}")
    return matches[0]


def _account(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    ref = element.get("Account")
    if not isinstance(ref, dict):
        ref = {}
    code = ref.get("Code") or element.get("Code")  # OAS-ACC Payment.Code: the account's code, top level
    account = resolve_account(req, code=code, account_id=ref.get("AccountID"))
    if account["Type"] != "BANK" and not account.get("EnablePaymentsToAccount"):
        raise ElementError(ACCOUNT_INVALID)
    return account


def _date(req: ApiRequest, element: dict[str, Any]) -> date:
    if not element.get("Date"):
        raise ElementError("A payment must have a Date")  # Xero's wording NOT FOUND
    try:
        day = parse_date(element["Date"])
    except ValueError as bad:
        raise ElementError(str(bad)) from bad
    check_lock_dates(req.org, day)
    return day


def _amount(element: dict[str, Any]) -> Decimal:
    try:
        amount = amount_of(element.get("Amount"), "Amount")
    except LineError as bad:
        raise ElementError(str(bad)) from bad
    if amount is None or amount <= ZERO:
        raise ElementError("Payment amount must be greater than zero")  # Xero's wording NOT FOUND
    if amount != amount.quantize(CENT):
        # Money has cents only; Xero's handling of sub-cent amounts is NOT FOUND, so they are refused.
        raise ElementError("Payment amount cannot have more than 2 decimal places")
    return amount


def _currency_rate(req: ApiRequest, element: dict[str, Any], document: dict[str, Any]) -> Decimal:
    """1 for a base-currency document; else the rate sent, or the document's own (OAS-ACC Payment.CurrencyRate)."""
    if (document.get("CurrencyCode") or req.org.base_currency) == req.org.base_currency:
        return Decimal(1)
    try:
        rate = amount_of(element.get("CurrencyRate"), "CurrencyRate")
    except LineError:
        rate = None
    if rate is None or rate <= ZERO:
        rate = document.get("CurrencyRate") or Decimal(1)
    return Decimal(rate)


# --- deleting ---------------------------------------------------------------------------------


@accounting.route("POST", "/Payments/{PaymentID}", ScopeFamily.PAYMENTS)
def delete_payment(req: ApiRequest) -> dict[str, Any]:
    """POST /Payments/{PaymentID} with Status DELETED: delete the payment and restore its document."""
    payment = _stored(req)
    return write_batch(req, COLLECTION, lambda req, element: _delete(req, payment, element))


def _delete(req: ApiRequest, payment: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    given_id = str(element.get("PaymentID") or payment["PaymentID"]).strip().lower()
    if given_id != payment["PaymentID"]:
        raise ElementError(ID_NOT_FOUND)
    if set(element) - {"Status", "PaymentID"} or element.get("Status") != "DELETED":
        raise ElementError(NOT_MODIFIABLE)
    if payment["Status"] == "DELETED":
        raise ElementError(ALREADY_DELETED)
    if payment["IsReconciled"]:
        raise ElementError(RECONCILED)
    check_lock_dates(req.org, payment["Date"])
    remove_payment(req.org, _document_of(req, payment), payment["PaymentID"], req.now)
    payment["Status"] = "DELETED"
    touch(payment, req.now)
    return payment_view(req, payment)
