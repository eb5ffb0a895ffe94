"""How each kind of call's answer for one element becomes its record's outcome.

An outcome carries the UpdatedDateUTC of Xero's answer element when the element is the record
itself (not one of a payment's other parts): the stamp the webhook that echoes this write will
carry, which is how the sync from Xero knows the echo (shared/domain/inbound/echo.py)."""

from __future__ import annotations

from collections.abc import Callable

from shared.domain.inbound.instants import updated_at
from shared.domain.ledger import Outcome, StoredRecord, SyncState
from shared.domain.records import CreditNote, Entity, Payment
from shared.domain.xero_answers import ElementResult
from shared.usecases.push.calls import CallKind, failed
from shared.usecases.push.plans import PART_VERSION

# Xero's refusal of a second contact with a name already in use (contact names are unique).
NAME_TAKEN = "already assigned to another contact"

Applied = Callable[[Entity, str], None]


def call_kinds(name_taken: Callable[[], None], applied: Applied) -> dict[str, CallKind]:
    """Every kind of call the push makes, by name. `name_taken` is told when Xero refuses a new
    contact's name (the directory is read again and the contact matched next pass); `applied`
    when a payment or allocation lands on a document (Xero then refuses to edit it)."""

    def contact_saved(record: StoredRecord, result: ElementResult) -> Outcome:
        if not result.ok and any(NAME_TAKEN in message for message in result.messages):
            name_taken()
            return Outcome(state=SyncState.PENDING, message="A Xero contact already has this name; matching it.")
        return saved(record, result)

    def credit_note_saved(record: StoredRecord, result: ElementResult) -> Outcome:
        credit_note = record.body_as(CreditNote)
        if not result.ok or record.deleted or not credit_note.allocations:
            return saved(record, result)
        return Outcome(
            state=SyncState.PENDING,
            xero_id=result.xero_id,
            xero_status=result.status,
            linked={"saved_version": str(record.version)},
            xero_updated_at=updated_at(result.element),
        )

    def credit_note_allocated(record: StoredRecord, result: ElementResult) -> Outcome:
        if not result.ok:
            return failed(result)
        credit_note = record.body_as(CreditNote)
        document = Entity.INVOICE if credit_note.kind == "sales" else Entity.BILL
        for allocation in credit_note.allocations:
            applied(document, allocation.invoice_id)
        applied(Entity.CREDIT_NOTE, record.platform_id)  # its credit is allocated: Xero refuses edits
        return Outcome(state=SyncState.SYNCED, linked={"allocated_version": str(record.version)})

    def payment_part(part: str) -> CallKind:
        def judge(record: StoredRecord, result: ElementResult) -> Outcome:
            if not result.ok:
                return failed(result)
            payment = record.body_as(Payment)
            if part == "payment" and payment.invoice_id:
                applied(Entity.INVOICE if payment.document == "invoice" else Entity.BILL, payment.invoice_id)
            # The payment's next part (or SYNCED) is decided on the next pass, from `linked`.
            linked = {part: result.xero_id or "", PART_VERSION: str(record.version)}
            stamp = updated_at(result.element) if part == "payment" else None
            return Outcome(state=SyncState.PENDING, linked=linked, xero_updated_at=stamp)

        return CallKind(f"payment.{part}", _PART_COLLECTIONS[part], judge)

    def payment_part_removed(part: str, kind: str, collection: str) -> CallKind:
        def judge(record: StoredRecord, result: ElementResult) -> Outcome:
            if not result.ok:
                return failed(result)
            return Outcome(state=SyncState.PENDING, linked={part: ""})

        return CallKind(kind, collection, judge)

    kinds = [
        CallKind("contact.save", "Contacts", contact_saved),
        CallKind("item.save", "Items", saved),
        CallKind("item.remove", "", removed),
        CallKind("invoice.save", "Invoices", saved),
        CallKind("bill.save", "Invoices", saved),
        CallKind("credit_note.save", "CreditNotes", credit_note_saved),
        CallKind("credit_note.allocate", "Allocations", credit_note_allocated),
        *(payment_part(part) for part in _PART_COLLECTIONS),
        payment_part_removed("fee_payment", "payment.remove_fee_payment", "Payments"),
        payment_part_removed("fee_bill", "payment.remove_fee_bill", "Invoices"),
        payment_part_removed("discount_allocation", "payment.remove_discount_allocation", ""),
        payment_part_removed("discount_credit_note", "payment.remove_discount_credit_note", "CreditNotes"),
        payment_part_removed("payment", "payment.remove_payment", "Payments"),
    ]
    return {kind.name: kind for kind in kinds}


_PART_COLLECTIONS = {
    "payment": "Payments",
    "discount_credit_note": "CreditNotes",
    "discount_allocation": "Allocations",
    "fee_bill": "Invoices",
    "fee_payment": "Payments",
}


def saved(record: StoredRecord, result: ElementResult) -> Outcome:
    """Xero holds the record as sent (its id and status), or refused it in its own words."""
    if not result.ok:
        return failed(result)
    return Outcome(
        state=SyncState.SYNCED,
        xero_id=result.xero_id,
        xero_status=result.status,
        xero_updated_at=updated_at(result.element),
    )


def removed(record: StoredRecord, result: ElementResult) -> Outcome:
    if not result.ok:
        return failed(result)
    return Outcome(state=SyncState.SYNCED, xero_status="DELETED")
