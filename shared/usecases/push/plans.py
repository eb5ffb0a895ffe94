"""What to do next for one pending record: the call to make for it, or the outcome without a call.

The rules of which change a record needs (create, update, void, delete, ...) are the mapping's
`step_for`; this module turns that change into a concrete Xero request element. Payments take
several calls (the payment, an early-payment discount credit note and its allocation, a fee bill
and its payment); `linked` remembers which parts Xero already has, so a pass sends only the next
part and a crash in the middle resumes from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.domain.ledger import PAYMENT_PARTS, Outcome, StoredRecord, SyncState
from shared.domain.mapping.changes import Step, step_for
from shared.domain.mapping.contacts import contact_element
from shared.domain.mapping.context import MappingContext, NotMapped
from shared.domain.mapping.credit_notes import allocation_elements, credit_note_element
from shared.domain.mapping.discounts import discount_allocation_element, discount_credit_note_element
from shared.domain.mapping.documents import document_element
from shared.domain.mapping.fees import fee_bill_element, fee_payment_element
from shared.domain.mapping.items import item_element
from shared.domain.mapping.payments import payment_element
from shared.domain.mapping.statuses import status_element
from shared.domain.mapping.xero_values import UNIT_DP_PARAMS
from shared.domain.records import Bill, Contact, CreditNote, Entity, Invoice, Item, Payment

# The platform record that stands for the supplier of the platform's fees (settings.fee_supplier).
FEE_SUPPLIER_ID = "xero-sync:fee-supplier"

PART_VERSION = "for_version"  # which version of the payment the parts belong to

# Every batch answers element by element (FACTS.md §4.4); amounts with 4 places need unitdp (§4.6).
BATCH_PARAMS = {"summarizeErrors": "false"}
DOCUMENT_PARAMS = {**BATCH_PARAMS, **UNIT_DP_PARAMS}


@dataclass(frozen=True)
class Action:
    """One element of a call: the call kind's name, where it goes, and the element."""

    kind: str
    method: str
    path: str
    element: dict[str, Any] | None
    params: dict[str, str] = field(default_factory=dict)
    batchable: bool = True  # up to 50 members share one call when they go to the same place


Plan = Action | Outcome | None  # None: not this pass (what it depends on is still on its way)


def plan(record: StoredRecord, ctx: MappingContext, match: Any) -> Plan:
    """The next action for `record`, its outcome when no call is needed, or None to wait.

    `match(contact) -> xero id | None` finds an existing Xero contact for a new one."""
    try:
        step = step_for(record)
        if step is Step.NOTHING:
            return Outcome(state=SyncState.SKIPPED, message="Deleted before it reached Xero; nothing to undo.")
        planner = _PLANNERS[record.entity]
        return planner(record, step, ctx, match)
    except NotMapped as not_mapped:
        return Outcome(state=not_mapped.state, message=not_mapped.reason)


def _contact(record: StoredRecord, step: Step, ctx: MappingContext, match: Any) -> Plan:
    contact = record.body_as(Contact)
    xero_id = record.xero_id
    if step is Step.ARCHIVE and xero_id is not None:
        return Action("contact.save", "POST", "/Contacts", status_element(Entity.CONTACT, xero_id, "ARCHIVED"))
    if xero_id is None:
        xero_id = match(contact)
        if xero_id is None and not ctx.settings.create_unmatched_contacts:
            return Outcome(
                state=SyncState.SKIPPED,
                message="No Xero contact matches it (by contact number, email or name) and creating contacts is off.",
            )
    return Action("contact.save", "POST", "/Contacts", contact_element(contact, xero_id), BATCH_PARAMS)


def _item(record: StoredRecord, step: Step, ctx: MappingContext, match: Any) -> Plan:
    if step is Step.REMOVE:
        return Action("item.remove", "DELETE", f"/Items/{record.xero_id}", None, batchable=False)
    item = record.body_as(Item)
    return Action("item.save", "POST", "/Items", item_element(item, ctx, record.xero_id), DOCUMENT_PARAMS)


def _document(record: StoredRecord, step: Step, ctx: MappingContext, match: Any) -> Plan:
    kind = f"{record.entity.value}.save"
    if step in {Step.DELETE, Step.VOID}:
        status = "DELETED" if step is Step.DELETE else "VOIDED"
        return Action(
            kind, "POST", "/Invoices", status_element(record.entity, _synced_id(record), status), BATCH_PARAMS
        )
    document = record.body_as(Invoice) if record.entity is Entity.INVOICE else record.body_as(Bill)
    element = document_element(record.entity, document, ctx, record.xero_id)
    return Action(kind, "POST", "/Invoices", element, DOCUMENT_PARAMS)


def _credit_note(record: StoredRecord, step: Step, ctx: MappingContext, match: Any) -> Plan:
    if step in {Step.DELETE, Step.VOID}:
        status = "DELETED" if step is Step.DELETE else "VOIDED"
        element = status_element(Entity.CREDIT_NOTE, _synced_id(record), status)
        return Action("credit_note.save", "POST", "/CreditNotes", element, BATCH_PARAMS)
    credit_note = record.body_as(CreditNote)
    saved = record.linked.get("saved_version") == str(record.version)
    if saved and record.xero_id is not None and credit_note.allocations:
        # Created and allocated are two calls (FACTS.md §4.9); one call carries all its allocations.
        body = {"Allocations": allocation_elements(credit_note, ctx)}
        path = f"/CreditNotes/{record.xero_id}/Allocations"
        return Action("credit_note.allocate", "PUT", path, body, BATCH_PARAMS, batchable=False)
    element = credit_note_element(credit_note, ctx, record.xero_id)
    return Action("credit_note.save", "POST", "/CreditNotes", element, DOCUMENT_PARAMS)


def _payment(record: StoredRecord, step: Step, ctx: MappingContext, match: Any) -> Plan:
    payment = record.body_as(Payment)
    parts = {part: record.linked[part] for part in PAYMENT_PARTS if record.linked.get(part)}
    outdated = parts and record.linked.get(PART_VERSION) != str(record.version)
    if record.deleted or outdated:
        if parts:
            return _removal(payment, parts)
        if record.deleted:
            return Outcome(state=SyncState.SYNCED, xero_status="DELETED", message="Deleted in Xero.")
    return _creation(record, payment, parts, ctx)


def _creation(record: StoredRecord, payment: Payment, parts: dict[str, str], ctx: MappingContext) -> Plan:
    """The next part of a payment Xero does not have yet, or SYNCED when it has them all."""
    if "payment" not in parts and payment.amount > 0:
        return Action("payment.payment", "PUT", "/Payments", payment_element(payment, ctx), BATCH_PARAMS)
    if payment.discount > 0:
        if "discount_credit_note" not in parts:
            element = discount_credit_note_element(payment, ctx)
            return Action("payment.discount_credit_note", "PUT", "/CreditNotes", element, DOCUMENT_PARAMS)
        if "discount_allocation" not in parts:
            document_xero_id = _paid_document(payment, ctx)
            element = discount_allocation_element(payment, ctx, document_xero_id)
            path = f"/CreditNotes/{parts['discount_credit_note']}/Allocations"
            return Action(
                "payment.discount_allocation", "PUT", path, {"Allocations": [element]}, BATCH_PARAMS, batchable=False
            )
    if payment.fee > 0:
        if "fee_bill" not in parts:
            fee_contact = ctx.xero_id_of(Entity.CONTACT, FEE_SUPPLIER_ID)
            if fee_contact is None:
                raise NotMapped(SyncState.PARKED, f"Waits for the fee supplier contact '{ctx.settings.fee_supplier}'.")
            element = fee_bill_element(payment, ctx, fee_contact)
            return Action("payment.fee_bill", "PUT", "/Invoices", element, DOCUMENT_PARAMS)
        if "fee_payment" not in parts:
            element = fee_payment_element(payment, ctx, parts["fee_bill"])
            return Action("payment.fee_payment", "PUT", "/Payments", element, BATCH_PARAMS)
    return Outcome(
        state=SyncState.SYNCED,
        xero_id=parts.get("payment"),
        xero_status="AUTHORISED",
        linked={PART_VERSION: str(record.version)},
    )


def _removal(payment: Payment, parts: dict[str, str]) -> Action:
    """The next part to take out of Xero, the last created first (a bill's payment before the bill)."""
    if "fee_payment" in parts:
        return _delete_payment("payment.remove_fee_payment", parts["fee_payment"])
    if "fee_bill" in parts:
        element = status_element(Entity.BILL, parts["fee_bill"], "VOIDED")
        return Action("payment.remove_fee_bill", "POST", "/Invoices", element, BATCH_PARAMS)
    if "discount_allocation" in parts:
        path = f"/CreditNotes/{parts['discount_credit_note']}/Allocations/{parts['discount_allocation']}"
        return Action("payment.remove_discount_allocation", "DELETE", path, None, batchable=False)
    if "discount_credit_note" in parts:
        element = status_element(Entity.CREDIT_NOTE, parts["discount_credit_note"], "VOIDED")
        return Action("payment.remove_discount_credit_note", "POST", "/CreditNotes", element, BATCH_PARAMS)
    return _delete_payment("payment.remove_payment", parts["payment"])


def _delete_payment(kind: str, payment_id: str) -> Action:
    # Payments are deleted by status, one per call (FACTS.md §4.8).
    return Action(kind, "POST", f"/Payments/{payment_id}", {"Payments": [{"Status": "DELETED"}]}, batchable=False)


def _paid_document(payment: Payment, ctx: MappingContext) -> str:
    entity = Entity.INVOICE if payment.document == "invoice" else Entity.BILL
    xero_id = ctx.xero_id_of(entity, payment.invoice_id or "")
    if xero_id is None:
        raise NotMapped(SyncState.PARKED, f"Waits for {payment.document} {payment.invoice_id} to reach Xero.")
    return xero_id


def _synced_id(record: StoredRecord) -> str:
    if record.xero_id is None:
        raise ValueError(f"{record.entity.value} {record.platform_id} has no Xero id to change")
    return record.xero_id


_PLANNERS = {
    Entity.CONTACT: _contact,
    Entity.ITEM: _item,
    Entity.INVOICE: _document,
    Entity.BILL: _document,
    Entity.CREDIT_NOTE: _credit_note,
    Entity.PAYMENT: _payment,
}
