"""Credit notes as /CreditNotes elements, and their allocations (FACTS.md §4.9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import NotMapped
from shared.domain.mapping.credit_notes import allocation_elements, credit_note_element
from shared.domain.records import Allocation
from shared.domain.sync_settings import LockDatePolicy
from tests.unit.mapping.mapping_world import context, credit_note, line, reference, settings

TEN = Decimal("10.00")


def test_a_sales_credit_note_is_an_authorised_accreccredit_element() -> None:
    # Given a sales credit note of a contact in Xero
    # When it is mapped
    element = credit_note_element(credit_note(), context(), None)
    # Then it is complete, and AUTHORISED so that it can be allocated
    assert element == {
        "Type": "ACCRECCREDIT",
        "Contact": {"ContactID": "xero-contact-1"},
        "Date": "2026-03-02",
        "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Consulting", "Quantity": 2.0, "UnitAmount": 50.0, "AccountCode": "200"}],
        "CurrencyCode": "AUD",
        "Status": "AUTHORISED",
        "CreditNoteNumber": "CN-1",
    }


def test_a_purchases_credit_note_is_accpaycredit_on_the_expense_account() -> None:
    # Given a supplier's credit note / When it is mapped
    element = credit_note_element(credit_note(kind="purchases"), context(), None)
    # Then it is ACCPAYCREDIT and its line falls back on the expense account
    assert (element["Type"], element["LineItems"][0]["AccountCode"]) == ("ACCPAYCREDIT", "400")


def test_an_update_names_the_xero_credit_note() -> None:
    # When a credit note is mapped with its Xero id / Then the element names it
    assert credit_note_element(credit_note(), context(), "xero-cn-1")["CreditNoteID"] == "xero-cn-1"


def test_a_credit_note_whose_contact_is_not_in_xero_yet_is_parked() -> None:
    # Given the contact has not reached Xero
    with pytest.raises(NotMapped) as refused:
        credit_note_element(credit_note(contact_id="c-2"), context(), None)
    # Then it waits
    assert refused.value.state is SyncState.PARKED


def test_a_discounted_credit_note_line_is_skipped() -> None:
    # Given a credit note line with a discount (FACTS.md §4.6: none on credit notes)
    with pytest.raises(NotMapped) as refused:
        credit_note_element(credit_note(lines=[line(discount_rate=Decimal(5))]), context(), None)
    # Then it is skipped with the reason
    assert refused.value.state is SyncState.SKIPPED


def test_a_credit_note_dated_in_the_locked_period_is_parked() -> None:
    # Given a lock date after the credit note's date
    ctx = context(reference_=reference(period_lock_date=date(2026, 3, 31)))
    with pytest.raises(NotMapped) as refused:
        credit_note_element(credit_note(), ctx, None)
    # Then it waits, naming the credit note
    assert refused.value.reason.startswith("The credit note CN-1 is dated 2026-03-02")


def test_an_allocation_names_the_xero_invoice_and_defaults_to_the_credit_notes_date() -> None:
    # Given a credit note allocated to an invoice in Xero, with no allocation date
    allocated = credit_note(allocations=[Allocation(invoice_id="i-1", amount=TEN)])
    # When its allocations are mapped / Then Xero gets the invoice, amount and date
    assert allocation_elements(allocated, context()) == [
        {"Invoice": {"InvoiceID": "xero-invoice-1"}, "Amount": 10.0, "Date": "2026-03-02"}
    ]


def test_an_allocation_keeps_its_own_date() -> None:
    # Given an allocation dated after the credit note
    allocated = credit_note(allocations=[Allocation(invoice_id="i-1", amount=TEN, date=date(2026, 3, 9))])
    # When mapped / Then its own date is sent
    assert allocation_elements(allocated, context())[0]["Date"] == "2026-03-09"


def test_a_purchases_credit_note_is_allocated_to_a_bill() -> None:
    # Given a supplier's credit note allocated to bill b-1
    allocated = credit_note(kind="purchases", allocations=[Allocation(invoice_id="b-1", amount=TEN)])
    # When mapped / Then the bill's Xero id is used
    assert allocation_elements(allocated, context())[0]["Invoice"] == {"InvoiceID": "xero-bill-1"}


def test_an_allocation_to_a_document_not_in_xero_yet_is_parked() -> None:
    # Given an allocation to an invoice that has not reached Xero
    allocated = credit_note(allocations=[Allocation(invoice_id="i-9", amount=TEN)])
    with pytest.raises(NotMapped) as refused:
        allocation_elements(allocated, context())
    # Then it waits, naming the invoice
    assert (refused.value.state, refused.value.reason) == (
        SyncState.PARKED,
        "The invoice i-9 it is allocated to is not in Xero yet.",
    )


def test_a_locked_allocation_moves_with_the_tenants_policy() -> None:
    # Given a lock date after the allocation's date, and the MOVE policy
    ctx = context(
        settings_=settings(lock_dates=LockDatePolicy.MOVE_TO_OPEN_PERIOD),
        reference_=reference(period_lock_date=date(2026, 3, 31)),
    )
    allocated = credit_note(allocations=[Allocation(invoice_id="i-1", amount=TEN)])
    # When mapped / Then it is dated the first open day
    assert allocation_elements(allocated, ctx)[0]["Date"] == "2026-04-01"
