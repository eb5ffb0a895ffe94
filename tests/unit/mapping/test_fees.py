"""The platform's fee on a payment as a bill from the fee supplier, paid from the same bank account (issue 4, §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import NotMapped
from shared.domain.mapping.fees import fee_bill_element, fee_payment_element, fee_supplier_element
from shared.domain.records import Entity
from tests.unit.mapping.mapping_world import context, invoice, payment, reference, settings

FEE = Decimal("2.85")


def fee_bill(**payment_changes: Any) -> dict[str, Any]:
    element = fee_bill_element(payment(fee=FEE, **payment_changes), context(), "xero-fees")
    assert element is not None
    return element


def test_the_fee_supplier_is_a_contact_named_as_the_tenant_chose() -> None:
    # Given a tenant naming its fee supplier
    # When the supplier is mapped / Then the contact carries that name
    assert fee_supplier_element(settings(fee_supplier="Stripe fees")) == {"Name": "Stripe fees"}


def test_a_payment_without_a_fee_makes_no_fee_bill() -> None:
    # Given a payment without a fee / When mapped / Then there is no bill
    assert fee_bill_element(payment(), context(), "xero-fees") is None


def test_the_fee_is_an_authorised_bill_from_the_fee_supplier_on_the_fee_account() -> None:
    # Given a receipt against INV-1 on which the platform kept 2.85
    # When its fee is mapped
    element = fee_bill(reference="pi_123")
    # Then it is an AUTHORISED bill of exactly 2.85, dated and due the payment's date
    assert element == {
        "Type": "ACCPAY",
        "Contact": {"ContactID": "xero-fees"},
        "Date": "2026-03-02",
        "DueDate": "2026-03-02",
        "LineAmountTypes": "Inclusive",
        "LineItems": [
            {
                "Description": "Fee on the payment of 2026-03-02 for invoice INV-1",
                "Quantity": 1.0,
                "UnitAmount": 2.85,
                "AccountCode": "404",
            }
        ],
        "CurrencyCode": "AUD",
        "Status": "AUTHORISED",
        "InvoiceNumber": "pi_123",
    }


def test_the_fee_bill_is_in_the_paid_documents_currency() -> None:
    # Given the paid invoice is in NZD
    ctx = context(documents={(Entity.INVOICE, "i-1"): invoice(currency="NZD")})
    # When the fee is mapped / Then the bill is in NZD
    element = fee_bill_element(payment(fee=FEE), ctx, "xero-fees")
    assert element is not None
    assert element["CurrencyCode"] == "NZD"


def test_a_fee_without_a_fee_account_is_skipped() -> None:
    # Given no fee account
    with pytest.raises(NotMapped) as refused:
        fee_bill_element(payment(fee=FEE), context(settings_=settings(fee_account=None)), "xero-fees")
    # Then the fee is skipped with the reason
    assert (refused.value.state, refused.value.reason) == (
        SyncState.SKIPPED,
        "The payment carries a fee of 2.85, and no fee account is chosen to record it.",
    )


def test_a_fee_bill_in_the_locked_period_is_parked() -> None:
    # Given a lock date after the payment's date
    with pytest.raises(NotMapped) as refused:
        fee_bill_element(
            payment(fee=FEE), context(reference_=reference(period_lock_date=date(2026, 3, 31))), "xero-fees"
        )
    # Then it waits
    assert refused.value.state is SyncState.PARKED


def test_the_fee_bill_is_paid_from_the_payments_own_bank_account() -> None:
    # Given the fee bill is in Xero / When its payment is mapped
    element = fee_payment_element(payment(fee=FEE), context(), "xero-fee-bill")
    # Then the fee is paid from the same bank account on the payment's date
    assert element == {
        "Invoice": {"InvoiceID": "xero-fee-bill"},
        "Account": {"Code": "090"},
        "Date": "2026-03-02",
        "Amount": 2.85,
    }


def test_a_fee_payment_from_an_unmatched_bank_account_is_skipped() -> None:
    # Given the payment's card is not matched to a Xero account
    with pytest.raises(NotMapped) as refused:
        fee_payment_element(payment(fee=FEE, bank_account="amex"), context(), "xero-fee-bill")
    # Then it is skipped
    assert refused.value.state is SyncState.SKIPPED


def test_no_fee_payment_is_made_for_a_payment_without_a_fee() -> None:
    # When the fee payment of a payment without a fee is asked for / Then it is a programming error
    with pytest.raises(ValueError, match="no fee"):
        fee_payment_element(payment(), context(), "xero-fee-bill")
