"""Platform receipts and bill payments as /Payments elements (FACTS.md §4.8; issue 4, §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import NotMapped
from shared.domain.mapping.payments import payment_element
from shared.domain.records import Payment
from tests.unit.mapping.mapping_world import context, payment, reference


def verdict(refused_payment: Payment) -> NotMapped:
    with pytest.raises(NotMapped) as refused:
        payment_element(refused_payment, context())
    return refused.value


def test_a_receipt_is_a_payment_against_the_xero_invoice_from_the_matched_bank_account() -> None:
    # Given a receipt against an invoice in Xero, into the platform's main account
    # When it is mapped / Then Xero gets the invoice, the bank account by Code, the date and the amount
    assert payment_element(payment(reference="Card ending 4242"), context()) == {
        "Invoice": {"InvoiceID": "xero-invoice-1"},
        "Account": {"Code": "090"},
        "Date": "2026-03-02",
        "Amount": 95.0,
        "Reference": "Card ending 4242",
    }


def test_a_bill_payment_is_against_the_xero_bill() -> None:
    # Given a payment of bill b-1 / When it is mapped / Then the bill's Xero id is used
    element = payment_element(payment(invoice_id="b-1", document="bill"), context())
    assert element["Invoice"] == {"InvoiceID": "xero-bill-1"}


def test_a_payment_not_applied_to_a_document_is_skipped() -> None:
    # Given a payment applied to nothing / When mapped / Then it is skipped (Xero needs a document)
    refused = verdict(payment(invoice_id=None))
    assert (refused.state, refused.reason) == (
        SyncState.SKIPPED,
        "The payment is not applied to an invoice or bill, and Xero takes payments against documents only.",
    )


def test_a_payment_into_an_unmatched_bank_account_is_skipped() -> None:
    # Given a payment onto a card the tenant did not match / When mapped / Then it is skipped naming the card
    refused = verdict(payment(bank_account="amex"))
    assert (refused.state, refused.reason) == (
        SyncState.SKIPPED,
        "The bank account amex is not matched to a Xero bank account.",
    )


def test_a_payment_of_zero_is_skipped() -> None:
    # Given a payment of 0.00 / When mapped / Then it is skipped (Xero takes no payment of zero)
    assert verdict(payment(amount=Decimal(0))).state is SyncState.SKIPPED


def test_a_payment_of_a_document_not_in_xero_yet_is_parked() -> None:
    # Given a payment of an invoice that has not reached Xero / When mapped / Then it waits, naming it
    refused = verdict(payment(invoice_id="i-9"))
    assert (refused.state, refused.reason) == (SyncState.PARKED, "The invoice i-9 it pays is not in Xero yet.")


def test_a_payment_dated_in_the_locked_period_is_parked() -> None:
    # Given a lock date after the payment's date
    ctx = context(reference_=reference(period_lock_date=date(2026, 3, 31)))
    with pytest.raises(NotMapped) as refused:
        payment_element(payment(), ctx)
    # Then it waits, naming it
    assert refused.value.reason.startswith("The payment is dated 2026-03-02")
