"""Mark an invoice (or bill) paid: a platform payment record against it, sent by the normal push.

The action writes a payment record through the records use case (PlatformRecords.write), the very
path a platform's own PUT takes, so the sync worker sends it within seconds at a user's priority,
the ledger keeps its state and Xero id, and nothing bypasses the push's rules (lock dates, the
tenant's bank accounts, Idempotency-Keys). Before writing, it asks Xero (one budgeted GET of the
document) what is still due, because only Xero knows: payments and credit notes applied in Xero,
and Xero's own tax arithmetic, never reach the platform's body of the invoice.

Refused before anything is written (docs/decisions.md says why refused rather than queued):
- a document Xero does not hold yet (no Xero id in the ledger): DocumentNotInXeroError, 409 with
  what to do (export it, or wait for the sync); a payment queued behind it would sit parked, and
  the amount due it defaults to cannot be known before Xero has computed the document;
- one Xero will not take a payment against (not AUTHORISED: draft, voided, deleted, already paid):
  DocumentNotPayableError, 409 (FACTS.md §4.7: payments only against AUTHORISED documents);
- an amount above what is due: MarkPaidInvalidError on `body.amount` (Xero would refuse it,
  "Payment amount exceeds the amount outstanding on this document", FACTS.md §4.8), and a bank
  account the tenant's settings do not match to a Xero one: MarkPaidInvalidError on `body.bank_account`.

The same request made again answers the payment it made the first time, without calling Xero: the
payment's platform id is derived from the request (or given as `payment_id`), and a payment of that
id against the same document is the earlier one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from shared.domain.ledger import StoredRecord
from shared.domain.records import Entity, Payment
from shared.ports.records import RecordStore, SyncSettingsStore
from shared.usecases.records import PlatformRecords, RecordNotFoundError
from shared.usecases.reports.tenant_calls import TenantCalls, TenantXeroCalls, XeroRefusedError
from shared.usecases.tenants import get_tenant

_CENT = Decimal("0.01")


class PayableDocument(StrEnum):
    """What can be marked paid, by its record entity (a payment's `document` field says the same)."""

    INVOICE = "invoice"
    BILL = "bill"

    @property
    def entity(self) -> Entity:
        return Entity(self.value)


class DocumentNotInXeroError(Exception):
    """The document has not reached Xero yet, so Xero cannot take a payment against it."""

    def __init__(self, document: PayableDocument, platform_id: str, state: str) -> None:
        super().__init__(f"{document.value} {platform_id} is not in Xero ({state})")
        self.document = document
        self.platform_id = platform_id
        self.state = state


class DocumentNotPayableError(Exception):
    """Xero takes no payment against the document in its current state; `reason` says why, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MarkPaidInvalidError(Exception):
    """A field of the request cannot be honoured: `field` (e.g. `body.amount`), its kind and why."""

    def __init__(self, field: str, kind: str, message: str) -> None:
        super().__init__(f"{field} {message}")
        self.field = field
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class MarkPaidRequest:
    paid_on: date
    bank_account: str  # the platform's bank account or card id (settings.bank_accounts)
    amount: Decimal | None = None  # None: what Xero says is due
    reference: str | None = None
    payment_id: str | None = None  # the platform's id for the payment; derived from the request when None


@dataclass(frozen=True)
class MarkedPaid:
    payment: StoredRecord
    amount_due: Decimal | None  # what Xero said was due before this payment; None for a repeated request
    replayed: bool  # the same request was made before: its payment, unchanged


# Xero's statuses (FACTS.md §4.7), in words a tenant acts on.
_NOT_PAYABLE = {
    "PAID": "Xero already shows the {noun} as paid in full.",
    "DRAFT": "The {noun} is a draft in Xero; Xero takes payments against approved documents only.",
    "SUBMITTED": "The {noun} awaits approval in Xero; Xero takes payments against approved documents only.",
    "VOIDED": "The {noun} is voided in Xero.",
    "DELETED": "The {noun} is deleted in Xero.",
}


@dataclass(frozen=True)
class MarkPaid:
    calls: TenantCalls
    records: RecordStore
    settings: SyncSettingsStore
    platform_records: PlatformRecords

    def mark_paid(
        self, tenant_id: str, document: PayableDocument, platform_id: str, request: MarkPaidRequest
    ) -> MarkedPaid:
        """Write a payment of the document for what is due (or `request.amount`) and queue its sync.

        Raises TenantNotFoundError, RecordNotFoundError, MarkPaidInvalidError, DocumentNotInXeroError,
        DocumentNotPayableError, and what a call to Xero raises (tenant_calls.py)."""
        get_tenant(self.calls.tenants, tenant_id)
        record = self.records.get(tenant_id, document.entity, platform_id)
        if record is None or record.deleted:
            raise RecordNotFoundError(document.entity, platform_id)
        payment_id = request.payment_id or derived_payment_id(document, platform_id, request)
        earlier = self.records.get(tenant_id, Entity.PAYMENT, payment_id)
        if earlier is not None:
            _check_same_document(earlier, document, platform_id)
            if not earlier.deleted:  # a payment the platform deleted since is made again below
                return MarkedPaid(earlier, None, replayed=True)
        settings = self.settings.get(tenant_id)
        if settings is None or request.bank_account not in settings.bank_accounts:
            raise MarkPaidInvalidError(
                "body.bank_account",
                "bank_account_not_matched",
                "is not matched to a Xero bank account in the tenant's sync settings (bank_accounts)",
            )
        if record.xero_id is None:
            raise DocumentNotInXeroError(document, platform_id, record.state.value)
        xero = self.calls.open(tenant_id)
        due = _amount_due(xero, record.xero_id, document)
        amount = request.amount.quantize(_CENT) if request.amount is not None else due
        if amount > due:
            raise MarkPaidInvalidError(
                "body.amount", "exceeds_amount_due", f"is more than Xero's amount due on the {document.value} ({due})"
            )
        payment = Payment(
            invoice_id=platform_id,
            document=document.value,
            date=request.paid_on,
            amount=amount,
            bank_account=request.bank_account,
            reference=request.reference,
        )
        written = self.platform_records.write(tenant_id, Entity.PAYMENT, payment_id, payment.model_dump(mode="json"))
        return MarkedPaid(written, due, replayed=False)


def derived_payment_id(document: PayableDocument, platform_id: str, request: MarkPaidRequest) -> str:
    """The payment's platform id for a request without `payment_id`: the same request, the same id."""
    amount = str(request.amount.quantize(_CENT)) if request.amount is not None else "due"
    text = "|".join([document.value, platform_id, request.paid_on.isoformat(), request.bank_account, amount])
    return f"mark-paid:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def _check_same_document(earlier: StoredRecord, document: PayableDocument, platform_id: str) -> None:
    """A payment id names one payment: one of another document's is not taken over."""
    body = earlier.body
    if body.get("invoice_id") != platform_id or body.get("document") != document.value:
        raise MarkPaidInvalidError("body.payment_id", "payment_id_taken", "is the id of a payment of another document")


def _amount_due(xero: TenantXeroCalls, xero_id: str, document: PayableDocument) -> Decimal:
    """What Xero says is still due on the document (bills are invoices of type ACCPAY, one GET
    /Invoices/{id} either way); DocumentNotPayableError when Xero takes no payment against it."""
    noun = document.value
    try:
        answer = xero.get(f"/Invoices/{xero_id}")
    except XeroRefusedError as refused:
        if refused.status == 404:
            raise DocumentNotPayableError(f"Xero has no {noun} with the ledger's Xero id any more.") from refused
        raise
    invoices = answer.body.get("Invoices")
    if not isinstance(invoices, list) or not invoices or not isinstance(invoices[0], dict):
        raise XeroRefusedError(answer.status, "Xero answered without the document")
    found = invoices[0]
    status = str(found.get("Status") or "")
    if status != "AUTHORISED":
        reason = _NOT_PAYABLE.get(status, "Xero takes no payment against the {noun} in its current status.")
        raise DocumentNotPayableError(reason.format(noun=noun))
    return Decimal(str(found.get("AmountDue") or 0)).quantize(_CENT)
