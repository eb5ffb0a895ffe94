"""A record mapped out to Xero (shared/domain/mapping) and read back from Xero's answer is the same record.

Without the stored body, a record in canonical form (what a platform writing Xero's own values
would hold) comes back equal. With it, every record does: a field whose stored value maps out to
what Xero holds keeps that value (a default account left implicit, a tax code left to the account,
an item's account, no currency, no due date).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shared.domain.inbound.from_xero import body_from_xero
from shared.domain.mapping.contacts import contact_element
from shared.domain.mapping.credit_notes import allocation_elements, credit_note_element
from shared.domain.mapping.documents import document_element
from shared.domain.mapping.items import item_element
from shared.domain.mapping.payments import payment_element
from shared.domain.records import Address, Allocation, AmountsAre, DocumentStatus, Entity, RecordBody
from shared.domain.sync_settings import ReferenceField
from tests.unit.inbound.inbound_world import (
    answered_contact,
    answered_credit_note,
    answered_invoice,
    answered_item,
    answered_payment,
    inbound_context,
)
from tests.unit.mapping.mapping_world import (
    DAY,
    bill,
    contact,
    context,
    credit_note,
    invoice,
    item,
    line,
    payment,
    settings,
)


def read_back(entity: Entity, answer: dict[str, Any], base: RecordBody | None = None) -> RecordBody:
    stored = base.model_dump(mode="json") if base is not None else None
    return body_from_xero(entity, answer, inbound_context(), stored)


def a_full_contact() -> Any:
    return contact(
        contact_number="CUST-7",
        email="accounts@acme.example",
        first_name="Ada",
        last_name="Lovelace",
        phone="02 9999 1234",
        tax_number="12 345 678 901",
        address=Address(line1="1 Main St", line2="Level 2", city="Sydney", region="NSW", postal_code="2000"),
    )


def test_a_contact_comes_back_as_it_went() -> None:
    # Given a contact with every field, as Xero answers its creation
    original = a_full_contact()
    answer = answered_contact(contact_element(original, None))
    # When it is read back without the stored body / Then it is the same contact
    assert read_back(Entity.CONTACT, answer) == original


def test_a_supplier_contact_keeps_its_roles_with_its_stored_body() -> None:
    # Given a supplier (not a customer) that Xero shows with no roles yet, its name sent trimmed
    original = contact(name=" Fees Ltd ", is_customer=False, is_supplier=True)
    answer = answered_contact(contact_element(original, "xero-contact-1"))
    # When it is read back over its stored body / Then it is unchanged
    assert read_back(Entity.CONTACT, answer, base=original) == original


def test_an_item_comes_back_with_its_four_place_prices() -> None:
    # Given an item priced to 4 places, read with unitdp=4
    original = item(description="Hourly consulting", sale_price=Decimal("120.1234"), purchase_price=Decimal("80"))
    answer = answered_item(item_element(original, context(), None))
    # When it is read back / Then nothing is lost
    assert read_back(Entity.ITEM, answer) == original


def canonical_invoice() -> Any:
    """An invoice that names what Xero holds: currency, due date, tax codes; accounts only where not the default."""
    return invoice(
        currency="AUD",
        job_number="JOB-42",
        lines=[
            line(tax_code="GST", tracking={"area": "north"}),
            line(
                description="Travel",
                quantity=Decimal("1.5"),
                unit_amount=Decimal("33.3333"),
                account_code="260",
                tax_code="FREE",
                discount_rate=Decimal("12.5"),
            ),
        ],
    )


def test_an_invoice_comes_back_as_it_went() -> None:
    # Given an invoice in canonical form, answered by Xero with its lines figured
    original = canonical_invoice()
    answer = answered_invoice(document_element(Entity.INVOICE, original, context(), None))
    # When it is read back without the stored body / Then it is the same invoice
    assert read_back(Entity.INVOICE, answer) == original


def test_an_invoice_that_left_things_to_defaults_comes_back_as_stored() -> None:
    # Given an invoice with no currency, no due date, an item's account and a tax code left to the account
    original = invoice(
        currency=None,
        due_date=None,
        lines=[line(item_code="CONSULT"), line(description="Call-out", tax_code=None)],
        location="Bondi",
    )
    answer = answered_invoice(document_element(Entity.INVOICE, original, context(), None))
    # When it is read back over its stored body / Then it is unchanged
    assert read_back(Entity.INVOICE, answer, base=original) == original


def test_a_bill_comes_back_as_it_went() -> None:
    # Given a bill with the supplier's number, its lines on the expense side
    parts = line(description="Parts", account_code="310", tax_code="GST-IN")
    original = bill(currency="AUD", lines=[line(tax_code="GST-IN"), parts])
    answer = answered_invoice(document_element(Entity.BILL, original, context(), None), xero_id="xero-bill-1")
    # When it is read back / Then it is the same bill
    assert read_back(Entity.BILL, answer) == original


def test_a_draft_sent_as_draft_stays_a_draft() -> None:
    # Given a draft invoice / When it goes to Xero and comes back / Then it is still a draft
    original = canonical_invoice().model_copy(update={"status": DocumentStatus.DRAFT})
    answer = answered_invoice(document_element(Entity.INVOICE, original, context(), None))
    assert read_back(Entity.INVOICE, answer) == original


@pytest.mark.parametrize("fields", [[ReferenceField.JOB_NUMBER, ReferenceField.CUSTOMER_REFERENCE]])
def test_several_reference_fields_come_back_split(fields: list[ReferenceField]) -> None:
    # Given a tenant joining two fields into Reference
    ctx = context(settings_=settings(reference_fields=fields))
    original = canonical_invoice().model_copy(update={"customer_reference": "PO 7"})
    answer = answered_invoice(document_element(Entity.INVOICE, original, ctx, None))
    # When it is read back / Then each field gets its part
    inbound = inbound_context(settings_=settings(reference_fields=fields))
    read = body_from_xero(Entity.INVOICE, answer, inbound)
    assert (read.job_number, read.customer_reference) == ("JOB-42", "PO 7")  # type: ignore[union-attr]


def test_a_credit_note_and_its_allocation_come_back() -> None:
    # Given a sales credit note allocated to invoice i-1, dated and in canonical form
    original = credit_note(
        currency="AUD",
        amounts_are=AmountsAre.INCLUSIVE,
        lines=[line(tax_code="GST")],
        allocations=[Allocation(invoice_id="i-1", amount=Decimal("40.00"), date=date(2026, 3, 5))],
    )
    element = credit_note_element(original, context(), None)
    answer = answered_credit_note(element, allocation_elements(original, context()))
    # When it is read back / Then it is the same credit note
    assert read_back(Entity.CREDIT_NOTE, answer) == original


def test_an_allocation_dated_by_its_credit_note_comes_back_undated() -> None:
    # Given an allocation without a date (it takes the credit note's), and its stored body
    original = credit_note(allocations=[Allocation(invoice_id="i-1", amount=Decimal("40.00"))])
    answer = answered_credit_note(
        credit_note_element(original, context(), None), allocation_elements(original, context())
    )
    # When it is read back over the stored body / Then it is unchanged
    assert read_back(Entity.CREDIT_NOTE, answer, base=original) == original


def test_a_payment_comes_back_as_it_went() -> None:
    # Given a receipt against invoice i-1 into the platform's main account
    original = payment(reference="Stripe po_123")
    answer = answered_payment(payment_element(original, context()))
    # When it is read back / Then it is the same payment
    assert read_back(Entity.PAYMENT, answer) == original


def test_a_payment_keeps_its_discount_and_fee_which_xero_holds_apart() -> None:
    # Given a payment with a discount and a fee (their own records in Xero), and its stored body
    original = payment(discount=Decimal("5.00"), fee=Decimal("1.20"), date=DAY)
    answer = answered_payment(payment_element(original, context()))
    # When it is read back over its stored body / Then discount and fee are kept
    assert read_back(Entity.PAYMENT, answer, base=original) == original
