"""An early-payment discount as a credit note allocated to the document it settles (issue 4, §3).

The platform records a receipt of 95.00 with a discount of 5.00 against an invoice of 100.00;
Xero gets the payment of 95.00 and a credit note of 5.00 for the invoice's contact, allocated to
the invoice, which is then paid in full. For a bill it is the supplier's credit note
(ACCPAYCREDIT) allocated to the bill.

The credit note's single line is coded where the document was: the account all its lines share,
else the default sales (or expense) account; the tax type all its lines share, else none, so that
Xero applies the account's default tax. A discount reduces the revenue (or cost) of the document
and its tax in the same proportion, which is exact when the lines share one coding. Amounts are
tax-inclusive (or NoTax for an untaxed document) so that the credit note's Total is the discount
itself, and the allocation can use all of it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import MappingContext, NotMapped, Problems
from shared.domain.mapping.documents import contact_reference
from shared.domain.mapping.lines import default_account, line_account
from shared.domain.mapping.payments import paid_document, payment_date
from shared.domain.mapping.xero_values import money
from shared.domain.records import AmountsAre, Document, Entity, Payment
from shared.domain.sync_settings import XeroDocumentStatus

DISCOUNT_CREDIT_TYPES = {Entity.INVOICE: "ACCRECCREDIT", Entity.BILL: "ACCPAYCREDIT"}
_WHAT = "The payment's discount"


def _coding(document: Document, ctx: MappingContext, *, sales: bool) -> tuple[str | None, str | None]:
    """The account and tax type of the discount's line (see the module's docstring)."""
    settings = ctx.settings
    accounts = {line_account(line, settings, sales=sales) for line in document.lines}
    account = accounts.pop() if len(accounts) == 1 else None
    taxes = {settings.tax_rates.get(line.tax_code) if line.tax_code else None for line in document.lines}
    tax_type = taxes.pop() if len(taxes) == 1 else None
    return account or default_account(settings, sales=sales), tax_type


def discount_credit_note_element(payment: Payment, ctx: MappingContext) -> dict[str, Any] | None:
    """The /CreditNotes element for the payment's discount; None when it has none.

    Raises NotMapped: SKIPPED when the payment is applied to no document or no account can be
    chosen; PARKED while the document has not reached xero-sync, its contact is not in Xero, or
    the payment's date is locked.
    """
    if payment.discount == 0:
        return None
    entity, platform_id = paid_document(payment)
    document = ctx.document_of(entity, platform_id)
    if document is None:
        raise NotMapped(SyncState.PARKED, f"The {entity.value} {platform_id} it pays has not reached xero-sync yet.")
    sales = entity is Entity.INVOICE
    problems = Problems()
    contact = contact_reference(ctx, document.contact_id, problems)
    account, tax_type = _coding(document, ctx, sales=sales)
    if account is None:
        side = "sales" if sales else "expense"
        problems.skip(
            f"The payment has a discount, and no account is known to record it: choose a default {side} account."
        )
    on = payment_date(payment, _WHAT, ctx, problems)
    problems.raise_any()

    line: dict[str, Any] = {
        "Description": f"Early payment discount on {entity.value} {document.number or platform_id}",
        "Quantity": 1.0,
        "UnitAmount": money(payment.discount),
        "AccountCode": account,
    }
    if tax_type is not None:
        line["TaxType"] = tax_type
    return {
        "Type": DISCOUNT_CREDIT_TYPES[entity],
        "Contact": contact,
        "Date": on,
        "LineAmountTypes": "NoTax" if document.amounts_are is AmountsAre.NO_TAX else "Inclusive",
        "LineItems": [line],
        "CurrencyCode": document.currency or ctx.reference.base_currency,
        # FACTS.md §4.9: only an AUTHORISED credit note can be allocated.
        "Status": XeroDocumentStatus.AUTHORISED.value,
    }


def discount_allocation_element(payment: Payment, ctx: MappingContext, document_xero_id: str) -> dict[str, Any]:
    """The element of PUT /CreditNotes/{id}/Allocations applying the discount's credit note to the document.

    Called once the credit note is in Xero. Raises ValueError for a payment without a discount and
    NotMapped(PARKED) when the payment's date is locked.
    """
    if payment.discount == Decimal(0):
        raise ValueError("the payment has no discount to allocate")
    problems = Problems()
    on = payment_date(payment, _WHAT, ctx, problems)
    problems.raise_any()
    return {"Invoice": {"InvoiceID": document_xero_id}, "Amount": money(payment.discount), "Date": on}
