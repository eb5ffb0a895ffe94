"""Xero's JSON read as the platform's bodies: one test per rule of shared/domain/inbound/from_xero.py."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from shared.domain.inbound.from_xero import NotImportableError, body_from_xero, read_record
from shared.domain.mapping.contacts import contact_element
from shared.domain.mapping.documents import document_element
from shared.domain.mapping.payments import payment_element
from shared.domain.records import Contact, Entity, Invoice, Payment
from shared.domain.sync_settings import TrackingMapping
from tests.unit.inbound.inbound_world import (
    WRITTEN_AT,
    answered_contact,
    answered_invoice,
    answered_payment,
    inbound_context,
    ms,
)
from tests.unit.mapping.mapping_world import contact, context, invoice, line, payment, settings


def an_invoice_answer(**changes: Any) -> dict[str, Any]:
    element = document_element(Entity.INVOICE, invoice(currency="AUD", lines=[line(tax_code="GST")]), context(), None)
    return answered_invoice(element, **changes)


def a_line(**changes: Any) -> dict[str, Any]:
    answer: dict[str, Any] = an_invoice_answer()["LineItems"][0]
    return {**answer, **changes}


def read_invoice(answer: dict[str, Any], **context_changes: Any) -> Invoice:
    body = body_from_xero(Entity.INVOICE, answer, inbound_context(**context_changes))
    assert isinstance(body, Invoice)
    return body


def refusal(entity: Entity, answer: object, **context_changes: Any) -> NotImportableError:
    with pytest.raises(NotImportableError) as refused:
        body_from_xero(entity, answer, inbound_context(**context_changes))  # type: ignore[arg-type]
    return refused.value


# --- values -----------------------------------------------------------------------------------------


def test_dates_are_read_from_ms_json_and_from_iso_text() -> None:
    # Given one invoice dated in MS-JSON and one in ISO text (its DateString form)
    ms_json = an_invoice_answer(Date=ms(date(2026, 3, 2)))
    iso = an_invoice_answer(Date="2026-03-02T00:00:00")
    # When both are read / Then they carry the same date
    assert read_invoice(ms_json).date == read_invoice(iso).date == date(2026, 3, 2)


def test_a_json_number_is_read_through_its_text() -> None:
    # Given a unit amount of 0.1 as a JSON number (a float)
    answer = an_invoice_answer(LineItems=[a_line(UnitAmount=0.1)])
    # When it is read / Then it is exactly 0.1, not its binary approximation
    assert read_invoice(answer).lines[0].unit_amount == Decimal("0.1")


def test_a_sales_invoice_sent_without_a_number_reads_back_with_xeros() -> None:
    # Given an invoice sent without a number, which Xero numbered INV-0001
    element = document_element(Entity.INVOICE, invoice(number=None), context(), None)
    # When it is read back / Then the platform learns the number
    assert read_invoice(answered_invoice(element)).number == "INV-0001"


# --- lines ------------------------------------------------------------------------------------------


def test_a_tax_type_becomes_the_first_platform_code_mapped_to_it() -> None:
    # Given two platform codes mapped to OUTPUT, GST listed first
    tax_rates = {"GST": "OUTPUT", "GST-ALT": "OUTPUT"}
    # When a line taxed OUTPUT is read / Then it carries GST
    read = read_invoice(an_invoice_answer(), settings_=settings(tax_rates=tax_rates))
    assert read.lines[0].tax_code == "GST"


def test_the_accounts_own_tax_type_needs_no_platform_code() -> None:
    # Given no platform code for OUTPUT, the default tax type of account 200
    # When the line is read / Then it has no tax code (the account applies its own)
    read = read_invoice(an_invoice_answer(), settings_=settings(tax_rates={}))
    assert read.lines[0].tax_code is None


def test_an_unmapped_tax_type_stops_the_record_naming_the_line() -> None:
    # Given a line taxed EXEMPTOUTPUT, which is not account 200's default, and no mapping for it
    answer = an_invoice_answer(LineItems=[a_line(TaxType="EXEMPTOUTPUT")])
    # When it is read / Then it is refused with the line and the tax rate named
    refused = refusal(Entity.INVOICE, answer, settings_=settings(tax_rates={}))
    assert refused.reasons == (
        'Line 1 ("Consulting") has the Xero tax rate EXEMPTOUTPUT, which is not mapped to a platform tax code.',
    )


def test_a_document_without_tax_takes_no_tax_code() -> None:
    # Given a NoTax invoice whose line carries an unmapped tax type
    answer = an_invoice_answer(LineAmountTypes="NoTax", LineItems=[a_line(TaxType="EXEMPTOUTPUT")])
    # When it is read / Then the line has no tax code and nothing is refused
    assert read_invoice(answer, settings_=settings(tax_rates={})).lines[0].tax_code is None


def test_an_account_other_than_the_default_is_kept_on_the_line() -> None:
    # Given a bookkeeper recoding the line to account 260
    answer = an_invoice_answer(LineItems=[a_line(AccountCode="260")])
    # When it is read / Then the line names 260
    assert read_invoice(answer).lines[0].account_code == "260"


def test_xeros_item_code_names_the_item_and_its_mapped_account_is_implied() -> None:
    # Given a line with ItemCode CONSULT coded to 260, the account CONSULT is mapped to
    answer = an_invoice_answer(LineItems=[a_line(ItemCode="CONSULT", AccountCode="260")])
    # When it is read / Then the line names the item and no account of its own
    read = read_invoice(answer).lines[0]
    assert (read.item_code, read.account_code) == ("CONSULT", None)


def test_a_tracking_category_the_tenant_did_not_map_is_left_out() -> None:
    # Given a line tracked by Region (mapped) and Department (not mapped)
    tracking = [{"Name": "Region", "Option": "North"}, {"Name": "Department", "Option": "Sales"}]
    # When it is read / Then only the mapped category comes over
    assert read_invoice(an_invoice_answer(LineItems=[a_line(Tracking=tracking)])).lines[0].tracking == {"area": "north"}


def test_an_unmapped_option_of_a_mapped_category_stops_the_record() -> None:
    # Given a line tracked by Region's option South, which the tenant has not mapped
    answer = an_invoice_answer(LineItems=[a_line(Tracking=[{"Name": "Region", "Option": "South"}])])
    # When it is read / Then it is refused, naming the option and the platform category
    [reason] = refusal(Entity.INVOICE, answer).reasons
    assert (
        reason == 'Line 1 ("Consulting") has the Region option South, which is not mapped to a platform option of area.'
    )


def test_a_tracking_option_comes_back_under_the_first_platform_option_mapped_to_it() -> None:
    # Given two platform options mapped to North
    tracking = [
        TrackingMapping(platform_category="area", xero_category="Region", options={"n": "North", "north": "North"})
    ]
    answer = an_invoice_answer(LineItems=[a_line(Tracking=[{"Name": "Region", "Option": "North"}])])
    # When it is read / Then the first one is taken
    assert read_invoice(answer, settings_=settings(tracking=tracking)).lines[0].tracking == {"area": "n"}


def test_a_discount_given_as_an_amount_becomes_the_rate_with_the_same_line_amount() -> None:
    # Given 2 x 50.00 less a discount of 12.50
    answer = an_invoice_answer(LineItems=[a_line(DiscountAmount=12.5)])
    # When it is read / Then the discount is 12.5 %
    assert read_invoice(answer).lines[0].discount_rate == Decimal("12.5000")


def test_a_discount_amount_no_rate_can_express_stops_the_record() -> None:
    # Given 1,000,000.00 less a discount of 0.01: a rate to 4 places rounds it away
    answer = an_invoice_answer(LineItems=[a_line(Quantity=1, UnitAmount=1000000, DiscountAmount=0.01)])
    # When it is read / Then it is refused
    assert refusal(Entity.INVOICE, answer).reasons == (
        'Line 1 ("Consulting") has a discount of 0.01, which the platform cannot hold as a rate.',
    )


def test_a_line_without_a_description_takes_its_items_name() -> None:
    # Given a line Xero filled from an item, with no description of its own
    answer = an_invoice_answer(LineItems=[a_line(Description="", ItemCode="CONSULT", Item={"Name": "Consulting hour"})])
    # When it is read / Then its description is the item's name
    assert read_invoice(answer).lines[0].description == "Consulting hour"


# --- references to other records ----------------------------------------------------------------------


def test_a_document_whose_contact_is_not_on_the_platform_waits_for_it() -> None:
    # Given an invoice of a contact the ledger does not know
    answer = an_invoice_answer(Contact={"ContactID": "XERO-CONTACT-9", "Name": "Newco"})
    # When it is read / Then it waits for that contact and for nothing else
    refused = refusal(Entity.INVOICE, answer)
    assert (refused.only_waits, refused.waits_for) == (True, ((Entity.CONTACT, "xero-contact-9"),))
    assert refused.reasons == ("Its contact Newco is not on the platform yet.",)


def test_every_reason_is_given_at_once() -> None:
    # Given an invoice of an unknown contact with an unmapped tax type
    answer = an_invoice_answer(Contact={"ContactID": "xero-contact-9"}, LineItems=[a_line(TaxType="EXEMPTOUTPUT")])
    # When it is read / Then both reasons are given, and it does not only wait
    refused = refusal(Entity.INVOICE, answer, settings_=settings(tax_rates={}))
    assert (len(refused.reasons), refused.only_waits) == (2, False)


def test_a_payment_of_a_credit_note_is_not_a_platform_payment() -> None:
    # Given a refund paid against a credit note
    answer = answered_payment(payment_element(payment(), context()), paid_type="ACCRECCREDIT")
    # When it is read / Then it is refused, saying what the platform records
    [reason] = refusal(Entity.PAYMENT, answer).reasons
    assert reason.startswith("The payment is against a ACCRECCREDIT: the platform records payments against invoices")


def test_a_payment_into_an_unmatched_bank_account_is_refused() -> None:
    # Given a payment into account 091, which no platform account is matched to
    element = payment_element(payment(), context())
    answer = answered_payment({**element, "Account": {"Code": "091"}})
    # When it is read / Then it is refused naming the account
    assert refusal(Entity.PAYMENT, answer).reasons == (
        "The Xero account 091 it was paid into is not matched to a platform bank account.",
    )


def test_a_payment_keeps_its_stored_bank_account_when_two_share_the_xero_account() -> None:
    # Given "card" and "main" both matched to 090, and a payment stored from "card"
    ctx = inbound_context(settings_=settings(bank_accounts={"main": "090", "card": "090"}))
    original = payment(bank_account="card")
    answer = answered_payment(payment_element(original, context(settings_=ctx.settings)))
    # When it is read with and without the stored body
    kept = body_from_xero(Entity.PAYMENT, answer, ctx, original.model_dump(mode="json"))
    new = body_from_xero(Entity.PAYMENT, answer, ctx)
    # Then the stored one keeps "card", a new one takes the first listed
    assert (kept, new) == (original, original.model_copy(update={"bank_account": "main"}))


def test_a_bills_payment_is_a_payment_of_the_bill() -> None:
    # Given a payment of bill b-1
    element = {**payment_element(payment(), context()), "Invoice": {"InvoiceID": "xero-bill-1"}}
    body = body_from_xero(Entity.PAYMENT, answered_payment(element, paid_type="ACCPAY"), inbound_context())
    # When it is read / Then it pays the bill
    assert isinstance(body, Payment)
    assert (body.document, body.invoice_id) == ("bill", "b-1")


# --- contacts -----------------------------------------------------------------------------------------


def test_a_contact_new_from_xero_takes_xeros_roles() -> None:
    # Given a Xero contact with bills only
    answer = answered_contact({"Name": "Parts Co"}, IsSupplier=True)
    # When it is read / Then it is a supplier and not a customer
    body = body_from_xero(Entity.CONTACT, answer, inbound_context())
    assert isinstance(body, Contact)
    assert (body.is_customer, body.is_supplier) == (False, True)


def test_xero_only_adds_roles_to_a_stored_contact() -> None:
    # Given a stored customer that Xero now shows as a supplier too (and not yet as a customer)
    stored = contact()
    answer = answered_contact(contact_element(stored, "xero-contact-1"), IsSupplier=True)
    # When it is read over the stored body / Then it is both
    body = body_from_xero(Entity.CONTACT, answer, inbound_context(), stored.model_dump(mode="json"))
    assert isinstance(body, Contact)
    assert (body.is_customer, body.is_supplier) == (True, True)


def test_a_rename_in_xero_reads_as_the_new_name_over_the_stored_body() -> None:
    # Given a stored contact renamed in Xero
    stored = contact()
    answer = answered_contact(contact_element(stored, "xero-contact-1"), Name="Acme Group")
    # When it is read over the stored body / Then it carries the new name
    body = body_from_xero(Entity.CONTACT, answer, inbound_context(), stored.model_dump(mode="json"))
    assert body == stored.model_copy(update={"name": "Acme Group"})


def test_a_phone_in_parts_and_a_street_address_are_read() -> None:
    # Given a contact with an area code and only a street address
    phones = [{"PhoneType": "DEFAULT", "PhoneAreaCode": "02", "PhoneNumber": "9999 1234"}]
    addresses = [{"AddressType": "POBOX"}, {"AddressType": "STREET", "AddressLine1": "1 Main St", "City": "Sydney"}]
    answer = answered_contact({"Name": "Acme"}, Phones=phones, Addresses=addresses)
    # When it is read / Then the phone is joined and the street address taken
    body = body_from_xero(Entity.CONTACT, answer, inbound_context())
    assert isinstance(body, Contact)
    assert (body.phone, body.address and body.address.city) == ("02 9999 1234", "Sydney")


def test_a_value_too_long_for_the_platform_is_refused_not_crashed_on() -> None:
    # Given a contact whose phone is longer than the platform keeps
    answer = answered_contact({"Name": "Acme"}, Phones=[{"PhoneType": "DEFAULT", "PhoneNumber": "9" * 60}])
    # When it is read / Then it is refused, naming the field
    [reason] = refusal(Entity.CONTACT, answer).reasons
    assert reason.startswith("The contact's phone does not fit the platform:")


@pytest.mark.parametrize(
    "answer",
    [
        "not an object",
        {},
        {"Type": "ACCREC", "Contact": "nobody", "Date": 17, "LineItems": "none"},
        {
            "Type": "ACCREC",
            "Contact": {"ContactID": "xero-contact-1"},
            "Date": "/Date(x)/",
            "LineItems": [{"Quantity": "a lot"}],
        },
    ],
)
def test_anything_xero_sends_is_read_or_refused_never_crashed_on(answer: object) -> None:
    # Given a malformed answer / When it is read / Then it is refused with reasons
    assert refusal(Entity.INVOICE, answer).reasons


# --- the record as fetched ----------------------------------------------------------------------------


def test_a_fetched_invoice_says_what_the_decision_needs() -> None:
    # Given Xero's invoice with a payment applied, its id in upper case
    answer = an_invoice_answer(
        InvoiceID="XERO-INVOICE-1", Status="PAID", Payments=[{"PaymentID": "PAY-1", "Amount": 1}]
    )
    # When it is read
    record = read_record("Invoices", answer, inbound_context())
    # Then it is an invoice stamped at Xero's write, with its payment listed and applied
    assert (record.entity, record.xero_id, record.status, record.deleted) == (
        Entity.INVOICE,
        "xero-invoice-1",
        "PAID",
        False,
    )
    assert (record.updated_at, record.has_applied, record.payment_ids) == (WRITTEN_AT, True, ("pay-1",))


def test_an_invoices_answer_holds_bills_by_their_type() -> None:
    # Given an ACCPAY document in /Invoices / When it is read / Then it is a bill
    answer = {**an_invoice_answer(), "Type": "ACCPAY"}
    assert read_record("Invoices", answer, inbound_context()).entity is Entity.BILL


def test_a_voided_invoice_is_fetched_as_a_tombstone_with_its_body() -> None:
    # Given a voided invoice / When it is read / Then it is deleted, its body still read
    record = read_record("Invoices", an_invoice_answer(Status="VOIDED"), inbound_context())
    assert (record.deleted, record.body["number"]) == (True, "INV-1")


def test_an_instant_without_updated_date_utc_falls_back_on_its_iso_twin() -> None:
    # Given an answer with only UpdatedDateUTCString
    answer = an_invoice_answer()
    del answer["UpdatedDateUTC"]
    # When it is read / Then the stamp is read to the second
    assert read_record("Invoices", answer, inbound_context()).updated_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
