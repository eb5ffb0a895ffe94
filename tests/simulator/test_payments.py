"""Payments through the simulator's Accounting API: creating, settling documents, listing, deleting."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from tests.simulator.conftest import Tenant
from xero_simulator.world import ChangeEvent

PAYMENT_EXCEEDS = "Payment amount exceeds the amount outstanding on this document"
NOT_AUTHORISED = "Payments can only be made against Authorised documents"
NOT_MODIFIABLE = "Payments cannot be modified, only created and deleted"


# --- Given / When helpers ---------------------------------------------------------------------


def _document(tenant: Tenant, collection: str, fields: dict[str, Any]) -> dict[str, Any]:
    response = tenant.api.put(f"/{collection}", json={collection: [fields]})
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()[collection][0]
    return document


def invoice(
    tenant: Tenant, amount: float = 100.0, *, kind: str = "ACCREC", status: str = "AUTHORISED", **extra: Any
) -> dict[str, Any]:
    """An invoice (or bill) of `amount` with no tax, dated 1 March 2024."""
    fields = {
        "Type": kind,
        "Contact": {"Name": "Ridgeway University"},
        "Date": "2024-03-01",
        "DueDate": "2024-03-31",
        "Status": status,
        "LineAmountTypes": "NoTax",
        "LineItems": [
            {
                "Description": "Consulting",
                "Quantity": 1,
                "UnitAmount": amount,
                "AccountCode": "200" if kind == "ACCREC" else "453",
            }
        ],
        **extra,
    }
    return _document(tenant, "Invoices", fields)


def credit_note(tenant: Tenant, amount: float = 40.0, *, kind: str = "ACCRECCREDIT") -> dict[str, Any]:
    fields = {
        "Type": kind,
        "Contact": {"Name": "Ridgeway University"},
        "Date": "2024-03-01",
        "Status": "AUTHORISED",
        "LineAmountTypes": "NoTax",
        "LineItems": [
            {
                "Description": "Refund",
                "Quantity": 1,
                "UnitAmount": amount,
                "AccountCode": "200" if kind == "ACCRECCREDIT" else "453",
            }
        ],
    }
    return _document(tenant, "CreditNotes", fields)


def payment_of(invoice_id: str, amount: float, **extra: Any) -> dict[str, Any]:
    return {
        "Invoice": {"InvoiceID": invoice_id},
        "Account": {"Code": "090"},
        "Date": "2024-03-05",
        "Amount": amount,
        **extra,
    }


def put_payments(tenant: Tenant, *payments: dict[str, Any], **params: str) -> httpx.Response:
    return tenant.api.put("/Payments", params=params, json={"Payments": list(payments)})


def paid(tenant: Tenant, invoice_id: str, amount: float, **extra: Any) -> dict[str, Any]:
    """Pay an invoice and return the payment as Xero answered it."""
    response = put_payments(tenant, payment_of(invoice_id, amount, **extra))
    assert response.status_code == 200, response.text
    payment: dict[str, Any] = response.json()["Payments"][0]
    return payment


def stored_invoice(tenant: Tenant, invoice_id: str) -> dict[str, Any]:
    response = tenant.api.get(f"/Invoices/{invoice_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["Invoices"][0]
    return found


def messages(response: httpx.Response) -> list[str]:
    """The ValidationErrors of a 400 ValidationException, in order."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["Type"] == "ValidationException"
    return [error["Message"] for element in body["Elements"] for error in element["ValidationErrors"]]


def delete(tenant: Tenant, payment_id: str, body: Any = None) -> httpx.Response:
    return tenant.api.post(f"/Payments/{payment_id}", json=body or {"Payments": [{"Status": "DELETED"}]})


# --- settling documents -----------------------------------------------------------------------


def test_partial_payment_lowers_amount_due_and_leaves_the_invoice_authorised(tenant: Tenant) -> None:
    # Given an authorised invoice of 100.00
    sale = invoice(tenant, 100.0)

    # When 30.00 of it is paid
    paid(tenant, sale["InvoiceID"], 30.0)

    # Then 70.00 is still due and the invoice is still AUTHORISED
    after = stored_invoice(tenant, sale["InvoiceID"])
    assert (after["Status"], after["AmountDue"], after["AmountPaid"]) == ("AUTHORISED", 70.0, 30.0)


def test_payments_that_add_up_to_the_total_mark_the_invoice_paid_on_the_last_payment_date(tenant: Tenant) -> None:
    # Given an authorised invoice of 100.00, 40.00 of it paid
    sale = invoice(tenant, 100.0)
    paid(tenant, sale["InvoiceID"], 40.0)

    # When the remaining 60.00 is paid on 9 March
    paid(tenant, sale["InvoiceID"], 60.0, Date="2024-03-09")

    # Then the invoice is PAID, nothing is due, and it was fully paid on 9 March
    after = stored_invoice(tenant, sale["InvoiceID"])
    assert (after["Status"], after["AmountDue"], after["AmountPaid"]) == ("PAID", 0.0, 100.0)
    assert after["FullyPaidOnDate"] == "/Date(1709942400000+0000)/"


def test_deleting_the_payment_of_a_paid_invoice_makes_it_authorised_and_due_again(tenant: Tenant) -> None:
    # Given an invoice paid in full
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 100.0)

    # When the payment is deleted
    response = delete(tenant, payment["PaymentID"])

    # Then the payment is DELETED and the invoice is AUTHORISED with 100.00 due again
    assert response.status_code == 200, response.text
    assert response.json()["Payments"][0]["Status"] == "DELETED"
    after = stored_invoice(tenant, sale["InvoiceID"])
    assert (after["Status"], after["AmountDue"], after["AmountPaid"]) == ("AUTHORISED", 100.0, 0.0)


def test_a_bill_payment_is_an_accounts_payable_payment(tenant: Tenant) -> None:
    # Given an authorised bill of 80.00
    bill = invoice(tenant, 80.0, kind="ACCPAY")

    # When it is paid in full
    payment = paid(tenant, bill["InvoiceID"], 80.0)

    # Then the payment is an ACCPAYPAYMENT and the bill is PAID
    assert payment["PaymentType"] == "ACCPAYPAYMENT"
    assert stored_invoice(tenant, bill["InvoiceID"])["Status"] == "PAID"


def test_a_refund_of_a_sales_credit_note_uses_its_remaining_credit(tenant: Tenant) -> None:
    # Given an authorised sales credit note of 40.00
    credit = credit_note(tenant, 40.0)

    # When 15.00 of it is refunded to the customer
    response = put_payments(
        tenant,
        {
            "CreditNote": {"CreditNoteID": credit["CreditNoteID"]},
            "Account": {"Code": "090"},
            "Date": "2024-03-05",
            "Amount": 15,
        },
    )

    # Then the refund is an ARCREDITPAYMENT and 25.00 of credit remains
    assert response.status_code == 200, response.text
    assert response.json()["Payments"][0]["PaymentType"] == "ARCREDITPAYMENT"
    after = tenant.api.get(f"/CreditNotes/{credit['CreditNoteID']}").json()["CreditNotes"][0]
    assert (after["Status"], after["RemainingCredit"]) == ("AUTHORISED", 25.0)


def test_a_refund_of_more_than_the_remaining_credit_is_refused(tenant: Tenant) -> None:
    # Given an authorised supplier credit note of 40.00
    credit = credit_note(tenant, 40.0, kind="ACCPAYCREDIT")

    # When a refund of 40.01 is recorded
    response = put_payments(
        tenant,
        {
            "CreditNote": {"CreditNoteID": credit["CreditNoteID"]},
            "Account": {"Code": "090"},
            "Date": "2024-03-05",
            "Amount": 40.01,
        },
    )

    # Then Xero refuses it as more than is outstanding
    assert messages(response) == [PAYMENT_EXCEEDS]


def test_a_payment_shows_its_invoice_as_it_stands_after_the_payment(tenant: Tenant) -> None:
    # Given an authorised invoice of 100.00
    sale = invoice(tenant, 100.0)

    # When 25.00 is paid
    payment = paid(tenant, sale["InvoiceID"], 25.0)

    # Then the payment names the invoice, with 75.00 still due
    shown = payment["Invoice"]
    assert (shown["InvoiceID"], shown["InvoiceNumber"], shown["AmountDue"]) == (
        sale["InvoiceID"],
        sale["InvoiceNumber"],
        75.0,
    )


def test_a_new_payment_is_authorised_unreconciled_at_rate_one_in_the_bank_account(tenant: Tenant) -> None:
    # Given an authorised invoice in the organisation's currency
    sale = invoice(tenant, 100.0)

    # When it is paid into the bank account 090 with a reference
    payment = paid(tenant, sale["InvoiceID"], 100.0, Reference="Direct debit 42")

    # Then the payment is AUTHORISED, not reconciled, at CurrencyRate 1, into account 090
    assert (payment["Status"], payment["IsReconciled"], payment["CurrencyRate"]) == ("AUTHORISED", False, 1.0)
    assert (payment["Account"]["Code"], payment["BankAmount"], payment["Reference"]) == (
        "090",
        100.0,
        "Direct debit 42",
    )


def test_an_invoice_can_be_named_by_its_number(tenant: Tenant) -> None:
    # Given an authorised invoice with its number
    sale = invoice(tenant, 100.0)

    # When a payment names it by InvoiceNumber
    response = put_payments(
        tenant,
        {
            "Invoice": {"InvoiceNumber": sale["InvoiceNumber"]},
            "Account": {"Code": "090"},
            "Date": "2024-03-05",
            "Amount": 10,
        },
    )

    # Then that invoice is paid
    assert response.status_code == 200, response.text
    assert stored_invoice(tenant, sale["InvoiceID"])["AmountDue"] == 90.0


def test_a_bill_number_shared_by_two_bills_does_not_identify_either(tenant: Tenant) -> None:
    # Given two bills from suppliers who both numbered them SUP-1 (bill numbers may repeat)
    first = invoice(tenant, 80.0, kind="ACCPAY", InvoiceNumber="SUP-1")
    invoice(tenant, 90.0, kind="ACCPAY", InvoiceNumber="SUP-1")

    # When a payment names the bill by number
    response = put_payments(
        tenant, {"Invoice": {"InvoiceNumber": "SUP-1"}, "Account": {"Code": "090"}, "Date": "2024-03-05", "Amount": 10}
    )

    # Then it is refused rather than paying a guess, and neither bill is paid
    assert messages(response) == ["More than one Invoice has the number SUP-1: identify it by InvoiceID"]
    assert stored_invoice(tenant, first["InvoiceID"])["AmountDue"] == 80.0


def test_a_payment_naming_both_an_invoice_and_a_credit_note_is_refused(tenant: Tenant) -> None:
    # Given an authorised invoice and an authorised credit note
    sale, credit = invoice(tenant, 100.0), credit_note(tenant, 40.0)

    # When one payment names both
    payment = payment_of(sale["InvoiceID"], 10.0, CreditNote={"CreditNoteID": credit["CreditNoteID"]})
    response = put_payments(tenant, payment)

    # Then it is refused
    assert messages(response) == ["A payment can be made against an Invoice or a CreditNote, not both"]


def test_paying_an_invoice_announces_an_invoice_update_but_no_payment_event(tenant: Tenant) -> None:
    # Given an authorised invoice and a webhook listener
    sale = invoice(tenant, 100.0)
    heard: list[ChangeEvent] = []
    tenant.sim.world.change_listeners.append(heard.append)

    # When it is paid
    paid(tenant, sale["InvoiceID"], 100.0)

    # Then only the invoice's UPDATE is announced: Xero has no payment webhooks (FACTS.md §2.4)
    assert [(e.category, e.event_type, e.resource_id) for e in heard] == [("INVOICE", "UPDATE", sale["InvoiceID"])]


# --- refusals ---------------------------------------------------------------------------------


def test_overpaying_an_invoice_is_refused_and_changes_nothing(tenant: Tenant) -> None:
    # Given an authorised invoice of 100.00
    sale = invoice(tenant, 100.0)

    # When 100.01 is paid
    response = put_payments(tenant, payment_of(sale["InvoiceID"], 100.01))

    # Then Xero's message refuses it and the whole 100.00 is still due
    assert messages(response) == [PAYMENT_EXCEEDS]
    assert stored_invoice(tenant, sale["InvoiceID"])["AmountDue"] == 100.0


def test_paying_a_draft_invoice_is_refused(tenant: Tenant) -> None:
    # Given a DRAFT invoice
    draft = invoice(tenant, 100.0, status="DRAFT")

    # When it is paid
    response = put_payments(tenant, payment_of(draft["InvoiceID"], 10.0))

    # Then payments need an authorised document
    assert messages(response) == [NOT_AUTHORISED]


def test_paying_an_invoice_already_paid_is_refused(tenant: Tenant) -> None:
    # Given an invoice paid in full
    sale = invoice(tenant, 100.0)
    paid(tenant, sale["InvoiceID"], 100.0)

    # When it is paid again
    response = put_payments(tenant, payment_of(sale["InvoiceID"], 1.0))

    # Then it is refused: a PAID document is not AUTHORISED
    assert NOT_AUTHORISED in messages(response)


def test_a_payment_that_names_no_document_is_refused(tenant: Tenant) -> None:
    # Given a payment with an Invoice that has neither InvoiceID nor InvoiceNumber
    payment = {"Invoice": {}, "Account": {"Code": "090"}, "Date": "2024-03-05", "Amount": 10}

    # When it is sent
    response = put_payments(tenant, payment)

    # Then Xero asks for an invoice id or number
    assert messages(response) == ["You must specify an Invoice ID or Invoice Number for the payment"]


def test_a_payment_against_an_unknown_invoice_is_refused(tenant: Tenant) -> None:
    # Given an InvoiceID that names no invoice
    unknown = "00000000-0000-0000-0000-000000000001"

    # When it is paid
    response = put_payments(tenant, payment_of(unknown, 10.0))

    # Then the invoice could not be found
    assert messages(response) == ["Invoice could not be found"]


def test_a_payment_into_an_account_that_takes_no_payments_is_refused(tenant: Tenant) -> None:
    # Given an authorised invoice
    sale = invoice(tenant, 100.0)

    # When it is paid into the Sales account (REVENUE, payments not enabled)
    response = put_payments(tenant, payment_of(sale["InvoiceID"], 10.0, Account={"Code": "200"}))

    # Then the account type is refused
    assert messages(response) == ["Account type is invalid for making a payment to/from"]


def test_a_payment_into_an_account_with_payments_enabled_is_accepted(tenant: Tenant) -> None:
    # Given an equity account enabled for payments, and an authorised invoice
    owner_funds = next(a for a in tenant.org.records("Accounts").values() if a["Code"] == "970")
    owner_funds["EnablePaymentsToAccount"] = True
    sale = invoice(tenant, 100.0)

    # When it is paid into that account by AccountID
    response = put_payments(
        tenant, payment_of(sale["InvoiceID"], 10.0, Account={"AccountID": owner_funds["AccountID"]})
    )

    # Then the payment is recorded
    assert response.status_code == 200, response.text
    assert response.json()["Payments"][0]["Account"]["Code"] == "970"


def test_a_payment_into_an_archived_bank_account_is_refused(tenant: Tenant) -> None:
    # Given an authorised invoice and an archived savings account
    sale = invoice(tenant, 100.0)
    savings = next(a for a in tenant.org.records("Accounts").values() if a["Code"] == "091")
    savings["Status"] = "ARCHIVED"

    # When it is paid into the savings account
    response = put_payments(tenant, payment_of(sale["InvoiceID"], 10.0, Account={"Code": "091"}))

    # Then the archived account is refused
    assert messages(response) == [
        "The account '091' has been archived, or has been deleted. Each line item must reference a valid account."
    ]


def test_a_payment_amount_must_be_greater_than_zero(tenant: Tenant) -> None:
    # Given an authorised invoice
    sale = invoice(tenant, 100.0)

    # When a payment of 0 is sent
    response = put_payments(tenant, payment_of(sale["InvoiceID"], 0))

    # Then it is refused
    assert messages(response) == ["Payment amount must be greater than zero"]


def test_a_payment_amount_with_fractions_of_a_cent_is_refused(tenant: Tenant) -> None:
    # Given an authorised invoice
    sale = invoice(tenant, 100.0)

    # When 10.005 is paid
    response = put_payments(tenant, payment_of(sale["InvoiceID"], 10.005))

    # Then it is refused rather than rounded
    assert messages(response) == ["Payment amount cannot have more than 2 decimal places"]


def test_a_payment_needs_a_date(tenant: Tenant) -> None:
    # Given an authorised invoice and a payment without a Date
    sale = invoice(tenant, 100.0)
    payment = payment_of(sale["InvoiceID"], 10.0)
    del payment["Date"]

    # When it is sent
    response = put_payments(tenant, payment)

    # Then it is refused
    assert messages(response) == ["A payment must have a Date"]


def test_a_payment_dated_on_the_period_lock_date_is_refused(tenant: Tenant) -> None:
    # Given an authorised invoice, then a period lock date of 31 March 2024
    sale = invoice(tenant, 100.0)
    tenant.org.period_lock_date = date(2024, 3, 31)

    # When a payment dated 31 March 2024 is sent
    response = put_payments(tenant, payment_of(sale["InvoiceID"], 10.0, Date="2024-03-31"))

    # Then the locked period refuses it
    assert messages(response) == [
        "The document date cannot be before the period lock date, currently set at 31-Mar-2024"
    ]


def test_every_problem_of_a_payment_is_listed_together(tenant: Tenant) -> None:
    # Given a DRAFT invoice
    draft = invoice(tenant, 100.0, status="DRAFT")

    # When it is paid into the Sales account
    response = put_payments(tenant, payment_of(draft["InvoiceID"], 10.0, Account={"Code": "200"}))

    # Then both refusals come back at once
    assert set(messages(response)) == {NOT_AUTHORISED, "Account type is invalid for making a payment to/from"}


def test_a_payment_against_a_prepayment_is_refused_as_not_modelled(tenant: Tenant) -> None:
    # Given a payment against a prepayment
    payment = {
        "Prepayment": {"PrepaymentID": "00000000-0000-0000-0000-000000000002"},
        "Account": {"Code": "090"},
        "Date": "2024-03-05",
        "Amount": 10,
    }

    # When it is sent
    response = put_payments(tenant, payment)

    # Then the simulator says it does not model it
    assert messages(response) == ["Payments on prepayments and overpayments are not supported by this simulator"]


def test_put_with_the_id_of_an_existing_payment_is_refused(tenant: Tenant) -> None:
    # Given a payment of 10.00
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0)

    # When a PUT sends the same PaymentID with another amount
    response = put_payments(tenant, payment_of(sale["InvoiceID"], 20.0, PaymentID=payment["PaymentID"]))

    # Then payments cannot be modified, and only 10.00 was paid
    assert messages(response) == [NOT_MODIFIABLE]
    assert stored_invoice(tenant, sale["InvoiceID"])["AmountPaid"] == 10.0


# --- batches and the single-payment POST ------------------------------------------------------


def test_a_batch_without_summarized_errors_answers_each_payment_and_keeps_the_good_ones(tenant: Tenant) -> None:
    # Given two authorised invoices
    first, second = invoice(tenant, 100.0), invoice(tenant, 50.0)

    # When one good and one excessive payment are sent with summarizeErrors=false
    response = put_payments(
        tenant, payment_of(first["InvoiceID"], 100.0), payment_of(second["InvoiceID"], 60.0), summarizeErrors="false"
    )

    # Then the answer is 200 with one OK and one ERROR element, and only the first invoice is paid
    assert response.status_code == 200, response.text
    answered = response.json()["Payments"]
    assert [p["StatusAttributeString"] for p in answered] == ["OK", "ERROR"]
    assert answered[1]["ValidationErrors"] == [{"Message": PAYMENT_EXCEEDS}]
    assert stored_invoice(tenant, first["InvoiceID"])["Status"] == "PAID"
    assert stored_invoice(tenant, second["InvoiceID"])["AmountDue"] == 50.0


def test_a_batch_with_summarized_errors_answers_400_yet_saves_the_good_payments(tenant: Tenant) -> None:
    # Given two authorised invoices
    first, second = invoice(tenant, 100.0), invoice(tenant, 50.0)

    # When one good and one excessive payment are sent with Xero's default summarizeErrors
    response = put_payments(tenant, payment_of(first["InvoiceID"], 100.0), payment_of(second["InvoiceID"], 60.0))

    # Then the answer is a 400 naming the bad one, yet the good payment was saved (FACTS.md §4.4)
    assert messages(response) == [PAYMENT_EXCEEDS]
    assert stored_invoice(tenant, first["InvoiceID"])["Status"] == "PAID"


def test_post_payments_creates_a_payment_sent_as_a_bare_object(tenant: Tenant) -> None:
    # Given an authorised invoice
    sale = invoice(tenant, 100.0)

    # When POST /Payments sends one Payment object (the spec's request schema)
    response = tenant.api.post("/Payments", json=payment_of(sale["InvoiceID"], 40.0))

    # Then the payment is created
    assert response.status_code == 200, response.text
    assert stored_invoice(tenant, sale["InvoiceID"])["AmountDue"] == 60.0


def test_post_payments_creates_a_payment_wrapped_in_payments(tenant: Tenant) -> None:
    # Given an authorised invoice
    sale = invoice(tenant, 100.0)

    # When POST /Payments sends {"Payments": [...]} (the spec's request example)
    response = tenant.api.post("/Payments", json={"Payments": [payment_of(sale["InvoiceID"], 40.0)]})

    # Then the payment is created
    assert response.status_code == 200, response.text
    assert response.json()["Payments"][0]["Amount"] == 40.0


# --- deleting ---------------------------------------------------------------------------------


def test_a_payment_is_deleted_with_the_bare_payment_delete_body(tenant: Tenant) -> None:
    # Given a payment
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0)

    # When it is deleted with the spec's PaymentDelete body {"Status": "DELETED"}
    response = delete(tenant, payment["PaymentID"], {"Status": "DELETED"})

    # Then it is DELETED
    assert response.status_code == 200, response.text
    assert response.json()["Payments"][0]["Status"] == "DELETED"


def test_a_deleted_payment_cannot_be_deleted_again(tenant: Tenant) -> None:
    # Given a deleted payment
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0)
    delete(tenant, payment["PaymentID"])

    # When it is deleted again
    response = delete(tenant, payment["PaymentID"])

    # Then it is refused and the invoice is not credited twice
    assert messages(response) == ["This payment has already been deleted"]
    assert stored_invoice(tenant, sale["InvoiceID"])["AmountDue"] == 100.0


def test_a_payment_cannot_be_modified(tenant: Tenant) -> None:
    # Given a payment of 10.00
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0)

    # When a POST to it changes its Amount
    response = delete(tenant, payment["PaymentID"], {"Payments": [{"Status": "DELETED", "Amount": 20}]})

    # Then it is refused and the payment stands
    assert messages(response) == [NOT_MODIFIABLE]
    assert tenant.api.get(f"/Payments/{payment['PaymentID']}").json()["Payments"][0]["Status"] == "AUTHORISED"


def test_a_post_to_a_payment_with_a_status_other_than_deleted_is_refused(tenant: Tenant) -> None:
    # Given a payment
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0)

    # When a POST sets Status AUTHORISED
    response = delete(tenant, payment["PaymentID"], {"Status": "AUTHORISED"})

    # Then payments can only be deleted
    assert messages(response) == [NOT_MODIFIABLE]


def test_a_reconciled_payment_cannot_be_deleted(tenant: Tenant) -> None:
    # Given a payment created as reconciled
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0, IsReconciled=True)

    # When it is deleted
    response = delete(tenant, payment["PaymentID"])

    # Then it is refused
    assert messages(response) == ["This payment has been reconciled and cannot be deleted"]


def test_a_payment_in_a_locked_period_cannot_be_deleted(tenant: Tenant) -> None:
    # Given a payment dated 5 March 2024, then an end-of-year lock date of 31 March 2024
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0)
    tenant.org.end_of_year_lock_date = date(2024, 3, 31)

    # When it is deleted
    response = delete(tenant, payment["PaymentID"])

    # Then the lock date refuses it
    assert messages(response) == [
        "The document date cannot be before the end of year lock date, currently set at 31-Mar-2024"
    ]


def test_deleting_an_unknown_payment_is_not_found(tenant: Tenant) -> None:
    # Given no payment with this id
    unknown = "00000000-0000-0000-0000-000000000003"

    # When it is deleted
    response = delete(tenant, unknown)

    # Then the answer is 404
    assert response.status_code == 404


# --- reading ----------------------------------------------------------------------------------


def test_a_payment_is_read_by_its_id(tenant: Tenant) -> None:
    # Given a payment
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0)

    # When it is read by PaymentID
    response = tenant.api.get(f"/Payments/{payment['PaymentID']}")

    # Then it comes back in a Payments array
    assert response.status_code == 200, response.text
    assert [p["PaymentID"] for p in response.json()["Payments"]] == [payment["PaymentID"]]


def test_an_unknown_payment_id_is_not_found(tenant: Tenant) -> None:
    # Given no payment with this id
    unknown = "00000000-0000-0000-0000-000000000004"

    # When it is read
    response = tenant.api.get(f"/Payments/{unknown}")

    # Then the answer is 404
    assert response.status_code == 404


def test_a_deleted_payment_is_still_listed_with_status_deleted(tenant: Tenant) -> None:
    # Given a deleted payment
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0)
    delete(tenant, payment["PaymentID"])

    # When payments are listed
    listed = tenant.api.get("/Payments").json()["Payments"]

    # Then it is there, DELETED
    assert [(p["PaymentID"], p["Status"]) for p in listed] == [(payment["PaymentID"], "DELETED")]


def test_payments_are_filtered_with_where(tenant: Tenant) -> None:
    # Given a payment on a sales invoice and one on a bill
    paid(tenant, invoice(tenant, 100.0)["InvoiceID"], 10.0)
    bill_payment = paid(tenant, invoice(tenant, 80.0, kind="ACCPAY")["InvoiceID"], 20.0)

    # When payments are listed where PaymentType is ACCPAYPAYMENT
    response = tenant.api.get("/Payments", params={"where": 'PaymentType=="ACCPAYPAYMENT"'})

    # Then only the bill payment is listed
    assert [p["PaymentID"] for p in response.json()["Payments"]] == [bill_payment["PaymentID"]]


def test_payments_are_filtered_by_their_invoice(tenant: Tenant) -> None:
    # Given payments on two invoices
    first, second = invoice(tenant, 100.0), invoice(tenant, 100.0)
    paid(tenant, first["InvoiceID"], 10.0)
    wanted = paid(tenant, second["InvoiceID"], 20.0)

    # When payments are listed where Invoice.InvoiceID is the second invoice
    where = f'Invoice.InvoiceID==Guid("{second["InvoiceID"]}")'
    response = tenant.api.get("/Payments", params={"where": where})

    # Then only its payment is listed
    assert [p["PaymentID"] for p in response.json()["Payments"]] == [wanted["PaymentID"]]


def test_payments_are_ordered_as_asked(tenant: Tenant) -> None:
    # Given payments of 10, 30 and 20
    sale = invoice(tenant, 100.0)
    for amount in (10.0, 30.0, 20.0):
        paid(tenant, sale["InvoiceID"], amount)

    # When payments are listed by Amount descending
    response = tenant.api.get("/Payments", params={"order": "Amount DESC"})

    # Then they come largest first
    assert [p["Amount"] for p in response.json()["Payments"]] == [30.0, 20.0, 10.0]


def test_payments_are_paged_with_page_size(tenant: Tenant) -> None:
    # Given three payments
    sale = invoice(tenant, 100.0)
    for amount in (10.0, 20.0, 30.0):
        paid(tenant, sale["InvoiceID"], amount)

    # When page 2 of size 2 is read
    response = tenant.api.get("/Payments", params={"page": 2, "pageSize": 2})

    # Then it holds the third payment, and the pagination says so
    body = response.json()
    assert [p["Amount"] for p in body["Payments"]] == [30.0]
    assert body["pagination"] == {"page": 2, "pageSize": 2, "pageCount": 2, "itemCount": 3}


def test_if_modified_since_lists_only_payments_changed_after_it(tenant: Tenant) -> None:
    # Given a payment, then ten minutes later another one
    sale = invoice(tenant, 100.0)
    paid(tenant, sale["InvoiceID"], 10.0)
    tenant.sim.world.clock.advance(600)
    since = tenant.sim.world.clock.now()
    tenant.sim.world.clock.advance(1)
    later = paid(tenant, sale["InvoiceID"], 20.0)

    # When payments modified since the ten-minute mark are listed
    response = tenant.api.get("/Payments", headers={"If-Modified-Since": since.isoformat()})

    # Then only the later payment is listed
    assert [p["PaymentID"] for p in response.json()["Payments"]] == [later["PaymentID"]]


def test_deleting_a_payment_makes_it_modified_since_its_creation(tenant: Tenant) -> None:
    # Given a payment, and ten minutes later its deletion
    sale = invoice(tenant, 100.0)
    payment = paid(tenant, sale["InvoiceID"], 10.0)
    tenant.sim.world.clock.advance(600)
    since = tenant.sim.world.clock.now()
    tenant.sim.world.clock.advance(1)
    delete(tenant, payment["PaymentID"])

    # When payments modified since the ten-minute mark are listed
    response = tenant.api.get("/Payments", headers={"If-Modified-Since": since.isoformat()})

    # Then the deleted payment is listed: its UpdatedDateUTC moved
    assert [p["PaymentID"] for p in response.json()["Payments"]] == [payment["PaymentID"]]
