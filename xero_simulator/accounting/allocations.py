"""Routes: allocating a credit note to invoices, and removing an allocation (FACTS.md §4.9).

PUT /CreditNotes/{id}/Allocations applies part of an AUTHORISED credit note's RemainingCredit to
AUTHORISED invoices of the matching side (ACCRECCREDIT -> ACCREC, ACCPAYCREDIT -> ACCPAY), of the
same contact and currency, never more than either document has outstanding. The invoice's
AmountCredited grows and AmountDue falls; each document becomes PAID at zero. DELETE
/CreditNotes/{id}/Allocations/{AllocationID} undoes it and answers the allocation with IsDeleted.

Xero's messages come from waynerobinson/xeroizer#320 ("The invoice you are trying to allocate to
has already been paid off", "Credit Note cannot be allocated as amount is greater than amount
outstanding", "Credit Note cannot be allocated to an incorrect invoice t[ype]", the last one cut
off in the source). The rest are NOT FOUND and worded by the simulator.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xero_simulator.accounting.batch import ElementError, write_batch
from xero_simulator.accounting.document_views import document_or_404
from xero_simulator.accounting.document_writes import NOT_FOUND_MESSAGE
from xero_simulator.accounting.documents import (
    CREDIT_NOTE,
    Status,
    check_lock_dates,
    outstanding,
    record_credit,
    remove_credit,
    restore_credit,
    spend_credit,
)
from xero_simulator.accounting.totals import ZERO, LineError, amount_of, money
from xero_simulator.errors import ValidationError, found
from xero_simulator.msjson import parse_date
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily
from xero_simulator.world import new_id

# The invoice type each credit note type may be allocated to.
_INVOICE_TYPE_OF = {"ACCRECCREDIT": "ACCREC", "ACCPAYCREDIT": "ACCPAY"}
EXCEEDS_MESSAGE = "Credit Note cannot be allocated as amount is greater than amount outstanding"
ALREADY_PAID_MESSAGE = "The invoice you are trying to allocate to has already been paid off"
WRONG_TYPE_MESSAGE = "Credit Note cannot be allocated to an incorrect invoice type"


def _invoice(req: ApiRequest, ref: Any) -> dict[str, Any]:
    invoice_id = ref.get("InvoiceID") if isinstance(ref, dict) else None
    invoice = req.org.records("Invoices").get(str(invoice_id or "").strip().lower())
    if invoice is None:
        raise ElementError(NOT_FOUND_MESSAGE)
    return invoice


def _validated(req: ApiRequest, credit: dict[str, Any], element: dict[str, Any]) -> tuple[dict[str, Any], Decimal, Any]:
    """The invoice, amount and date of an allocation Xero would accept; ElementError otherwise."""
    missing = [f for f in ("Amount", "Invoice", "Date") if element.get(f) in (None, "")]
    if missing:
        # Allocation.required (OAS-ACC); Xero's wording NOT FOUND.
        raise ElementError(*(f"{field} is required for an allocation" for field in missing))
    try:
        amount = money(amount_of(element["Amount"], "Amount") or ZERO)
        on = parse_date(element["Date"])
    except (LineError, ValueError) as exc:
        raise ElementError(str(exc)) from exc
    if credit["Status"] not in {Status.AUTHORISED, Status.PAID}:
        # FACTS.md §4.9 [SECONDARY]: the credit note must be AUTHORISED to allocate.
        raise ElementError("Only AUTHORISED credit notes can be allocated")
    invoice = _invoice(req, element["Invoice"])
    if invoice["Type"] != _INVOICE_TYPE_OF[credit["Type"]]:
        raise ElementError(WRONG_TYPE_MESSAGE)
    if invoice["Status"] == Status.PAID:
        raise ElementError(ALREADY_PAID_MESSAGE)
    if invoice["Status"] != Status.AUTHORISED:
        raise ElementError("Credit Note can only be allocated to an AUTHORISED invoice")
    if invoice["Contact"]["ContactID"] != credit["Contact"]["ContactID"]:
        # Conservative: Xero offers only the same contact's invoices for a credit note's allocation.
        raise ElementError("Credit Note can only be allocated to an invoice of the same contact")
    if invoice["CurrencyCode"] != credit["CurrencyCode"]:
        raise ElementError("Credit Note can only be allocated to an invoice in the same currency")
    if amount <= ZERO:
        raise ElementError("The allocation Amount must be greater than zero")
    if amount > outstanding(credit) or amount > outstanding(invoice):
        raise ElementError(EXCEEDS_MESSAGE)
    check_lock_dates(req.org, on)
    return invoice, amount, on


def _view(allocation: dict[str, Any], credit: dict[str, Any]) -> dict[str, Any]:
    return {
        **allocation,
        "CreditNote": {"CreditNoteID": credit["CreditNoteID"], "CreditNoteNumber": credit.get("CreditNoteNumber")},
    }


def _allocate(req: ApiRequest, credit: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    invoice, amount, on = _validated(req, credit, element)
    allocation = {
        "AllocationID": new_id(),
        "Amount": amount,
        "Date": on,
        "Invoice": {"InvoiceID": invoice["InvoiceID"], "InvoiceNumber": invoice.get("InvoiceNumber")},
    }
    credit.setdefault("Allocations", []).append(allocation)
    spend_credit(req.org, credit, amount, on, req.now)
    applied = {
        "CreditNoteID": credit["CreditNoteID"],
        "CreditNoteNumber": credit.get("CreditNoteNumber"),
        "AppliedAmount": amount,
        "Total": credit["Total"],
        "_allocation_id": allocation["AllocationID"],
    }
    record_credit(req.org, invoice, source="CreditNotes", entry=applied, amount=amount, on=on, now=req.now)
    return _view(allocation, credit)


@accounting.route("PUT", "/CreditNotes/{CreditNoteID}/Allocations", ScopeFamily.INVOICES)
def create_credit_note_allocations(req: ApiRequest) -> dict[str, Any]:
    credit = document_or_404(req, CREDIT_NOTE, req.path_params["CreditNoteID"])
    return write_batch(req, "Allocations", lambda r, element: _allocate(r, credit, element))


@accounting.route("DELETE", "/CreditNotes/{CreditNoteID}/Allocations/{AllocationID}", ScopeFamily.INVOICES)
def delete_credit_note_allocation(req: ApiRequest) -> dict[str, Any]:
    credit = document_or_404(req, CREDIT_NOTE, req.path_params["CreditNoteID"])
    wanted = req.path_params["AllocationID"].strip().lower()
    allocation = found(next((a for a in credit.get("Allocations") or [] if a["AllocationID"] == wanted), None))
    try:
        check_lock_dates(req.org, allocation["Date"])
    except ElementError as refused:
        raise ValidationError(refused.messages) from refused
    credit["Allocations"].remove(allocation)
    amount: Decimal = allocation["Amount"]
    invoice = req.org.records("Invoices").get(allocation["Invoice"]["InvoiceID"])
    if invoice is not None:
        remove_credit(
            req.org,
            invoice,
            source="CreditNotes",
            key="_allocation_id",
            value=allocation["AllocationID"],
            amount=amount,
            now=req.now,
        )
    restore_credit(req.org, credit, amount, req.now)
    return {**_view(allocation, credit), "IsDeleted": True}
