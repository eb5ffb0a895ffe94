"""Allocating credit notes to invoices and removing allocations (FACTS.md §4.9)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.simulator.conftest import Tenant
from tests.simulator.document_requests import (
    allocate,
    bill,
    get_credit_note,
    get_invoice,
    messages,
    put_credit_note,
    put_invoice,
    sales_credit_note,
    sales_invoice,
)
from xero_simulator.server import Simulator
from xero_simulator.world import ChangeEvent

EXCEEDS = "Credit Note cannot be allocated as amount is greater than amount outstanding"


def documents(tenant: Tenant, invoice_status: str = "AUTHORISED", credit_status: str = "AUTHORISED") -> tuple[str, str]:
    """Given an invoice of 110.00 and a credit note of 11.00 for the same customer: their ids."""
    invoice = put_invoice(tenant.api, sales_invoice(Status=invoice_status))
    credit = put_credit_note(tenant.api, sales_credit_note(Status=credit_status))
    return str(invoice["InvoiceID"]), str(credit["CreditNoteID"])


def allocation_of(tenant: Tenant, credit_id: str, invoice_id: str, amount: float) -> dict[str, Any]:
    answer = allocate(tenant.api, credit_id, invoice_id, amount)
    assert answer.status_code == 200, answer.text
    allocation: dict[str, Any] = answer.json()["Allocations"][0]
    return allocation


def test_allocating_lowers_the_invoice_amount_due_and_raises_amount_credited(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    allocation_of(tenant, credit_id, invoice_id, 4.00)
    invoice = get_invoice(tenant.api, invoice_id)
    assert (invoice["AmountDue"], invoice["AmountCredited"]) == (106.00, 4.00)


def test_allocating_lowers_the_remaining_credit(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    allocation_of(tenant, credit_id, invoice_id, 4.00)
    assert get_credit_note(tenant.api, credit_id)["RemainingCredit"] == 7.00


def test_the_invoice_lists_the_credit_note_applied_to_it(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    allocation_of(tenant, credit_id, invoice_id, 4.00)
    applied = get_invoice(tenant.api, invoice_id)["CreditNotes"]
    assert [(c["CreditNoteID"], c["AppliedAmount"]) for c in applied] == [(credit_id, 4.00)]


def test_a_credit_note_spent_in_full_becomes_paid(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    allocation_of(tenant, credit_id, invoice_id, 11.00)
    credit = get_credit_note(tenant.api, credit_id)
    assert (credit["Status"], credit["RemainingCredit"]) == ("PAID", 0)


def test_an_invoice_credited_in_full_becomes_paid(tenant: Tenant) -> None:
    # Given an invoice of 11.00 and a credit note of 11.00
    invoice = put_invoice(tenant.api, sales_invoice(Status="AUTHORISED", LineItems=sales_credit_note()["LineItems"]))
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    # When the whole credit is allocated on 1 June 2030
    allocation_of(tenant, credit["CreditNoteID"], invoice["InvoiceID"], 11.00)
    # Then the invoice is PAID with nothing due
    shown = get_invoice(tenant.api, invoice["InvoiceID"])
    assert (shown["Status"], shown["AmountDue"]) == ("PAID", 0)


def test_an_allocation_above_the_remaining_credit_is_refused(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    answer = allocate(tenant.api, credit_id, invoice_id, 11.01)
    assert messages(answer) == [EXCEEDS]


def test_an_allocation_above_the_invoice_amount_due_is_refused(tenant: Tenant) -> None:
    # Given an invoice of 5.50 and a credit note of 11.00
    invoice = put_invoice(
        tenant.api,
        sales_invoice(
            Status="AUTHORISED", LineItems=[{"Description": "x", "UnitAmount": 5, "Quantity": 1, "AccountCode": "200"}]
        ),
    )
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    # When 6.00 is allocated
    answer = allocate(tenant.api, credit["CreditNoteID"], invoice["InvoiceID"], 6.00)
    # Then it is refused
    assert messages(answer) == [EXCEEDS]


def test_a_draft_credit_note_cannot_be_allocated(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant, credit_status="DRAFT")
    answer = allocate(tenant.api, credit_id, invoice_id, 1.00)
    assert messages(answer) == ["Only AUTHORISED credit notes can be allocated"]


def test_a_credit_note_cannot_be_allocated_to_a_draft_invoice(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant, invoice_status="DRAFT")
    answer = allocate(tenant.api, credit_id, invoice_id, 1.00)
    assert messages(answer) == ["Credit Note can only be allocated to an AUTHORISED invoice"]


def test_a_paid_invoice_cannot_take_an_allocation(tenant: Tenant) -> None:
    # Given an invoice of 11.00 already paid off by one credit note
    invoice = put_invoice(tenant.api, sales_invoice(Status="AUTHORISED", LineItems=sales_credit_note()["LineItems"]))
    first = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    allocation_of(tenant, first["CreditNoteID"], invoice["InvoiceID"], 11.00)
    second = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    # When another credit note is allocated to it
    answer = allocate(tenant.api, second["CreditNoteID"], invoice["InvoiceID"], 1.00)
    # Then Xero says it is paid off
    assert messages(answer) == ["The invoice you are trying to allocate to has already been paid off"]


def test_a_sales_credit_note_cannot_be_allocated_to_a_bill(tenant: Tenant) -> None:
    supplier_bill = put_invoice(tenant.api, bill(Status="AUTHORISED", Contact={"Name": "Acme Pty Ltd"}))
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    answer = allocate(tenant.api, credit["CreditNoteID"], supplier_bill["InvoiceID"], 1.00)
    assert messages(answer) == ["Credit Note cannot be allocated to an incorrect invoice type"]


def test_a_credit_note_cannot_be_allocated_to_another_contacts_invoice(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice(Status="AUTHORISED", Contact={"Name": "Someone Else"}))
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    answer = allocate(tenant.api, credit["CreditNoteID"], invoice["InvoiceID"], 1.00)
    assert messages(answer) == ["Credit Note can only be allocated to an invoice of the same contact"]


def test_an_allocation_to_an_unknown_invoice_is_refused(tenant: Tenant) -> None:
    _, credit_id = documents(tenant)
    answer = allocate(tenant.api, credit_id, "6f1e1c2a-0000-4000-8000-000000000000", 1.00)
    assert messages(answer) == ["The document with the supplied id was not found for this endpoint."]


def test_an_allocation_must_be_for_a_positive_amount(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    answer = allocate(tenant.api, credit_id, invoice_id, 0)
    assert messages(answer) == ["The allocation Amount must be greater than zero"]


def test_an_allocation_dated_in_a_locked_period_is_refused(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    tenant.org.period_lock_date = date(2030, 6, 30)
    answer = allocate(tenant.api, credit_id, invoice_id, 1.00, on="2030-06-30")
    assert messages(answer) == ["The document date cannot be before the period lock date, currently set at 30-Jun-2030"]


def test_allocating_to_an_unknown_credit_note_is_not_found(tenant: Tenant) -> None:
    invoice_id, _ = documents(tenant)
    answer = allocate(tenant.api, "6f1e1c2a-0000-4000-8000-000000000000", invoice_id, 1.00)
    assert answer.status_code == 404


def test_summarize_errors_false_answers_200_with_the_refused_allocation(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    answer = allocate(tenant.api, credit_id, invoice_id, 50.00, summarizeErrors="false")
    assert answer.status_code == 200
    assert answer.json()["Allocations"][0]["StatusAttributeString"] == "ERROR"
    assert messages(answer) == [EXCEEDS]


def test_deleting_an_allocation_answers_it_marked_deleted(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    allocation = allocation_of(tenant, credit_id, invoice_id, 4.00)
    answer = tenant.api.delete(f"/CreditNotes/{credit_id}/Allocations/{allocation['AllocationID']}")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["AllocationID"], answer.json()["IsDeleted"]) == (allocation["AllocationID"], True)


def test_deleting_an_allocation_restores_both_documents(tenant: Tenant) -> None:
    # Given the whole credit note allocated, making it PAID
    invoice_id, credit_id = documents(tenant)
    allocation = allocation_of(tenant, credit_id, invoice_id, 11.00)
    # When the allocation is deleted
    tenant.api.delete(f"/CreditNotes/{credit_id}/Allocations/{allocation['AllocationID']}")
    # Then the credit note is AUTHORISED with 11.00 left and the invoice owes 110.00 again
    credit, invoice = get_credit_note(tenant.api, credit_id), get_invoice(tenant.api, invoice_id)
    assert (credit["Status"], credit["RemainingCredit"]) == ("AUTHORISED", 11.00)
    assert (invoice["AmountDue"], invoice["AmountCredited"], invoice["CreditNotes"]) == (110.00, 0, [])


def test_deleting_an_unknown_allocation_is_not_found(tenant: Tenant) -> None:
    _, credit_id = documents(tenant)
    answer = tenant.api.delete(f"/CreditNotes/{credit_id}/Allocations/6f1e1c2a-0000-4000-8000-000000000000")
    assert answer.status_code == 404


def test_an_invoice_can_be_edited_again_once_its_allocation_is_deleted(tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    allocation = allocation_of(tenant, credit_id, invoice_id, 4.00)
    tenant.api.delete(f"/CreditNotes/{credit_id}/Allocations/{allocation['AllocationID']}")
    answer = tenant.api.post(f"/Invoices/{invoice_id}", json={"Invoices": [{"Reference": "editable"}]})
    assert answer.status_code == 200, answer.text


def test_allocating_announces_updates_of_both_documents(simulator: Simulator, tenant: Tenant) -> None:
    invoice_id, credit_id = documents(tenant)
    events: list[ChangeEvent] = []
    simulator.world.change_listeners.append(events.append)
    allocation_of(tenant, credit_id, invoice_id, 11.00)
    assert sorted((e.category, e.event_type, e.resource_id) for e in events) == [
        ("CREDITNOTE", "UPDATE", credit_id),
        ("INVOICE", "UPDATE", invoice_id),
    ]
