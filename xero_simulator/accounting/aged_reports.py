"""Routes: Aged Receivables and Aged Payables by contact, from the contact's open documents.

Shape (FACTS.md §4.12; OAS-ACC examples of both reports): header cells Date, Number (Reference on
the payables report), Due Date, "", Total, Paid, Credited, Due; an "Opening Balance" section dated
fromDate; one section with a row per open document, every cell tagged `invoiceID`, the fourth
cell "N days overdue" once the due date has passed, and a Total line; a "Closing Balance" section.
Titles: "Invoices", the contact's name, "From <fromDate> to <toDate>", "Showing payments to <date>".

Parameters: contactId is REQUIRED (the spec marks it so); `date` (default today) is the day up to
which payments and credit-note allocations count; documents dated fromDate..toDate are listed,
earlier ones make up the opening balance. Only AUTHORISED and PAID documents count.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xero_simulator.accounting.documents import org_today
from xero_simulator.accounting.ledger import POSTED_DOCUMENT_STATUSES, as_day
from xero_simulator.accounting.report_periods import date_param
from xero_simulator.accounting.report_rows import (
    Row,
    attribute,
    cell,
    header,
    long_date,
    money_text,
    report_with_rows,
    row,
    section,
    summary_row,
)
from xero_simulator.accounting.totals import ZERO
from xero_simulator.errors import NotFoundError, UnparseableParameterError, ValidationError
from xero_simulator.msjson import date_string
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily
from xero_simulator.world import Organisation


@dataclass(frozen=True)
class AgedKind:
    """What distinguishes the receivables report from the payables one."""

    report_type: str
    name: str
    invoice_type: str
    credit_note_type: str
    number_heading: str


RECEIVABLES = AgedKind("AgedReceivablesByContact", "Aged Receivables By Contact", "ACCREC", "ACCRECCREDIT", "Number")
# The payables example heads the number column "Reference" (OAS-ACC AgedPayablesByContact example).
PAYABLES = AgedKind("AgedPayablesByContact", "Aged Payables By Contact", "ACCPAY", "ACCPAYCREDIT", "Reference")


@dataclass(frozen=True)
class AgedDocument:
    """One invoice or credit note as at the report's payment date; credit notes count negative."""

    id_name: str  # the cell attribute's Id
    document_id: str
    on: date
    number: str
    due_date: date | None
    total: Decimal
    paid: Decimal
    credited: Decimal

    @property
    def due(self) -> Decimal:
        return self.total - self.paid - self.credited


def _counted(entry: dict[str, Any], payments_to: date) -> bool:
    return bool(
        entry.get("Status") != "DELETED" and not entry.get("IsDeleted") and as_day(entry.get("Date")) <= payments_to
    )


def _paid(document: dict[str, Any], payments_to: date) -> Decimal:
    """Payments made by `payments_to`, from the document's Payments list (deleted ones leave it)."""
    return sum((p["Amount"] for p in document.get("Payments") or [] if _counted(p, payments_to)), ZERO)


def _allocations(org: Organisation, kind: AgedKind) -> Iterator[tuple[str, dict[str, Any]]]:
    """(credit note id, allocation) for every allocation of this kind's credit notes."""
    for note in org.records("CreditNotes").values():
        if note.get("Type") == kind.credit_note_type:
            for allocation in note.get("Allocations") or []:
                yield note["CreditNoteID"], allocation


def _belongs(record: dict[str, Any], contact_id: str, record_type: str) -> bool:
    contact = record.get("Contact") or {}
    return bool(
        record.get("Type") == record_type
        and record.get("Status") in POSTED_DOCUMENT_STATUSES
        and str(contact.get("ContactID", "")).lower() == contact_id
    )


def aged_documents(org: Organisation, kind: AgedKind, contact_id: str, payments_to: date) -> list[AgedDocument]:
    """The contact's posted invoices and credit notes with what was paid and credited by `payments_to`."""
    allocations = list(_allocations(org, kind))
    found = []
    for invoice in org.records("Invoices").values():
        if not _belongs(invoice, contact_id, kind.invoice_type):
            continue
        invoice_id = invoice["InvoiceID"]
        credited = sum(
            (
                a["Amount"]
                for _, a in allocations
                if (a.get("Invoice") or {}).get("InvoiceID") == invoice_id and _counted(a, payments_to)
            ),
            ZERO,
        )
        found.append(
            AgedDocument(
                "invoiceID",
                invoice_id,
                as_day(invoice["Date"]),
                str(invoice.get("InvoiceNumber") or ""),
                as_day(invoice.get("DueDate")),
                invoice["Total"],
                _paid(invoice, payments_to),
                credited,
            )
        )
    for note in org.records("CreditNotes").values():
        if not _belongs(note, contact_id, kind.credit_note_type):
            continue
        note_id = note["CreditNoteID"]
        credited = sum((a["Amount"] for n, a in allocations if n == note_id and _counted(a, payments_to)), ZERO)
        # Id of a credit note's cell attribute: NOT FOUND (the examples hold invoices only).
        found.append(
            AgedDocument(
                "creditNoteID",
                note_id,
                as_day(note["Date"]),
                str(note.get("CreditNoteNumber") or ""),
                None,
                -note["Total"],
                -_paid(note, payments_to),
                -credited,
            )
        )
    found.sort(key=lambda d: (d.on, d.number))
    return found


def _contact_param(req: ApiRequest) -> str:
    text = req.query.get("contactid", "").strip()
    if not text:
        # The parameter is required (OAS-ACC); Xero's wording for its absence is NOT FOUND.
        raise ValidationError(["A valid ContactID is required"])
    try:
        return str(uuid.UUID(text))
    except ValueError as exc:
        raise UnparseableParameterError("contactId") from exc


def _contact_name(org: Organisation, contact_id: str) -> str:
    """The contact's name; an id that names no contact is answered 404 (Xero's answer is NOT FOUND)."""
    contact = org.records("Contacts").get(contact_id)
    if contact is None:
        contact = next(
            (c for c in org.records("Contacts").values() if str(c.get("ContactID", "")).lower() == contact_id), None
        )
    if contact is not None:
        return str(contact.get("Name", ""))
    for collection in ("Invoices", "CreditNotes"):
        for record in org.records(collection).values():
            ref = record.get("Contact") or {}
            if str(ref.get("ContactID", "")).lower() == contact_id:
                return str(ref.get("Name", ""))
    raise NotFoundError()


def _document_row(document: AgedDocument, payments_to: date) -> Row:
    overdue = ""
    if document.due_date is not None and document.due != ZERO and payments_to > document.due_date:
        # Only the plural form is documented (OAS-ACC examples: "305 days overdue"); it is used for 1 day too.
        overdue = f"{(payments_to - document.due_date).days} days overdue"
    values = [
        date_string(document.on),
        document.number,
        date_string(document.due_date) if document.due_date else "",
        overdue,
        *map(money_text, (document.total, document.paid, document.credited, document.due)),
    ]
    tag = [attribute(document.id_name, document.document_id)]
    return row([cell(v, tag) for v in values])


def _sums(documents: Iterable[AgedDocument]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    listed = list(documents)
    return (
        sum((d.total for d in listed), ZERO),
        sum((d.paid for d in listed), ZERO),
        sum((d.credited for d in listed), ZERO),
        sum((d.due for d in listed), ZERO),
    )


def aged_report(req: ApiRequest, kind: AgedKind) -> dict[str, Any]:
    """The aged report of one contact; see the module docstring for its parameters and shape."""
    contact_id = _contact_param(req).lower()
    name = _contact_name(req.org, contact_id)
    today = org_today(req.org, req.now)
    payments_to = date_param(req, "date") or today
    to_date = date_param(req, "toDate") or payments_to
    documents = [d for d in aged_documents(req.org, kind, contact_id, payments_to) if d.on <= to_date]
    from_date = date_param(req, "fromDate") or min((d.on for d in documents), default=to_date)
    if from_date > to_date:
        raise ValidationError(["The from date must be before the to date"])  # wording NOT FOUND
    opening = sum((d.due for d in documents if d.on < from_date), ZERO)
    listed = [d for d in documents if d.on >= from_date and d.due != ZERO]
    total, paid, credited, due = _sums(listed)
    blank = ["", "", ""]
    opening_row = [date_string(from_date), "Opening Balance", *blank, "", "", money_text(opening)]
    rows = [
        header(["Date", kind.number_heading, "Due Date", "", "Total", "Paid", "Credited", "Due"]),
        section("", [row([cell(v) for v in opening_row])]),
    ]
    if listed:
        document_rows = [_document_row(d, payments_to) for d in listed]
        totals = summary_row("Total", [*blank, *map(money_text, (total, paid, credited, due))])
        rows.append(section("", [*document_rows, totals]))
    closing = [*blank, *map(money_text, (total, paid, credited, opening + due))]
    rows.append(section("", [summary_row("Closing Balance", closing)]))
    titles = [
        "Invoices",
        name,
        f"From {long_date(from_date)} to {long_date(to_date)}",
        f"Showing payments to {long_date(payments_to)}",
    ]
    return report_with_rows(req, kind.report_type, kind.name, titles, rows)


@accounting.route("GET", "/Reports/AgedReceivablesByContact", ScopeFamily.REPORT_AGED)
def aged_receivables_by_contact(req: ApiRequest) -> dict[str, Any]:
    return aged_report(req, RECEIVABLES)


@accounting.route("GET", "/Reports/AgedPayablesByContact", ScopeFamily.REPORT_AGED)
def aged_payables_by_contact(req: ApiRequest) -> dict[str, Any]:
    return aged_report(req, PAYABLES)
