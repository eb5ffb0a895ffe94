"""Credit notes as elements of PUT or POST /CreditNotes, and their allocations (FACTS.md §4.9).

A credit note is always sent AUTHORISED: Xero allocates only authorised credit notes, and creating
and allocating are two calls (PUT /CreditNotes, then PUT /CreditNotes/{id}/Allocations). Its lines
follow the documents' rules (lines.py) without discounts (FACTS.md §4.6); a sales credit note
(ACCRECCREDIT) falls back on the sales account, a purchases one (ACCPAYCREDIT) on the expense
account. An allocation is dated its own date, else the credit note's, and both obey the lock date.
"""

from __future__ import annotations

from typing import Any

from shared.domain.mapping.context import MappingContext, Problems
from shared.domain.mapping.documents import contact_reference, document_name
from shared.domain.mapping.lines import LINE_AMOUNT_TYPES, line_elements
from shared.domain.mapping.lock_dates import open_date
from shared.domain.mapping.xero_values import day, money
from shared.domain.records import CreditNote, Entity
from shared.domain.sync_settings import XeroDocumentStatus

CREDIT_NOTE_TYPES = {"sales": "ACCRECCREDIT", "purchases": "ACCPAYCREDIT"}
# The document a credit note of each kind is allocated to.
ALLOCATED_TO = {"sales": Entity.INVOICE, "purchases": Entity.BILL}


def credit_note_element(credit_note: CreditNote, ctx: MappingContext, xero_id: str | None) -> dict[str, Any]:
    """The /CreditNotes element of a platform credit note; with `xero_id`, the update of that credit note.

    Raises NotMapped: SKIPPED for a line that cannot be mapped, PARKED for a contact not yet in
    Xero or a date in a locked period.
    """
    problems = Problems()
    contact = contact_reference(ctx, credit_note.contact_id, problems)
    lines = line_elements(credit_note.lines, ctx, problems, sales=credit_note.kind == "sales", discounts=False)
    on = open_date(credit_note.date, document_name(Entity.CREDIT_NOTE, credit_note.number), ctx, problems)
    problems.raise_any()

    element: dict[str, Any] = {"CreditNoteID": xero_id} if xero_id else {}
    element.update(
        {
            "Type": CREDIT_NOTE_TYPES[credit_note.kind],
            "Contact": contact,
            "Date": day(on),
            "LineAmountTypes": LINE_AMOUNT_TYPES[credit_note.amounts_are],
            "LineItems": [line.element for line in lines],
            "CurrencyCode": credit_note.currency or ctx.reference.base_currency,
            # FACTS.md §4.9: only an AUTHORISED credit note can be allocated.
            "Status": XeroDocumentStatus.AUTHORISED.value,
        }
    )
    if credit_note.number:
        element["CreditNoteNumber"] = credit_note.number
    return element


def allocation_elements(credit_note: CreditNote, ctx: MappingContext) -> list[dict[str, Any]]:
    """The elements of PUT /CreditNotes/{id}/Allocations for the credit note's allocations, in order.

    Raises NotMapped(PARKED) when a document it is allocated to is not yet in Xero, or an
    allocation's date is locked (unless the tenant moves such dates to the open period).
    """
    entity = ALLOCATED_TO[credit_note.kind]
    problems = Problems()
    elements = []
    for allocation in credit_note.allocations:
        invoice_id = ctx.xero_id_of(entity, allocation.invoice_id)
        if invoice_id is None:
            problems.park(f"The {entity.value} {allocation.invoice_id} it is allocated to is not in Xero yet.")
        what = f"Its allocation to {entity.value} {allocation.invoice_id}"
        on = open_date(allocation.date or credit_note.date, what, ctx, problems)
        elements.append({"Invoice": {"InvoiceID": invoice_id}, "Amount": money(allocation.amount), "Date": day(on)})
    problems.raise_any()
    return elements
