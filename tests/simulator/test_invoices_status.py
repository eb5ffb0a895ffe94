"""Invoice status changes Xero allows and refuses, lock dates, and what settles an invoice (FACTS.md §4.7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.simulator.conftest import Tenant
from tests.simulator.document_requests import (
    allocate,
    get_invoice,
    messages,
    post_invoice,
    put_credit_note,
    put_invoice,
    sales_credit_note,
    sales_invoice,
)
from xero_simulator.accounting.batch import ElementError
from xero_simulator.accounting.documents import check_payable, record_payment, remove_payment
from xero_simulator.msjson import ms_date

INVALID_STATUS = "Invoice not of valid status for modification"
SETTLED = "This document cannot be edited as it has a payment or credit note allocated to it"


def invoice_in(tenant: Tenant, status: str) -> str:
    return str(put_invoice(tenant.api, sales_invoice(Status=status))["InvoiceID"])


def pay(tenant: Tenant, invoice_id: str, amount: str, on: date = date(2030, 5, 1)) -> None:
    """Given step: a payment as the payments routes record it."""
    with tenant.sim.world.lock:
        invoice = tenant.org.records("Invoices")[invoice_id]
        payment = {"PaymentID": f"payment-{amount}", "Date": on, "Amount": Decimal(amount)}
        record_payment(tenant.org, invoice, payment, tenant.sim.world.clock.now())


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("DRAFT", "SUBMITTED"),
        ("DRAFT", "AUTHORISED"),
        ("DRAFT", "DELETED"),
        ("SUBMITTED", "AUTHORISED"),
        ("SUBMITTED", "DELETED"),
        ("SUBMITTED", "DRAFT"),
        ("AUTHORISED", "VOIDED"),
    ],
)
def test_an_allowed_status_change_is_made(tenant: Tenant, start: str, end: str) -> None:
    # Given an invoice in the start status
    invoice_id = invoice_in(tenant, start)
    # When it is moved to the end status
    answer = post_invoice(tenant.api, invoice_id, {"Status": end})
    # Then it is
    assert answer.status_code == 200, answer.text
    assert get_invoice(tenant.api, invoice_id)["Status"] == end


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("AUTHORISED", "DELETED"),
        ("AUTHORISED", "DRAFT"),
        ("AUTHORISED", "SUBMITTED"),
        ("DRAFT", "VOIDED"),
        ("AUTHORISED", "PAID"),
    ],
)
def test_a_refused_status_change_gets_xeros_message(tenant: Tenant, start: str, end: str) -> None:
    # Given an invoice in the start status
    invoice_id = invoice_in(tenant, start)
    # When it is moved to the end status
    answer = post_invoice(tenant.api, invoice_id, {"Status": end})
    # Then Xero refuses it and the invoice keeps its status
    assert messages(answer) == [INVALID_STATUS]
    assert get_invoice(tenant.api, invoice_id)["Status"] == start


@pytest.mark.parametrize("final", ["VOIDED", "DELETED"])
def test_a_voided_or_deleted_invoice_cannot_be_edited(tenant: Tenant, final: str) -> None:
    # Given a voided or deleted invoice
    invoice_id = invoice_in(tenant, "AUTHORISED" if final == "VOIDED" else "DRAFT")
    post_invoice(tenant.api, invoice_id, {"Status": final})
    # When its reference is edited
    answer = post_invoice(tenant.api, invoice_id, {"Reference": "changed"})
    # Then it is refused
    assert messages(answer) == [INVALID_STATUS]


def test_a_voided_invoice_owes_nothing(tenant: Tenant) -> None:
    invoice_id = invoice_in(tenant, "AUTHORISED")
    post_invoice(tenant.api, invoice_id, {"Status": "VOIDED"})
    assert get_invoice(tenant.api, invoice_id)["AmountDue"] == 0


def test_an_authorised_invoice_without_payments_can_be_edited(tenant: Tenant) -> None:
    # Given an AUTHORISED invoice of 110.00
    invoice_id = invoice_in(tenant, "AUTHORISED")
    # When its line is changed to 200.00
    answer = post_invoice(
        tenant.api, invoice_id, {"LineItems": [{"Quantity": 2, "UnitAmount": 100, "AccountCode": "200"}]}
    )
    # Then it is recomputed
    assert answer.status_code == 200, answer.text
    assert get_invoice(tenant.api, invoice_id)["AmountDue"] == 220.00


def test_an_invoice_with_a_payment_cannot_be_edited(tenant: Tenant) -> None:
    # Given an AUTHORISED invoice with a part payment
    invoice_id = invoice_in(tenant, "AUTHORISED")
    pay(tenant, invoice_id, "10.00")
    # When it is edited
    answer = post_invoice(tenant.api, invoice_id, {"Reference": "changed"})
    # Then Xero's settled message is returned
    assert messages(answer) == [SETTLED]


def test_an_invoice_with_a_payment_cannot_be_voided(tenant: Tenant) -> None:
    invoice_id = invoice_in(tenant, "AUTHORISED")
    pay(tenant, invoice_id, "10.00")
    answer = post_invoice(tenant.api, invoice_id, {"Status": "VOIDED"})
    assert messages(answer) == [SETTLED]


def test_an_invoice_with_a_credit_note_allocated_cannot_be_edited(tenant: Tenant) -> None:
    # Given an invoice with 11.00 of credit allocated
    invoice_id = invoice_in(tenant, "AUTHORISED")
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    allocate(tenant.api, credit["CreditNoteID"], invoice_id, 11.00)
    # When it is edited
    answer = post_invoice(tenant.api, invoice_id, {"Reference": "changed"})
    # Then Xero's settled message is returned
    assert messages(answer) == [SETTLED]


def test_a_payment_of_the_whole_amount_makes_the_invoice_paid(tenant: Tenant) -> None:
    # Given an AUTHORISED invoice of 110.00
    invoice_id = invoice_in(tenant, "AUTHORISED")
    # When 110.00 is paid on 1 May 2030
    pay(tenant, invoice_id, "110.00")
    # Then it is PAID, fully paid that day, with nothing due
    invoice = get_invoice(tenant.api, invoice_id)
    assert (invoice["Status"], invoice["AmountDue"], invoice["AmountPaid"]) == ("PAID", 0, 110.00)
    assert invoice["FullyPaidOnDate"] == ms_date(date(2030, 5, 1))


def test_removing_the_payment_returns_a_paid_invoice_to_authorised(tenant: Tenant) -> None:
    # Given a PAID invoice
    invoice_id = invoice_in(tenant, "AUTHORISED")
    pay(tenant, invoice_id, "110.00")
    # When its payment is removed
    with tenant.sim.world.lock:
        invoice = tenant.org.records("Invoices")[invoice_id]
        remove_payment(tenant.org, invoice, "payment-110.00", tenant.sim.world.clock.now())
    # Then it is AUTHORISED and owes 110.00 again
    shown = get_invoice(tenant.api, invoice_id)
    assert (shown["Status"], shown["AmountDue"], "FullyPaidOnDate" in shown) == ("AUTHORISED", 110.00, False)


def test_a_payment_above_the_amount_due_is_refused(tenant: Tenant) -> None:
    invoice = tenant.org.records("Invoices")[invoice_in(tenant, "AUTHORISED")]
    with pytest.raises(ElementError, match="Payment amount exceeds the amount outstanding on this document"):
        check_payable(invoice, Decimal("110.01"))


def test_a_payment_against_a_draft_is_refused(tenant: Tenant) -> None:
    invoice = tenant.org.records("Invoices")[invoice_in(tenant, "DRAFT")]
    with pytest.raises(ElementError, match="Payments can only be made against Authorised documents"):
        check_payable(invoice, Decimal("1"))


def test_the_type_of_an_existing_invoice_cannot_be_changed(tenant: Tenant) -> None:
    invoice_id = invoice_in(tenant, "DRAFT")
    answer = post_invoice(tenant.api, invoice_id, {"Type": "ACCPAY"})
    assert answer.status_code == 400
    assert get_invoice(tenant.api, invoice_id)["Type"] == "ACCREC"


def test_the_currency_of_an_authorised_invoice_cannot_be_changed(tenant: Tenant) -> None:
    # Given the organisation has added USD and an AUTHORISED AUD invoice exists
    tenant.org.records("Currencies")["USD"] = {"Code": "USD", "Description": "United States Dollar"}
    invoice_id = invoice_in(tenant, "AUTHORISED")
    # When its currency is changed
    answer = post_invoice(tenant.api, invoice_id, {"CurrencyCode": "USD"})
    # Then it is refused
    assert answer.status_code == 400
    assert get_invoice(tenant.api, invoice_id)["CurrencyCode"] == "AUD"


def test_an_authorised_invoice_dated_on_the_period_lock_date_is_refused(tenant: Tenant) -> None:
    # Given the period is locked up to 30 June 2030
    tenant.org.period_lock_date = date(2030, 6, 30)
    # When an AUTHORISED invoice is dated 30 June 2030
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(Status="AUTHORISED", Date="2030-06-30")]})
    # Then it is refused, naming the lock date
    assert messages(answer) == ["The document date cannot be before the period lock date, currently set at 30-Jun-2030"]


def test_the_end_of_year_lock_date_refuses_a_posted_invoice_with_xeros_message(tenant: Tenant) -> None:
    tenant.org.end_of_year_lock_date = date(2030, 6, 30)
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(Status="AUTHORISED", Date="2030-01-15")]})
    assert messages(answer) == [
        "The document date cannot be before the end of year lock date, currently set at 30-Jun-2030"
    ]


def test_a_draft_invoice_in_a_locked_period_is_accepted(tenant: Tenant) -> None:
    tenant.org.period_lock_date = date(2030, 6, 30)
    invoice = put_invoice(tenant.api, sales_invoice(Date="2030-01-15"))
    assert invoice["Status"] == "DRAFT"


def test_an_invoice_dated_after_the_lock_date_is_accepted(tenant: Tenant) -> None:
    tenant.org.period_lock_date = date(2030, 6, 30)
    invoice = put_invoice(tenant.api, sales_invoice(Status="AUTHORISED", Date="2030-07-01"))
    assert invoice["Status"] == "AUTHORISED"


def test_voiding_an_invoice_in_a_locked_period_is_refused(tenant: Tenant) -> None:
    # Given an AUTHORISED invoice dated 15 Jan 2030, and the period then locked
    invoice_id = str(put_invoice(tenant.api, sales_invoice(Status="AUTHORISED", Date="2030-01-15"))["InvoiceID"])
    tenant.org.period_lock_date = date(2030, 6, 30)
    # When it is voided
    answer = post_invoice(tenant.api, invoice_id, {"Status": "VOIDED"})
    # Then it is refused
    assert answer.status_code == 400
    assert get_invoice(tenant.api, invoice_id)["Status"] == "AUTHORISED"


def test_moving_a_posted_invoice_out_of_a_locked_period_is_refused(tenant: Tenant) -> None:
    invoice_id = str(put_invoice(tenant.api, sales_invoice(Status="AUTHORISED", Date="2030-01-15"))["InvoiceID"])
    tenant.org.period_lock_date = date(2030, 6, 30)
    answer = post_invoice(tenant.api, invoice_id, {"Date": "2030-08-01"})
    assert answer.status_code == 400
    assert get_invoice(tenant.api, invoice_id)["DateString"] == "2030-01-15T00:00:00"
