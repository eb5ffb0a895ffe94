"""Whether Xero and the platform agree, record for record, once a tenant's push has finished.

Agreement means: every record the platform wrote is SYNCED with a Xero id; that id names a
document in the simulator's organisation with the platform's figures (a contact's name, an
invoice's total and PAID status, a credit note's total fully allocated to its invoice, a payment's
amount on its invoice, a discount's credit note allocated, a fee's bill PAID by its payment); and
Xero holds nothing more: as many contacts, invoices, bills, credit notes and payments as the
platform's records account for, and no Xero id claimed by two records (a duplicate would be a
second document with no record, or two records on one document).

Xero's side is read straight from the simulator's world (not through the API, which would spend
the tenant's calls); the shapes read are Xero's own (Total, AmountDue, RemainingCredit, Payments).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.sync.books import CREDIT, Books
from shared.domain.ledger import StoredRecord, SyncState
from shared.domain.records import Entity
from shared.ports.records import RecordStore
from shared.usecases.push.plans import FEE_SUPPLIER_ID
from xero_simulator.world import Organisation, World

SHOWN_PROBLEMS = 20  # the report lists this many disagreements; the count covers them all


@dataclass
class Agreement:
    """The outcome for one tenant: what was compared, and every disagreement found."""

    tenant_id: str
    checked: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        return {
            "agree": self.agree,
            "checked": dict(self.checked),
            "problem_count": len(self.problems),
            "problems": self.problems[:SHOWN_PROBLEMS],
        }


def compare(tenant_id: str, books: Books, store: RecordStore, world: World, org: Organisation) -> Agreement:
    """Compare the tenant's records and ledger with what its organisation holds in Xero."""
    with world.lock:
        xero = {name: dict(org.records(name)) for name in ("Contacts", "Invoices", "CreditNotes", "Payments")}
    check = _Check(Agreement(tenant_id), xero)
    records = {
        entity: store.get_many(tenant_id, entity, list(books.bodies(entity)))
        for entity in (Entity.CONTACT, Entity.INVOICE, Entity.CREDIT_NOTE, Entity.PAYMENT)
    }
    fee_supplier = store.get(tenant_id, Entity.CONTACT, FEE_SUPPLIER_ID)
    for entity, found in records.items():
        for platform_id in books.bodies(entity):
            check.synced(entity, platform_id, found.get(platform_id))
    if books.fees:
        check.synced(Entity.CONTACT, FEE_SUPPLIER_ID, fee_supplier)
    check.contacts([*records[Entity.CONTACT].values(), *([fee_supplier] if fee_supplier else [])])
    invoice_ids = {platform_id: record.xero_id for platform_id, record in records[Entity.INVOICE].items()}
    check.invoices(records[Entity.INVOICE], books)
    check.credit_notes(records[Entity.CREDIT_NOTE], invoice_ids)
    check.payments(records[Entity.PAYMENT], invoice_ids, books)
    check.nothing_more(books, fee_supplier=fee_supplier is not None)
    return check.agreement


class _Check:
    def __init__(self, agreement: Agreement, xero: dict[str, dict[str, dict[str, Any]]]) -> None:
        self.agreement = agreement
        self.xero = xero
        self.claimed: Counter[str] = Counter()  # Xero id -> platform records and parts naming it

    def problem(self, text: str) -> None:
        self.agreement.problems.append(text)

    def synced(self, entity: Entity, platform_id: str, record: StoredRecord | None) -> None:
        if record is None:
            self.problem(f"{entity.value} {platform_id}: missing from the platform's store")
        elif record.state is not SyncState.SYNCED or record.xero_id is None:
            self.problem(f"{entity.value} {platform_id}: {record.state.value} ({record.message})")

    def found(self, collection: str, xero_id: str | None, what: str) -> dict[str, Any] | None:
        if xero_id is None:
            return None
        self.claimed[xero_id] += 1
        if self.claimed[xero_id] == 2:
            self.problem(f"{what}: Xero id {xero_id} is claimed by more than one platform record")
        document = self.xero[collection].get(xero_id)
        if document is None:
            self.problem(f"{what}: {collection} {xero_id} is not in Xero")
        self.agreement.checked[collection] += 1
        return document

    def contacts(self, records: list[StoredRecord]) -> None:
        for record in records:
            contact = self.found("Contacts", record.xero_id, f"contact {record.platform_id}")
            if contact is not None and contact.get("Name") != record.body.get("name"):
                self.problem(f"contact {record.platform_id}: named {contact.get('Name')!r} in Xero")

    def invoices(self, records: dict[str, StoredRecord], books: Books) -> None:
        for platform_id, record in records.items():
            invoice = self.found("Invoices", record.xero_id, f"invoice {platform_id}")
            if invoice is None:
                continue
            total = books.totals[Entity.INVOICE, platform_id]
            if (invoice.get("Type"), _money(invoice.get("Total"))) != ("ACCREC", total):
                self.problem(f"invoice {platform_id}: {invoice.get('Type')} of {invoice.get('Total')}, not {total}")
            if invoice.get("Status") != "PAID" or _money(invoice.get("AmountDue")) != 0:
                self.problem(f"invoice {platform_id}: {invoice.get('Status')}, {invoice.get('AmountDue')} due")

    def credit_notes(self, records: dict[str, StoredRecord], invoice_ids: dict[str, str | None]) -> None:
        for platform_id, record in records.items():
            credit_note = self.found("CreditNotes", record.xero_id, f"credit note {platform_id}")
            if credit_note is None:
                continue
            allocated_to = {a.get("Invoice", {}).get("InvoiceID") for a in credit_note.get("Allocations") or []}
            wanted = {invoice_ids.get(a["invoice_id"]) for a in record.body.get("allocations", [])}
            if not _fully_allocated(credit_note, CREDIT):
                self.problem(f"credit note {platform_id}: {credit_note.get('Total')} with some left unallocated")
            if allocated_to != wanted:
                self.problem(f"credit note {platform_id}: allocated to {allocated_to}, not {wanted}")

    def payments(self, records: dict[str, StoredRecord], invoice_ids: dict[str, str | None], books: Books) -> None:
        for platform_id, record in records.items():
            what = f"payment {platform_id}"
            amount = books.totals[Entity.PAYMENT, platform_id]
            self._paid(record.linked.get("payment"), invoice_ids.get(record.body["invoice_id"]), amount, what)
            discount = Decimal(record.body["discount"])
            if discount > 0:
                credit = self.found("CreditNotes", record.linked.get("discount_credit_note"), f"{what}'s discount")
                if credit is None or not _fully_allocated(credit, discount):
                    self.problem(f"{what}: its discount's credit note is not {discount}, fully allocated")
            fee = Decimal(record.body["fee"])
            if fee > 0:
                bill_id = record.linked.get("fee_bill")
                bill = self.found("Invoices", bill_id, f"{what}'s fee bill")
                if bill is None or not _paid_bill(bill, fee):
                    self.problem(f"{what}: its fee bill is not a PAID bill of {fee}")
                self._paid(record.linked.get("fee_payment"), bill_id, fee, f"{what}'s fee")

    def _paid(self, payment_id: str | None, document_id: str | None, amount: Decimal, what: str) -> None:
        payment = self.found("Payments", payment_id, what)
        if payment is None:
            if payment_id is None:
                self.problem(f"{what}: no Xero payment on the record")
            return
        document = self.xero["Invoices"].get(document_id or "")
        on_document = {p.get("PaymentID"): _money(p.get("Amount")) for p in (document or {}).get("Payments") or []}
        if _money(payment.get("Amount")) != amount or on_document.get(payment_id) != amount:
            self.problem(f"{what}: Xero's payment is {payment.get('Amount')} on its document, not {amount}")

    def nothing_more(self, books: Books, *, fee_supplier: bool) -> None:
        """Xero holds exactly what the records account for: no extra or duplicate document."""
        invoices = self.xero["Invoices"].values()
        held = {
            "contacts": sum(1 for c in self.xero["Contacts"].values() if c.get("ContactStatus") != "ARCHIVED"),
            "invoices": sum(1 for i in invoices if i.get("Type") == "ACCREC" and _live(i)),
            "bills": sum(1 for i in invoices if i.get("Type") == "ACCPAY" and _live(i)),
            "credit notes": sum(1 for c in self.xero["CreditNotes"].values() if _live(c)),
            "payments": sum(1 for p in self.xero["Payments"].values() if p.get("Status") != "DELETED"),
        }
        expected = {
            "contacts": books.count(Entity.CONTACT) + int(fee_supplier),
            "invoices": books.count(Entity.INVOICE),
            "bills": books.fees,
            "credit notes": books.count(Entity.CREDIT_NOTE) + books.discounts,
            "payments": books.count(Entity.PAYMENT) + books.fees,
        }
        for what, count in held.items():
            if count != expected[what]:
                self.problem(f"Xero holds {count} {what}, the platform's records account for {expected[what]}")


def _paid_bill(bill: dict[str, Any], total: Decimal) -> bool:
    return (bill.get("Type"), bill.get("Status"), _money(bill.get("Total"))) == ("ACCPAY", "PAID", total)


def _fully_allocated(credit_note: dict[str, Any], total: Decimal) -> bool:
    return _money(credit_note.get("Total")) == total and _money(credit_note.get("RemainingCredit")) == 0


def _live(document: dict[str, Any]) -> bool:
    return document.get("Status") not in {"DELETED", "VOIDED"}


def _money(value: object) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(-1)
