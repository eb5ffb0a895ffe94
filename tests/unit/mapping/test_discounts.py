"""An early-payment discount as a credit note allocated to the paid document (issue 4, §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import MappingContext, NotMapped
from shared.domain.mapping.discounts import discount_allocation_element, discount_credit_note_element
from shared.domain.records import AmountsAre, Document, Entity
from tests.unit.mapping.mapping_world import context, invoice, line, payment, reference, settings

FIVE = Decimal("5.00")


def paid(document: Document, entity: Entity = Entity.INVOICE, platform_id: str = "i-1") -> MappingContext:
    """A context in which `document` is the paid document."""
    return context(documents={(entity, platform_id): document})


def discount_of(ctx: MappingContext | None = None, **payment_changes: Any) -> dict[str, Any]:
    element = discount_credit_note_element(payment(discount=FIVE, **payment_changes), ctx or context())
    assert element is not None
    return element


def test_a_payment_without_a_discount_makes_no_credit_note() -> None:
    # Given a payment without a discount / When mapped / Then there is no credit note
    assert discount_credit_note_element(payment(), context()) is None


def test_an_invoices_discount_is_a_sales_credit_note_for_its_contact_of_exactly_the_discount() -> None:
    # Given a receipt of 95.00 with 5.00 discount on invoice INV-1
    # When the discount is mapped
    element = discount_of()
    # Then it is an AUTHORISED ACCRECCREDIT for the invoice's contact, tax-inclusive so its total is 5.00
    assert element == {
        "Type": "ACCRECCREDIT",
        "Contact": {"ContactID": "xero-contact-1"},
        "Date": "2026-03-02",
        "LineAmountTypes": "Inclusive",
        "LineItems": [
            {
                "Description": "Early payment discount on invoice INV-1",
                "Quantity": 1.0,
                "UnitAmount": 5.0,
                "AccountCode": "200",
            }
        ],
        "CurrencyCode": "AUD",
        "Status": "AUTHORISED",
    }


def test_a_bills_discount_is_a_suppliers_credit_note() -> None:
    # Given a bill paid with a discount / When mapped / Then it is ACCPAYCREDIT on the bill's account
    element = discount_of(invoice_id="b-1", document="bill")
    assert (element["Type"], element["LineItems"][0]["AccountCode"]) == ("ACCPAYCREDIT", "400")


def test_the_discount_is_coded_to_the_account_and_tax_all_lines_share() -> None:
    # Given an invoice whose lines all go to 260 with GST
    coded = invoice(lines=[line(account_code="260", tax_code="GST"), line(item_code="CONSULT", tax_code="GST")])
    # When its discount is mapped / Then it is coded the same way
    discount_line = discount_of(paid(coded))["LineItems"][0]
    assert (discount_line["AccountCode"], discount_line["TaxType"]) == ("260", "OUTPUT")


def test_lines_coded_differently_leave_the_discount_on_the_default_account_and_its_tax() -> None:
    # Given an invoice with lines on two accounts and two tax codes
    mixed = invoice(lines=[line(account_code="260", tax_code="GST"), line(tax_code="FREE")])
    # When its discount is mapped / Then the default sales account is used, and no TaxType (the account's default)
    discount_line = discount_of(paid(mixed))["LineItems"][0]
    assert (discount_line["AccountCode"], "TaxType" in discount_line) == ("200", False)


def test_the_discount_of_an_untaxed_document_carries_no_tax() -> None:
    # Given an invoice whose amounts carry no tax / When its discount is mapped / Then it is NoTax
    assert discount_of(paid(invoice(amounts_are=AmountsAre.NO_TAX)))["LineAmountTypes"] == "NoTax"


def test_the_discount_is_in_the_documents_currency() -> None:
    # Given an invoice in NZD (an allocation needs one currency) / When mapped / Then the credit note is in NZD
    assert discount_of(paid(invoice(currency="NZD")))["CurrencyCode"] == "NZD"


def test_a_discount_on_a_document_xero_sync_does_not_have_is_parked() -> None:
    # Given the paid invoice has not reached xero-sync
    with pytest.raises(NotMapped) as refused:
        discount_credit_note_element(payment(discount=FIVE), context(documents={}))
    # Then the discount waits
    assert (refused.value.state, refused.value.reason) == (
        SyncState.PARKED,
        "The invoice i-1 it pays has not reached xero-sync yet.",
    )


def test_a_discount_whose_contact_is_not_in_xero_yet_is_parked() -> None:
    # Given the invoice's contact has not reached Xero
    with pytest.raises(NotMapped) as refused:
        discount_of(paid(invoice(contact_id="c-2")))
    # Then the discount waits
    assert refused.value.state is SyncState.PARKED


def test_a_discount_without_any_account_is_skipped() -> None:
    # Given an invoice with mixed accounts and no default sales account
    mixed = invoice(lines=[line(account_code="260"), line(account_code="200")])
    ctx = context(settings_=settings(sales_account=None), documents={(Entity.INVOICE, "i-1"): mixed})
    # When its discount is mapped / Then it is skipped asking for a default sales account
    with pytest.raises(NotMapped) as refused:
        discount_of(ctx)
    assert refused.value.state is SyncState.SKIPPED
    assert "choose a default sales account" in refused.value.reason


def test_the_discount_is_allocated_to_the_paid_document_in_full() -> None:
    # Given the discount's credit note is in Xero / When the allocation is mapped
    element = discount_allocation_element(payment(discount=FIVE), context(), "xero-invoice-1")
    # Then all of it goes to the invoice, on the payment's date
    assert element == {"Invoice": {"InvoiceID": "xero-invoice-1"}, "Amount": 5.0, "Date": "2026-03-02"}


def test_a_discount_allocation_in_the_locked_period_is_parked() -> None:
    # Given a lock date after the payment's date
    ctx = context(reference_=reference(period_lock_date=date(2026, 3, 31)))
    with pytest.raises(NotMapped) as refused:
        discount_allocation_element(payment(discount=FIVE), ctx, "xero-invoice-1")
    # Then it waits
    assert refused.value.state is SyncState.PARKED


def test_no_allocation_is_made_for_a_payment_without_a_discount() -> None:
    # When the allocation of a payment without a discount is asked for / Then it is a programming error
    with pytest.raises(ValueError, match="no discount"):
        discount_allocation_element(payment(), context(), "xero-invoice-1")
