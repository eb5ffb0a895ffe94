"""Credit notes (FACTS.md §4.9): numbering, figures, status rules, reading, and their webhook events."""

from __future__ import annotations

from tests.simulator.conftest import Tenant
from tests.simulator.document_requests import (
    allocate,
    get_credit_note,
    line,
    messages,
    put_credit_note,
    put_invoice,
    sales_credit_note,
    sales_invoice,
)
from xero_simulator.server import Simulator
from xero_simulator.world import ChangeEvent


def post_credit_note(tenant: Tenant, credit_note_id: str, changes: dict[str, object]) -> object:
    return tenant.api.post(f"/CreditNotes/{credit_note_id}", json={"CreditNotes": [changes]})


def test_sales_credit_notes_are_numbered_cn_0001_onwards(tenant: Tenant) -> None:
    first = put_credit_note(tenant.api, sales_credit_note())
    second = put_credit_note(tenant.api, sales_credit_note())
    assert (first["CreditNoteNumber"], second["CreditNoteNumber"]) == ("CN-0001", "CN-0002")


def test_a_sales_credit_note_number_must_be_unique(tenant: Tenant) -> None:
    put_credit_note(tenant.api, sales_credit_note(CreditNoteNumber="CN-9"))
    answer = tenant.api.put("/CreditNotes", json={"CreditNotes": [sales_credit_note(CreditNoteNumber="CN-9")]})
    assert messages(answer) == ["Credit Note # must be unique."]


def test_a_new_credit_note_has_its_whole_total_to_spend(tenant: Tenant) -> None:
    # When a credit note of 10.00 + 1.00 GST is authorised
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    # Then all 11.00 remains
    assert (credit["Total"], credit["RemainingCredit"]) == (11.00, 11.00)


def test_a_credit_note_refuses_a_discount(tenant: Tenant) -> None:
    answer = tenant.api.put(
        "/CreditNotes", json={"CreditNotes": [sales_credit_note(LineItems=[line(DiscountRate=10)])]}
    )
    assert messages(answer) == ["Discounts (DiscountRate, DiscountAmount) are only supported on ACCREC invoices"]


def test_a_credit_note_needs_no_due_date(tenant: Tenant) -> None:
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    assert credit["Status"] == "AUTHORISED"


def test_an_authorised_credit_note_can_be_voided(tenant: Tenant) -> None:
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    post_credit_note(tenant, credit["CreditNoteID"], {"Status": "VOIDED"})
    shown = get_credit_note(tenant.api, credit["CreditNoteID"])
    assert (shown["Status"], shown["RemainingCredit"]) == ("VOIDED", 0)


def test_an_authorised_credit_note_cannot_be_deleted(tenant: Tenant) -> None:
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    answer = tenant.api.post(f"/CreditNotes/{credit['CreditNoteID']}", json={"CreditNotes": [{"Status": "DELETED"}]})
    assert messages(answer) == ["Credit Note not of valid status for modification"]


def test_a_draft_credit_note_can_be_deleted(tenant: Tenant) -> None:
    credit = put_credit_note(tenant.api, sales_credit_note())
    post_credit_note(tenant, credit["CreditNoteID"], {"Status": "DELETED"})
    assert get_credit_note(tenant.api, credit["CreditNoteID"])["Status"] == "DELETED"


def test_an_allocated_credit_note_cannot_be_voided(tenant: Tenant) -> None:
    # Given a credit note allocated to an invoice
    invoice = put_invoice(tenant.api, sales_invoice(Status="AUTHORISED"))
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    allocate(tenant.api, credit["CreditNoteID"], invoice["InvoiceID"], 5)
    # When it is voided
    answer = tenant.api.post(f"/CreditNotes/{credit['CreditNoteID']}", json={"CreditNotes": [{"Status": "VOIDED"}]})
    # Then Xero's settled message is returned
    assert messages(answer) == ["This document cannot be edited as it has a payment or credit note allocated to it"]


def test_a_credit_note_can_be_fetched_by_its_number(tenant: Tenant) -> None:
    credit = put_credit_note(tenant.api, sales_credit_note())
    assert get_credit_note(tenant.api, "CN-0001")["CreditNoteID"] == credit["CreditNoteID"]


def test_an_unpaged_credit_note_list_omits_line_items(tenant: Tenant) -> None:
    put_credit_note(tenant.api, sales_credit_note())
    body = tenant.api.get("/CreditNotes").json()
    assert "LineItems" not in body["CreditNotes"][0]


def test_a_paged_credit_note_list_includes_line_items(tenant: Tenant) -> None:
    put_credit_note(tenant.api, sales_credit_note())
    body = tenant.api.get("/CreditNotes", params={"page": 1}).json()
    assert len(body["CreditNotes"][0]["LineItems"]) == 1
    assert body["pagination"]["itemCount"] == 1


def test_post_matches_a_sales_credit_note_by_its_number(tenant: Tenant) -> None:
    credit = put_credit_note(tenant.api, sales_credit_note())
    tenant.api.post("/CreditNotes", json={"CreditNotes": [{"CreditNoteNumber": "CN-0001", "Reference": "RMA-3"}]})
    assert get_credit_note(tenant.api, credit["CreditNoteID"])["Reference"] == "RMA-3"


def test_creating_a_credit_note_announces_its_type_and_status(simulator: Simulator, tenant: Tenant) -> None:
    events: list[ChangeEvent] = []
    simulator.world.change_listeners.append(events.append)
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    assert [(e.event_type, e.resource_id, e.data) for e in events if e.category == "CREDITNOTE"] == [
        ("CREATE", credit["CreditNoteID"], {"Type": "ACCRECCREDIT", "Status": "AUTHORISED"})
    ]


def test_voiding_a_credit_note_announces_an_update_with_the_new_status(simulator: Simulator, tenant: Tenant) -> None:
    credit = put_credit_note(tenant.api, sales_credit_note(Status="AUTHORISED"))
    events: list[ChangeEvent] = []
    simulator.world.change_listeners.append(events.append)
    post_credit_note(tenant, credit["CreditNoteID"], {"Status": "VOIDED"})
    assert [(e.category, e.event_type, e.data) for e in events] == [
        ("CREDITNOTE", "UPDATE", {"Type": "ACCRECCREDIT", "Status": "VOIDED"})
    ]
