"""Platform receipts and bill payments as elements of PUT /Payments (FACTS.md §4.8).

A payment is sent against the invoice or bill it is applied to (Xero has no payment without a
document: one without is SKIPPED), from the Xero bank account the tenant matched to the platform's
account or card (settings.bank_accounts), by the account's Code. Payments are never edited in
Xero, only deleted and made again (changes.py). Its discount and fee are sent beside it
(discounts.py, fees.py), from the same rules here.
"""

from __future__ import annotations

from typing import Any

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import MappingContext, NotMapped, Problems
from shared.domain.mapping.lock_dates import open_date
from shared.domain.mapping.xero_values import day, money
from shared.domain.records import Entity, Payment

PAID_ENTITIES = {"invoice": Entity.INVOICE, "bill": Entity.BILL}


def paid_document(payment: Payment) -> tuple[Entity, str]:
    """The entity and platform id of the document the payment settles; SKIPPED when it settles none."""
    if payment.invoice_id is None:
        raise NotMapped(
            SyncState.SKIPPED,
            "The payment is not applied to an invoice or bill, and Xero takes payments against documents only.",
        )
    return PAID_ENTITIES[payment.document], payment.invoice_id


def bank_account_code(payment: Payment, ctx: MappingContext, problems: Problems) -> str | None:
    """The code of the Xero bank account matched to the payment's; an unmatched one SKIPS the payment."""
    code = ctx.settings.bank_accounts.get(payment.bank_account)
    if code is None:
        problems.skip(f"The bank account {payment.bank_account} is not matched to a Xero bank account.")
    return code


def payment_date(payment: Payment, what: str, ctx: MappingContext, problems: Problems) -> str:
    """The payment's date as sent, after the lock-date rule (lock_dates.py)."""
    return day(open_date(payment.date, what, ctx, problems))


def payment_element(payment: Payment, ctx: MappingContext) -> dict[str, Any]:
    """The /Payments element of a platform payment.

    Raises NotMapped: SKIPPED when it is applied to no document, is of zero (Xero takes none), or
    its bank account is not matched; PARKED while its document is not in Xero or its date is locked.
    """
    entity, platform_id = paid_document(payment)
    problems = Problems()
    if payment.amount == 0:
        problems.skip("The payment is of 0.00, and Xero takes no payment of zero.")
    code = bank_account_code(payment, ctx, problems)
    document_id = ctx.xero_id_of(entity, platform_id)
    if document_id is None:
        problems.park(f"The {entity.value} {platform_id} it pays is not in Xero yet.")
    on = payment_date(payment, "The payment", ctx, problems)
    problems.raise_any()

    element: dict[str, Any] = {
        "Invoice": {"InvoiceID": document_id},
        "Account": {"Code": code},
        "Date": on,
        "Amount": money(payment.amount),
    }
    if payment.reference:
        element["Reference"] = payment.reference
    return element
