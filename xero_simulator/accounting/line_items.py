"""A document's LineItems as Xero stores them: resolved accounts, tax, tracking, items, and figures.

`build_lines(req, submitted, rules, existing)` turns the LineItems of one request element into
stored lines and the document's totals, raising ElementError (Xero's words) without changing
anything. Invoices and credit notes use it; bank transactions can too.

Update semantics (FACTS.md §4.7): the lines sent replace the document's lines. A line sent with
the LineItemID of an existing line keeps that line: the fields it sends override the stored ones
and the rest are kept. Lines not sent are removed; lines without a LineItemID are new and get one.

Per line: an ItemCode fills in what the line omits from the item's SalesDetails or
PurchaseDetails; the account is resolved by AccountCode or AccountID; the TaxType defaults to the
account's TaxType and must be allowed on the account; the rate's EffectiveRate computes TaxAmount
unless the client overrides it (totals.py). On a document that posts (not DRAFT), a line with an
amount must name an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xero_simulator.accounting.batch import ElementError
from xero_simulator.accounting.references import resolve_account, resolve_tax_rate, resolve_tracking
from xero_simulator.accounting.totals import (
    ZERO,
    DocumentTotals,
    LineAmountTypes,
    LineError,
    LineFigures,
    LineInput,
    amount_of,
    document_totals,
    figure_line,
)
from xero_simulator.routing import ApiRequest
from xero_simulator.world import new_id

# Fields a kept line carries over from its stored self when the request does not send them.
_KEPT_FIELDS = (
    "Description",
    "Quantity",
    "UnitAmount",
    "ItemCode",
    "AccountCode",
    "AccountID",
    "TaxType",
    "Tracking",
    "DiscountRate",
    "DiscountAmount",
)
# Not found in Xero's words; FACTS.md §4.6 states the rule (discounts only on ACCREC invoices).
DISCOUNT_REFUSED = "Discounts (DiscountRate, DiscountAmount) are only supported on ACCREC invoices"


@dataclass(frozen=True)
class LineRules:
    """How a document's lines are figured: its LineAmountTypes, unit decimals, and what it allows."""

    amount_types: LineAmountTypes
    unit_dp: int = 2
    discounts_allowed: bool = False
    accounts_required: bool = False  # the document posts: a line with an amount needs an account
    sales: bool = True  # items fill lines from SalesDetails (else PurchaseDetails)


def _merged(line: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """A kept line: the stored fields the request did not send, then what it sent."""
    base = {k: stored[k] for k in _KEPT_FIELDS if k in stored}
    if "LineAmount" in line:
        # A new LineAmount with a missing Quantity or UnitAmount asks Xero to derive it afresh.
        for field in ("Quantity", "UnitAmount"):
            if field not in line:
                base.pop(field, None)
    if "AccountCode" in line or "AccountID" in line:
        base.pop("AccountCode", None)
        base.pop("AccountID", None)
    if "DiscountRate" in line or "DiscountAmount" in line:
        base.pop("DiscountRate", None)
        base.pop("DiscountAmount", None)
    return {**base, **line}


def _item(req: ApiRequest, code: str) -> dict[str, Any]:
    wanted = code.strip().lower()
    for item in req.org.records("Items").values():
        if str(item.get("Code", "")).lower() == wanted:
            return item
    # Xero's wording as quoted in Nine-Minds/alga-psa#3313 ("Item code 200 is not valid").
    raise ElementError(f"Item code {code} is not valid")


def _with_item_defaults(req: ApiRequest, line: dict[str, Any], sales: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The line completed from its item, and the Item summary Xero shows on the line."""
    item = _item(req, str(line["ItemCode"]))
    details = item.get("SalesDetails" if sales else "PurchaseDetails") or {}
    description = item.get("Description") if sales else item.get("PurchaseDescription") or item.get("Description")
    defaults = {
        "Description": description,
        "UnitAmount": details.get("UnitPrice"),
        "AccountCode": details.get("AccountCode"),
        "TaxType": details.get("TaxType"),
    }
    completed = dict(line)
    for field, value in defaults.items():
        if completed.get(field) is None and value is not None:
            if field == "AccountCode" and completed.get("AccountID"):
                continue
            completed[field] = value
    summary = {"ItemID": item.get("ItemID"), "Name": item.get("Name"), "Code": item.get("Code")}
    return completed, summary


def _figures(line: dict[str, Any], rate: Decimal, rules: LineRules) -> LineFigures:
    try:
        given = LineInput(
            quantity=amount_of(line.get("Quantity"), "Quantity"),
            unit_amount=amount_of(line.get("UnitAmount"), "UnitAmount"),
            line_amount=amount_of(line.get("LineAmount"), "LineAmount"),
            discount_rate=amount_of(line.get("DiscountRate"), "DiscountRate"),
            discount_amount=amount_of(line.get("DiscountAmount"), "DiscountAmount"),
            tax_amount=amount_of(line.get("TaxAmount"), "TaxAmount"),
        )
        return figure_line(given, rate=rate, amount_types=rules.amount_types, unit_dp=rules.unit_dp)
    except LineError as refused:
        raise ElementError(str(refused)) from refused


def _build_line(
    req: ApiRequest, line: dict[str, Any], rules: LineRules, line_id: str
) -> tuple[dict[str, Any], LineFigures]:
    item_summary = None
    if line.get("ItemCode"):
        line, item_summary = _with_item_defaults(req, line, rules.sales)
    if not rules.discounts_allowed and (line.get("DiscountRate") is not None or line.get("DiscountAmount") is not None):
        raise ElementError(DISCOUNT_REFUSED)
    account = None
    if line.get("AccountCode") or line.get("AccountID"):
        account = resolve_account(req, line.get("AccountCode"), line.get("AccountID"))
    tax_type = line.get("TaxType") or (account or {}).get("TaxType")
    rate = ZERO
    if tax_type:
        rate = resolve_tax_rate(req, tax_type, account=account)["EffectiveRate"]
    figures = _figures(line, rate, rules)
    if account is None and rules.accounts_required and figures.line_amount != ZERO:
        resolve_account(req)  # raises Xero's "Account code must be specified."
    stored: dict[str, Any] = {"LineItemID": line_id}
    if line.get("Description") is not None:
        stored["Description"] = line["Description"]
    stored["Quantity"] = figures.quantity
    stored["UnitAmount"] = figures.unit_amount
    if item_summary is not None:
        stored["ItemCode"] = item_summary["Code"]
        stored["Item"] = item_summary
    if account is not None:
        stored["AccountCode"] = account.get("Code")
        stored["AccountID"] = account["AccountID"]
    if tax_type:
        stored["TaxType"] = tax_type
    stored["TaxAmount"] = figures.tax_amount
    stored["LineAmount"] = figures.line_amount
    stored["Tracking"] = resolve_tracking(req, line.get("Tracking"))
    for field in ("DiscountRate", "DiscountAmount"):
        value = amount_of(line.get(field), field)
        if value is not None:
            stored[field] = value
    return stored, figures


def build_lines(
    req: ApiRequest,
    submitted: list[dict[str, Any]],
    rules: LineRules,
    existing: list[dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], DocumentTotals]:
    """The stored lines and totals for `submitted` LineItems; `existing` are the document's current lines.

    Raises ElementError when a line is refused, including a LineItemID that is not one of this
    document's lines (Xero's wording NOT FOUND; refusing exposes ids copied from another document).
    """
    kept = {str(line["LineItemID"]).lower(): line for line in existing or []}
    lines: list[dict[str, Any]] = []
    figures: list[LineFigures] = []
    for sent in submitted:
        line, line_id = sent, sent.get("LineItemID")
        if line_id:
            stored = kept.get(str(line_id).lower())
            if stored is None:
                raise ElementError(f"The LineItemID {line_id} is not a line item of this document")
            line, line_id = _merged(sent, stored), stored["LineItemID"]
        built, figured = _build_line(req, line, rules, str(line_id or new_id()))
        lines.append(built)
        figures.append(figured)
    return lines, document_totals(figures, rules.amount_types)
