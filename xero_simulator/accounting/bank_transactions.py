"""Bank transactions: money spent (SPEND) or received (RECEIVE) straight through a bank account.

Routes: PUT /BankTransactions creates, POST /BankTransactions creates or updates, POST
/BankTransactions/{BankTransactionID} updates one, GET lists (paged, with line items only when
paged) and GET by id. Rules (FACTS.md §4.11, OAS-ACC `BankTransaction`):

- Type RECEIVE or SPEND. RECEIVE-TRANSFER and SPEND-TRANSFER exist only as the two sides of a
  bank transfer (POST /BankTransfers), so they are refused here; the overpayment and prepayment
  types are refused because the simulator does not model overpayments and prepayments.
- BankAccount (Code or AccountID) must be an ACTIVE account of Type BANK; the Contact is resolved
  as on invoices (created from its Name when new); LineItems are required and figured with the
  same rules and arithmetic as invoices (line_items.py, totals.py); discounts are refused
  (OAS-ACC `LineItem`: discounts only on sales invoices and quotes).
- Created AUTHORISED. The only status change is AUTHORISED -> DELETED (POST with Status DELETED);
  VOIDED is refused, as is any change to a DELETED transaction.
- A reconciled transaction cannot be edited or deleted: "This Bank Transaction cannot be edited as
  it has been reconciled with a Bank Statement." (Xero's words, seen in integrators' logs).
- Dates on or before the organisation's lock dates are refused, as for invoices (documents.py).
- The request schema makes Type, LineItems and BankAccount required on every element, updates
  included, and an update replaces all line items (FACTS.md §4.7, as update-bank-transaction does).
- No webhooks: Xero has none for bank transactions (FACTS.md §2.4).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from xero_simulator.accounting.batch import ElementError, Refusals, write_batch
from xero_simulator.accounting.document_writes import CONTACT_REQUIRED, LINES_REQUIRED
from xero_simulator.accounting.documents import check_lock_dates, org_today
from xero_simulator.accounting.line_items import LineRules, build_lines
from xero_simulator.accounting.querying import ListRules, list_records
from xero_simulator.accounting.references import find_contact, resolve_account, resolve_contact
from xero_simulator.accounting.totals import (
    DocumentTotals,
    LineAmountTypes,
    LineError,
    amount_of,
    rounded,
    unit_places,
)
from xero_simulator.errors import found
from xero_simulator.msjson import date_string, parse_date
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily
from xero_simulator.world import new_id

COLLECTION = "BankTransactions"
MODELLED_TYPES = frozenset({"RECEIVE", "SPEND"})
TRANSFER_TYPES = frozenset({"RECEIVE-TRANSFER", "SPEND-TRANSFER"})

RECONCILED = "This Bank Transaction cannot be edited as it has been reconciled with a Bank Statement."
# Modelled on Xero's invoice wording "Invoice not of valid status for modification" (FACTS.md §4.7);
# the bank-transaction wording was NOT FOUND.
NOT_MODIFIABLE = "Bank Transaction not of valid status for modification"
ID_NOT_FOUND = "The document with the supplied id was not found for this endpoint."  # OAS-ACC examples

LIST_RULES = ListRules(id_field="BankTransactionID", status_field="Status", pageable=True)


# --- reading ----------------------------------------------------------------------------------


def bank_transaction_view(req: ApiRequest, record: dict[str, Any]) -> dict[str, Any]:
    """A stored transaction as this call sees it: the contact's current name, DateString beside Date,
    and UnitAmount to 2 decimal places unless the call asks for unitdp=4 (FACTS.md §4.6)."""
    unit_dp = _unit_dp(req)
    lines = [{**line, "UnitAmount": rounded(line["UnitAmount"], unit_dp)} for line in record["LineItems"]]
    contact = req.org.records("Contacts").get(record["Contact"]["ContactID"]) or record["Contact"]
    return {
        **record,
        "Contact": {"ContactID": contact["ContactID"], "Name": contact.get("Name")},
        "DateString": date_string(record["Date"]),
        "LineItems": lines,
    }


def _unit_dp(req: ApiRequest) -> int:
    return unit_places(req.int_param("unitdp"))


def _stored(req: ApiRequest, transaction_id: str) -> dict[str, Any]:
    record = found(req.org.records(COLLECTION).get(transaction_id.strip().lower()))
    return record


@accounting.route("GET", "/BankTransactions", ScopeFamily.BANKTRANSACTIONS)
def list_bank_transactions(req: ApiRequest) -> dict[str, Any]:
    """GET /BankTransactions: where, order, If-Modified-Since, page/pageSize; line items only on paged lists."""
    views = [bank_transaction_view(req, r) for r in req.org.records(COLLECTION).values()]
    found, pagination = list_records(req, views, LIST_RULES)
    if pagination is None:
        # Line items come only with paged lists (OAS-ACC `page`); the schema requires the field, so
        # an unpaged list answers it empty, as the spec's list example shows it.
        return {COLLECTION: [{**view, "LineItems": []} for view in found]}
    return {COLLECTION: found, "pagination": pagination}


@accounting.route("GET", "/BankTransactions/{BankTransactionID}", ScopeFamily.BANKTRANSACTIONS)
def get_bank_transaction(req: ApiRequest) -> dict[str, Any]:
    """GET /BankTransactions/{BankTransactionID}: one transaction with its line items, or 404."""
    record = _stored(req, req.path_params["BankTransactionID"])
    return {COLLECTION: [bank_transaction_view(req, record)]}


# --- writing ----------------------------------------------------------------------------------


@accounting.route("PUT", "/BankTransactions", ScopeFamily.BANKTRANSACTIONS)
def create_bank_transactions(req: ApiRequest) -> dict[str, Any]:
    """PUT /BankTransactions: create each element (PUT never updates, FACTS.md §4.1)."""
    return write_batch(req, COLLECTION, _create_only)


@accounting.route("POST", "/BankTransactions", ScopeFamily.BANKTRANSACTIONS)
def create_or_update_bank_transactions(req: ApiRequest) -> dict[str, Any]:
    """POST /BankTransactions: update the elements that carry a BankTransactionID, create the others."""
    return write_batch(req, COLLECTION, _create_or_update)


@accounting.route("POST", "/BankTransactions/{BankTransactionID}", ScopeFamily.BANKTRANSACTIONS)
def update_bank_transaction(req: ApiRequest) -> dict[str, Any]:
    """POST /BankTransactions/{BankTransactionID}: update (or delete) the transaction the path names."""
    record = _stored(req, req.path_params["BankTransactionID"])

    def save(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
        given = str(element.get("BankTransactionID") or record["BankTransactionID"]).strip().lower()
        if given != record["BankTransactionID"]:
            raise ElementError(ID_NOT_FOUND)
        return _update(req, record, element)

    return write_batch(req, COLLECTION, save)


def _create_only(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    if element.get("BankTransactionID"):
        # PUT is create-only: a client that sends an id expects an update it will not get.
        raise ElementError(ID_NOT_FOUND)
    return _create(req, element)


def _create_or_update(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    transaction_id = str(element.get("BankTransactionID") or "").strip().lower()
    if not transaction_id:
        return _create(req, element)
    record = req.org.records(COLLECTION).get(transaction_id)
    if record is None:
        raise ElementError(ID_NOT_FOUND)
    return _update(req, record, element)


def _create(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    status = element.get("Status") or "AUTHORISED"
    if status != "AUTHORISED":
        raise ElementError(f"A bank transaction cannot be created with Status {status}")
    fields = _validated(req, element, previous=None)
    record = {
        "BankTransactionID": new_id(),
        "Status": "AUTHORISED",
        "HasAttachments": False,
        "IsReconciled": bool(element.get("IsReconciled", False)),
        **fields,
        "UpdatedDateUTC": req.now,
    }
    req.org.records(COLLECTION)[record["BankTransactionID"]] = record
    return bank_transaction_view(req, record)


def _update(req: ApiRequest, record: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    if record["Status"] != "AUTHORISED":
        raise ElementError(NOT_MODIFIABLE)
    if record["IsReconciled"]:
        raise ElementError(RECONCILED)
    status = element.get("Status") or record["Status"]
    if status == "DELETED":
        # Deleting changes nothing but the status, so the rest of the element is not re-validated.
        check_lock_dates(req.org, record["Date"])
        record["Status"] = "DELETED"
    elif status == "AUTHORISED":
        check_lock_dates(req.org, record["Date"])
        fields = _validated(req, element, previous=record)
        record.update(fields)
        if "IsReconciled" in element:
            record["IsReconciled"] = bool(element["IsReconciled"])
    else:
        raise ElementError(NOT_MODIFIABLE)
    record["UpdatedDateUTC"] = req.now
    return bank_transaction_view(req, record)


def _validated(req: ApiRequest, element: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """Every field of a new or updated transaction, checked in full before anything is stored.

    All refusals are collected and raised together; the contact is resolved only once everything
    passed, because resolving a new Name creates a contact.
    """
    refusals = Refusals()
    kind = refusals.check(_type, element.get("Type"))
    bank = refusals.check(_bank_account, req, element.get("BankAccount"))
    day = refusals.check(_date, req, element, previous)
    currency = refusals.check(_currency, req, element, bank) if bank is not None else None
    foreign = currency is not None and currency != req.org.base_currency
    rate = refusals.check(_rate, element, previous) if foreign else Decimal(1)
    amount_types = LineAmountTypes(element.get("LineAmountTypes") or LineAmountTypes.EXCLUSIVE)
    # Bank transactions post at once, so every line with an amount needs an account; no discounts.
    rules = LineRules(amount_types, unit_dp=_unit_dp(req), accounts_required=True, sales=kind == "RECEIVE")
    built = refusals.check(_lines, req, element.get("LineItems"), rules, previous)
    contact_ref = element.get("Contact")
    if contact_ref is not None or previous is None:
        refusals.check(_contact_given, req, contact_ref)
    if refusals.messages or not (kind and bank and day and currency and rate and built):
        raise ElementError(*refusals.messages)

    lines, totals = built
    if contact_ref is None and previous is not None:
        contact = previous["Contact"]
    else:
        found = resolve_contact(req, contact_ref)
        contact = {"ContactID": found["ContactID"], "Name": found["Name"]}
    return {
        "Type": kind,
        "Contact": contact,
        "BankAccount": {"AccountID": bank["AccountID"], "Code": bank.get("Code"), "Name": bank["Name"]},
        "Date": day,
        "Reference": _text(element, "Reference", previous),
        "Url": _text(element, "Url", previous) or None,
        "CurrencyCode": currency,
        # Only foreign-currency transactions carry a rate other than 1 (OAS-ACC CurrencyRate).
        "CurrencyRate": rate,
        "LineAmountTypes": str(amount_types),
        "LineItems": lines,
        "SubTotal": totals.sub_total,
        "TotalTax": totals.total_tax,
        "Total": totals.total,
    }


def _lines(
    req: ApiRequest, submitted: Any, rules: LineRules, previous: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], DocumentTotals]:
    if not isinstance(submitted, list) or not submitted:
        raise ElementError(LINES_REQUIRED)
    return build_lines(req, submitted, rules, (previous or {}).get("LineItems"))


def _contact_given(req: ApiRequest, ref: Any) -> None:
    if ref is None:
        raise ElementError(CONTACT_REQUIRED)
    find_contact(req, ref)  # refuses an unusable reference without creating anything


def _type(kind: Any) -> str:
    if kind in TRANSFER_TYPES:
        raise ElementError(f"Bank transactions of type {kind} can only be created by a bank transfer (BankTransfers)")
    if kind not in MODELLED_TYPES:
        # RECEIVE/SPEND-OVERPAYMENT and -PREPAYMENT: the simulator does not model overpayments or prepayments.
        raise ElementError(f"Bank transactions of type {kind} are not supported by this simulator")
    return str(kind)


def _bank_account(req: ApiRequest, ref: Any) -> dict[str, Any]:
    ref = ref if isinstance(ref, dict) else {}
    account = resolve_account(req, code=ref.get("Code"), account_id=ref.get("AccountID"))
    if account["Type"] != "BANK":
        raise ElementError(f"The account '{account.get('Code') or account['Name']}' is not a bank account")
    return account


def _date(req: ApiRequest, element: dict[str, Any], previous: dict[str, Any] | None) -> date:
    if element.get("Date") is None:
        day: date = previous["Date"] if previous is not None else org_today(req.org, req.now)
    else:
        try:
            day = parse_date(element["Date"])
        except ValueError as bad:
            raise ElementError(str(bad)) from bad
    check_lock_dates(req.org, day)
    return day


def _currency(req: ApiRequest, element: dict[str, Any], bank: dict[str, Any]) -> str:
    """A bank transaction is in its bank account's currency; naming another one is refused."""
    account_currency = str(bank.get("CurrencyCode") or req.org.base_currency)
    given = element.get("CurrencyCode")
    if given and str(given).upper() != account_currency:
        raise ElementError(f"The currency {given} does not match the currency of the bank account ({account_currency})")
    return account_currency


def _rate(element: dict[str, Any], previous: dict[str, Any] | None) -> Decimal:
    try:
        rate = amount_of(element.get("CurrencyRate"), "CurrencyRate")
    except LineError as bad:
        raise ElementError(str(bad)) from bad
    if rate is None:
        return Decimal(previous["CurrencyRate"]) if previous is not None else Decimal(1)
    if rate <= 0:
        raise ElementError("CurrencyRate must be greater than zero")
    return rate


def _text(element: dict[str, Any], field: str, previous: dict[str, Any] | None) -> str:
    if field in element:
        return str(element[field] or "")
    return str((previous or {}).get(field) or "")
