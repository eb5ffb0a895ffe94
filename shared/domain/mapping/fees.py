"""The platform's fee on a payment as a bill from the fee supplier, paid from the same bank account.

The platform keeps a fee from what the customer paid, so the bank receives less than the payment.
Xero gets the payment in full, a bill from the fee supplier (settings.fee_supplier) for the fee,
coded to the fee account, AUTHORISED and dated the payment's date, and a payment of that bill from
the same bank account: receipt less fee is what the bank statement shows, so both lines reconcile
against it. The fee bill's payment is not marked reconciled (IsReconciled): Xero would then refuse
to delete it when the platform's payment changes (FACTS.md §4.8).

Amounts are tax-inclusive and the line carries no TaxType, so the bill's Total is the fee and the
fee account's default tax applies (in AU, Bank Fees are input taxed). The bill is in the paid
document's currency (the payment and its fee are), the organisation's when it is not known.
"""

from __future__ import annotations

from typing import Any

from shared.domain.mapping.context import MappingContext, Problems
from shared.domain.mapping.payments import bank_account_code, paid_document, payment_date
from shared.domain.mapping.xero_values import money
from shared.domain.records import Payment
from shared.domain.sync_settings import TenantSyncSettings, XeroDocumentStatus

_WHAT = "The payment's fee"


def fee_supplier_element(settings: TenantSyncSettings) -> dict[str, Any]:
    """The /Contacts element of the supplier the fee bills are from (matched by name before it is made)."""
    return {"Name": settings.fee_supplier}


def fee_bill_element(payment: Payment, ctx: MappingContext, fee_contact_xero_id: str) -> dict[str, Any] | None:
    """The /Invoices element (ACCPAY) of the bill for the payment's fee; None when it has none.

    Raises NotMapped: SKIPPED when the payment is applied to no document or no fee account is
    chosen, PARKED when the payment's date is locked.
    """
    if payment.fee == 0:
        return None
    entity, platform_id = paid_document(payment)
    problems = Problems()
    account = ctx.settings.fee_account
    if account is None:
        problems.skip(f"The payment carries a fee of {payment.fee}, and no fee account is chosen to record it.")
    on = payment_date(payment, _WHAT, ctx, problems)
    problems.raise_any()

    document = ctx.document_of(entity, platform_id)
    known = (document.number if document is not None else None) or platform_id
    element: dict[str, Any] = {
        "Type": "ACCPAY",
        "Contact": {"ContactID": fee_contact_xero_id},
        "Date": on,
        "DueDate": on,
        "LineAmountTypes": "Inclusive",
        "LineItems": [
            {
                "Description": f"Fee on the payment of {payment.date.isoformat()} for {entity.value} {known}",
                "Quantity": 1.0,
                "UnitAmount": money(payment.fee),
                "AccountCode": account,
            }
        ],
        "CurrencyCode": (document.currency if document is not None else None) or ctx.reference.base_currency,
        "Status": XeroDocumentStatus.AUTHORISED.value,
    }
    if payment.reference:
        element["InvoiceNumber"] = payment.reference  # a bill's number is the supplier's reference
    return element


def fee_payment_element(payment: Payment, ctx: MappingContext, fee_bill_xero_id: str) -> dict[str, Any]:
    """The /Payments element paying the fee bill from the payment's own bank account.

    Called once the fee bill is in Xero. Raises ValueError for a payment without a fee and
    NotMapped: SKIPPED when the bank account is not matched, PARKED when the date is locked.
    """
    if payment.fee == 0:
        raise ValueError("the payment carries no fee to pay")
    problems = Problems()
    code = bank_account_code(payment, ctx, problems)
    on = payment_date(payment, _WHAT, ctx, problems)
    problems.raise_any()
    element: dict[str, Any] = {
        "Invoice": {"InvoiceID": fee_bill_xero_id},
        "Account": {"Code": code},
        "Date": on,
        "Amount": money(payment.fee),
    }
    if payment.reference:
        element["Reference"] = payment.reference
    return element
