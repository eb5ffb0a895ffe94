"""Sales invoices (ACCREC) and bills (ACCPAY) as elements of PUT or POST /Invoices (FACTS.md §4.7).

The rules (issue 4, §2 and §3):
- The contact is named by its Xero id; a contact not yet in Xero parks the document.
- Status: a platform draft goes as DRAFT (a draft is not final on the platform, so it is not
  posted in Xero either); an approved document in the status the tenant chose
  (settings.invoice_status / bill_status), except a bill whose total is zero, which goes
  AUTHORISED so that Xero marks it paid (nothing is owed on it). A tenant that sends only
  approved documents (entity setting only_approved) has its drafts SKIPPED.
- A document that posts (any status but DRAFT) dated on or before the lock date is parked, or
  moved to the day after it (lock_dates.py) with its due date no earlier than its new date.
- DueDate is the document's, else its date: Xero requires one on a posted invoice (xeroizer#290).
- Reference (sales invoices only, as Xero) joins the chosen fields with " / ".
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import MappingContext, NotMapped, Problems
from shared.domain.mapping.lines import LINE_AMOUNT_TYPES, MappedLine, line_elements
from shared.domain.mapping.lock_dates import open_date
from shared.domain.mapping.xero_values import day
from shared.domain.records import AmountsAre, Document, DocumentStatus, Entity
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_settings import XeroDocumentStatus

INVOICE_TYPES = {Entity.INVOICE: "ACCREC", Entity.BILL: "ACCPAY"}
REFERENCE_SEPARATOR = " / "
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


def document_name(entity: Entity, number: str | None) -> str:
    """How a reason names a document: "The invoice INV-0001", or "The invoice" when it has no number."""
    noun = entity.value.replace("_", " ")
    return f"The {noun} {number}" if number else f"The {noun}"


def contact_reference(ctx: MappingContext, contact_id: str, problems: Problems) -> dict[str, Any]:
    """The document's Contact by Xero id; a contact not yet in Xero parks the record."""
    xero_id = ctx.xero_id_of(Entity.CONTACT, contact_id)
    if xero_id is None:
        problems.park(f"Its contact {contact_id} is not in Xero yet.")
    return {"ContactID": xero_id}


def _rate(line: MappedLine, reference: ReferenceData) -> Decimal:
    """The tax rate of a line in percent: its tax type's, else its account's default tax type's."""
    tax_type = line.tax_type
    if tax_type is None:
        account = reference.account(line.account_code)
        tax_type = account.tax_type if account is not None else None
    rate = reference.tax_rate(tax_type) if tax_type is not None else None
    return rate.effective_rate if rate is not None else Decimal(0)


def document_total(lines: list[MappedLine], amounts_are: AmountsAre, reference: ReferenceData) -> Decimal:
    """The document's Total as Xero figures it: line amounts, plus tax per line when amounts exclude it."""
    total = sum((line.amount for line in lines), Decimal(0))
    if amounts_are is AmountsAre.EXCLUSIVE:
        for line in lines:
            total += (line.amount * _rate(line, reference) / _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP)
    return total


def _status(entity: Entity, document: Document, lines: list[MappedLine], ctx: MappingContext) -> str:
    if document.status is DocumentStatus.DRAFT:
        return XeroDocumentStatus.DRAFT.value
    if entity is Entity.BILL and document_total(lines, document.amounts_are, ctx.reference) == 0:
        return XeroDocumentStatus.AUTHORISED.value
    chosen = ctx.settings.invoice_status if entity is Entity.INVOICE else ctx.settings.bill_status
    return chosen.value


def _reference(document: Document, ctx: MappingContext) -> str:
    fields = (getattr(document, field.value) for field in ctx.settings.reference_fields)
    return REFERENCE_SEPARATOR.join(text.strip() for text in fields if text and text.strip())


def _dates(document: Document, status: str, what: str, ctx: MappingContext, problems: Problems) -> tuple[date, date]:
    on = document.date
    due = document.due_date or document.date
    if status != XeroDocumentStatus.DRAFT:
        # Xero checks lock dates on documents that post; a draft posts nothing (documents.py of the simulator).
        on = open_date(document.date, what, ctx, problems)
        if on != document.date:
            due = max(due, on)
    return on, due


def document_element(entity: Entity, document: Document, ctx: MappingContext, xero_id: str | None) -> dict[str, Any]:
    """The /Invoices element of a platform invoice or bill; with `xero_id`, the update of that Xero document.

    Raises NotMapped: SKIPPED for a draft the tenant keeps on the platform or a line that cannot be
    mapped, PARKED for a contact not yet in Xero or a date in a locked period.
    """
    if entity not in INVOICE_TYPES:
        raise ValueError(f"{entity} is not an invoice or a bill")
    noun = entity.value
    what = document_name(entity, document.number)
    if document.status is DocumentStatus.DRAFT and ctx.settings.entity(entity).only_approved:
        raise NotMapped(SyncState.SKIPPED, f"{what} is a draft, and only approved {noun}s go to Xero.")
    sales = entity is Entity.INVOICE
    problems = Problems()
    contact = contact_reference(ctx, document.contact_id, problems)
    lines = line_elements(document.lines, ctx, problems, sales=sales, discounts=sales)
    status = _status(entity, document, lines, ctx)
    on, due = _dates(document, status, what, ctx, problems)
    problems.raise_any()

    element: dict[str, Any] = {"InvoiceID": xero_id} if xero_id else {}
    element.update(
        {
            "Type": INVOICE_TYPES[entity],
            "Contact": contact,
            "Date": day(on),
            "DueDate": day(due),
            "LineAmountTypes": LINE_AMOUNT_TYPES[document.amounts_are],
            "LineItems": [line.element for line in lines],
            "CurrencyCode": document.currency or ctx.reference.base_currency,
            "Status": status,
        }
    )
    if document.number:
        element["InvoiceNumber"] = document.number  # a bill's is the supplier's invoice number
    reference = _reference(document, ctx) if sales else ""
    if reference:
        element["Reference"] = reference
    return element
