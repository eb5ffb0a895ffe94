"""The life of a sales invoice, bill or credit note: its statuses, lock dates, and what settles it.

Invoices (ACCREC, ACCPAY) and credit notes (ACCRECCREDIT, ACCPAYCREDIT) share Xero's status rules
(FACTS.md §4.7, §4.9): DRAFT and SUBMITTED documents can be edited or DELETED; AUTHORISED ones can
be edited while nothing settles them, and VOIDED, never DELETED; PAID is reached only when payments
or allocations bring the amount outstanding to zero; VOIDED and DELETED are final. A document that
a payment or allocation settles cannot be edited or voided at all until that is removed.

For the payments helper (and anything else that settles documents), the API is:

- `outstanding(document)`: what is left to settle (an invoice's AmountDue, a credit note's
  RemainingCredit).
- `check_payable(document, amount)`: raise ElementError with Xero's words when a payment of
  `amount` cannot be made against the document.
- `record_payment(org, document, payment, now)`: add a payment (a dict with at least PaymentID,
  Date (a date) and Amount (a Decimal)) to the document's Payments, lower what is outstanding, move
  AUTHORISED -> PAID (with FullyPaidOnDate) when it reaches zero, stamp and announce the change.
- `remove_payment(org, document, payment_id, now)`: undo it: PAID -> AUTHORISED when something is
  outstanding again.
- `record_credit` / `remove_credit`: the same for credit applied to an invoice by an allocation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from xero_simulator.accounting.batch import ElementError
from xero_simulator.accounting.totals import ZERO
from xero_simulator.msjson import utc_string
from xero_simulator.world import Organisation


class Status(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    AUTHORISED = "AUTHORISED"
    PAID = "PAID"
    VOIDED = "VOIDED"
    DELETED = "DELETED"


# A new document may start in these (FACTS.md §4.7: "create approved (AUTHORISED) ones directly").
CREATABLE_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.AUTHORISED})
FINAL_STATUSES = frozenset({Status.VOIDED, Status.DELETED})
# Where each editable status may go (FACTS.md §4.7). SUBMITTED -> DRAFT (back from approval) is allowed:
# Xero's UI allows it and no source says the API refuses it.
_NEXT_STATUSES = {
    Status.DRAFT: frozenset({Status.DRAFT, Status.SUBMITTED, Status.AUTHORISED, Status.DELETED}),
    Status.SUBMITTED: frozenset({Status.SUBMITTED, Status.DRAFT, Status.AUTHORISED, Status.DELETED}),
    Status.AUTHORISED: frozenset({Status.AUTHORISED, Status.VOIDED}),
}

# FACTS.md §4.7 [SECONDARY] (actionstep wiki; support.ascora.com.au; xeroizer PR #211 comment).
SETTLED_MESSAGE = "This document cannot be edited as it has a payment or credit note allocated to it"
# FACTS.md §4.8 / §4.7.
NOT_AUTHORISED_FOR_PAYMENT = "Payments can only be made against Authorised documents"
PAYMENT_EXCEEDS_MESSAGE = "Payment amount exceeds the amount outstanding on this document"

# What settles a document: payments on either kind, credit notes, prepayments and overpayments
# applied to an invoice, and a credit note's own allocations.
_SETTLEMENT_LISTS = ("Payments", "CreditNotes", "Prepayments", "Overpayments", "Allocations")

# Xero's organisation timezones (Organisation.Timezone) -> IANA zones, for "today" in the org.
_ZONES = {
    "AUSEASTERNSTANDARDTIME": "Australia/Sydney",
    "NEWZEALANDSTANDARDTIME": "Pacific/Auckland",
    "GMTSTANDARDTIME": "Europe/London",
    "EASTERNSTANDARDTIME": "America/New_York",
    "CENTRALSTANDARDTIME": "America/Chicago",
    "PACIFICSTANDARDTIME": "America/Los_Angeles",
}


@dataclass(frozen=True)
class DocumentKind:
    """What differs between invoices and credit notes: names, types, numbering, the outstanding field."""

    noun: str  # as Xero's messages name it: "Invoice"
    collection: str
    id_field: str
    number_field: str
    types: tuple[str, ...]
    numbered_type: str  # the type whose numbers are unique and generated when omitted
    number_prefix: str
    outstanding_field: str
    webhook_category: str
    sales_type: str  # the type whose lines use an item's SalesDetails (the other uses PurchaseDetails)
    discount_types: frozenset[str]  # FACTS.md §4.6: discounts only on ACCREC invoices
    due_date_required: bool


INVOICE = DocumentKind(
    noun="Invoice",
    collection="Invoices",
    id_field="InvoiceID",
    number_field="InvoiceNumber",
    types=("ACCREC", "ACCPAY"),
    numbered_type="ACCREC",
    number_prefix="INV",
    outstanding_field="AmountDue",
    webhook_category="INVOICE",
    sales_type="ACCREC",
    discount_types=frozenset({"ACCREC"}),
    due_date_required=True,
)
CREDIT_NOTE = DocumentKind(
    noun="Credit Note",
    collection="CreditNotes",
    id_field="CreditNoteID",
    number_field="CreditNoteNumber",
    types=("ACCRECCREDIT", "ACCPAYCREDIT"),
    numbered_type="ACCRECCREDIT",
    number_prefix="CN",
    outstanding_field="RemainingCredit",
    webhook_category="CREDITNOTE",
    sales_type="ACCRECCREDIT",
    discount_types=frozenset(),
    due_date_required=False,
)


def kind_of(document: dict[str, Any]) -> DocumentKind:
    return CREDIT_NOTE if CREDIT_NOTE.id_field in document else INVOICE


def invalid_status_message(kind: DocumentKind) -> str:
    """Xero's refusal of a status change it does not allow (FACTS.md §4.7, Xero-NetStandard#79)."""
    return f"{kind.noun} not of valid status for modification"


def is_settled(document: dict[str, Any]) -> bool:
    """True when a payment, credit note, prepayment, overpayment or allocation settles part of it."""
    return any(document.get(name) for name in _SETTLEMENT_LISTS)


def check_transition(kind: DocumentKind, document: dict[str, Any], requested: str) -> None:
    """Refuse (ElementError) an edit of `document` that would leave it in status `requested`.

    `requested` equal to the current status means an edit in place. Order matters: a final
    document refuses everything; a settled one refuses every change with Xero's settled message.
    """
    current = Status(document["Status"])
    if current in FINAL_STATUSES:
        raise ElementError(invalid_status_message(kind))
    if is_settled(document):
        raise ElementError(SETTLED_MESSAGE)
    if requested not in _NEXT_STATUSES.get(current, frozenset()):
        raise ElementError(invalid_status_message(kind))


def _lock_date_text(day: date) -> str:
    return day.strftime("%d-%b-%Y")  # "31-Jul-2013", as in Xero's message


def check_lock_dates(org: Organisation, on: date) -> None:
    """Refuse a posted document dated on or before the organisation's lock dates.

    The end-of-year message is Xero's (waynerobinson/xeroizer#92: "The document date cannot be
    before the end of year lock date, currently set at 31-Jul-2013"); the period-lock message was
    NOT FOUND and follows the same pattern. Both apply to API calls (an adviser's exemption from
    the period lock is not modelled).
    """
    if org.end_of_year_lock_date is not None and on <= org.end_of_year_lock_date:
        raise ElementError(
            "The document date cannot be before the end of year lock date, currently set at "
            + _lock_date_text(org.end_of_year_lock_date)
        )
    if org.period_lock_date is not None and on <= org.period_lock_date:
        raise ElementError(
            "The document date cannot be before the period lock date, currently set at "
            + _lock_date_text(org.period_lock_date)
        )


def org_today(org: Organisation, now: datetime) -> date:
    """Today in the organisation's timezone: the default Date of a new document (OAS-ACC Invoice.Date)."""
    try:
        zone: Any = ZoneInfo(_ZONES.get(org.timezone, "UTC"))
    except ZoneInfoNotFoundError:
        zone = UTC
    return now.astimezone(zone).date()


def touch(document: dict[str, Any], now: datetime) -> None:
    """Stamp a change: UpdatedDateUTC and its ISO twin UpdatedDateUTCString (FACTS.md §4.6)."""
    document["UpdatedDateUTC"] = now
    document["UpdatedDateUTCString"] = utc_string(now)


def announce(org: Organisation, document: dict[str, Any], event_type: str, now: datetime) -> None:
    """Queue the webhook event for a created or changed document (FACTS.md §2.4).

    INVOICE events carry no data; CREDITNOTE events carry the credit note's Type and Status.
    """
    kind = kind_of(document)
    data = {"Type": document["Type"], "Status": document["Status"]} if kind is CREDIT_NOTE else None
    org.announce(kind.webhook_category, event_type, document[kind.id_field], now, data)


# --- settlement -------------------------------------------------------------------------------


def outstanding(document: dict[str, Any]) -> Decimal:
    """What is left to settle: an invoice's AmountDue or a credit note's RemainingCredit."""
    value = document.get(kind_of(document).outstanding_field)
    return value if isinstance(value, Decimal) else ZERO


def check_payable(document: dict[str, Any], amount: Decimal) -> None:
    """Refuse a payment of `amount` against `document` as Xero does (FACTS.md §4.7, §4.8)."""
    if document["Status"] != Status.AUTHORISED:
        raise ElementError(NOT_AUTHORISED_FOR_PAYMENT)
    if amount > outstanding(document):
        raise ElementError(PAYMENT_EXCEEDS_MESSAGE)


def _settle(document: dict[str, Any], amount: Decimal, on: date) -> None:
    field = kind_of(document).outstanding_field
    document[field] = outstanding(document) - amount
    if document[field] == ZERO and document["Status"] == Status.AUTHORISED:
        document["Status"] = Status.PAID.value
        document["FullyPaidOnDate"] = on


def _unsettle(document: dict[str, Any], amount: Decimal) -> None:
    field = kind_of(document).outstanding_field
    document[field] = outstanding(document) + amount
    if document[field] > ZERO and document["Status"] == Status.PAID:
        document["Status"] = Status.AUTHORISED.value
        document.pop("FullyPaidOnDate", None)


def _changed(org: Organisation, document: dict[str, Any], now: datetime) -> None:
    touch(document, now)
    announce(org, document, "UPDATE", now)


def record_payment(org: Organisation, document: dict[str, Any], payment: dict[str, Any], now: datetime) -> None:
    """Apply a payment (PaymentID, Date, Amount, ...) to an invoice or a credit note (a refund).

    The caller has already checked it with `check_payable`. An invoice's AmountPaid grows; the
    payment summary is kept in the document's Payments list, as Xero shows it.
    """
    amount: Decimal = payment["Amount"]
    document.setdefault("Payments", []).append(payment)
    if kind_of(document) is INVOICE:
        document["AmountPaid"] = document.get("AmountPaid", ZERO) + amount
    _settle(document, amount, payment["Date"])
    _changed(org, document, now)


def remove_payment(org: Organisation, document: dict[str, Any], payment_id: str, now: datetime) -> None:
    """Take a deleted payment off its document; a PAID document goes back to AUTHORISED."""
    payments = document.get("Payments") or []
    payment = next((p for p in payments if p.get("PaymentID") == payment_id), None)
    if payment is None:
        return
    payments.remove(payment)
    amount: Decimal = payment["Amount"]
    if kind_of(document) is INVOICE:
        document["AmountPaid"] = document.get("AmountPaid", ZERO) - amount
    _unsettle(document, amount)
    _changed(org, document, now)


def record_credit(
    org: Organisation,
    invoice: dict[str, Any],
    *,
    source: str,
    entry: dict[str, Any],
    amount: Decimal,
    on: date,
    now: datetime,
) -> None:
    """Apply credit to an invoice: `source` is its list ("CreditNotes", "Prepayments", "Overpayments").

    `entry` is the summary Xero shows in that list; keep an id in it (e.g. `_allocation_id`) to
    remove it later. AmountCredited grows and AmountDue falls; the invoice is PAID at zero.
    """
    invoice.setdefault(source, []).append(entry)
    invoice["AmountCredited"] = invoice.get("AmountCredited", ZERO) + amount
    _settle(invoice, amount, on)
    _changed(org, invoice, now)


def remove_credit(
    org: Organisation, invoice: dict[str, Any], *, source: str, key: str, value: str, amount: Decimal, now: datetime
) -> None:
    """Undo `record_credit`: drop the entry of `source` whose `key` is `value` and restore the amounts."""
    entries = invoice.get(source) or []
    invoice[source] = [e for e in entries if e.get(key) != value]
    invoice["AmountCredited"] = invoice.get("AmountCredited", ZERO) - amount
    _unsettle(invoice, amount)
    _changed(org, invoice, now)


def spend_credit(org: Organisation, credit: dict[str, Any], amount: Decimal, on: date, now: datetime) -> None:
    """Use `amount` of a credit note's RemainingCredit; it is PAID when none is left."""
    _settle(credit, amount, on)
    _changed(org, credit, now)


def restore_credit(org: Organisation, credit: dict[str, Any], amount: Decimal, now: datetime) -> None:
    """Give `amount` back to a credit note's RemainingCredit; PAID -> AUTHORISED."""
    _unsettle(credit, amount)
    _changed(org, credit, now)
