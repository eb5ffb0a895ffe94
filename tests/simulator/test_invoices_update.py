"""Updating invoices with POST: matching, line item replacement (FACTS.md §4.7) and change stamps."""

from __future__ import annotations

from tests.simulator.conftest import Tenant
from tests.simulator.document_requests import (
    bill,
    get_invoice,
    line,
    messages,
    post_invoice,
    put_invoice,
    sales_invoice,
)


def test_post_without_an_id_creates_an_invoice(tenant: Tenant) -> None:
    answer = tenant.api.post("/Invoices", json={"Invoices": [sales_invoice()]})
    assert answer.status_code == 200
    assert len(tenant.org.records("Invoices")) == 1


def test_post_matches_a_sales_invoice_by_its_number(tenant: Tenant) -> None:
    # Given INV-0001
    invoice = put_invoice(tenant.api, sales_invoice())
    # When POST sends InvoiceNumber INV-0001 with a new reference and no id
    answer = tenant.api.post("/Invoices", json={"Invoices": [{"InvoiceNumber": "INV-0001", "Reference": "PO-7"}]})
    # Then INV-0001 is updated rather than a second invoice created
    assert answer.status_code == 200, answer.text
    assert get_invoice(tenant.api, invoice["InvoiceID"])["Reference"] == "PO-7"
    assert len(tenant.org.records("Invoices")) == 1


def test_post_does_not_match_bills_by_number(tenant: Tenant) -> None:
    # Given a bill numbered 5001
    put_invoice(tenant.api, bill(InvoiceNumber="5001"))
    # When POST sends another bill numbered 5001
    answer = tenant.api.post("/Invoices", json={"Invoices": [bill(InvoiceNumber="5001")]})
    # Then a second bill is created (supplier numbers are not keys)
    assert answer.status_code == 200
    assert len(tenant.org.records("Invoices")) == 2


def test_post_to_the_invoice_path_updates_it(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice())
    answer = post_invoice(tenant.api, invoice["InvoiceID"], {"Reference": "PO-8"})
    assert answer.json()["Invoices"][0]["Reference"] == "PO-8"


def test_post_to_the_invoice_number_path_updates_it(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice())
    post_invoice(tenant.api, "INV-0001", {"Reference": "PO-9"})
    assert get_invoice(tenant.api, invoice["InvoiceID"])["Reference"] == "PO-9"


def test_post_to_the_path_of_an_unknown_invoice_is_not_found(tenant: Tenant) -> None:
    answer = post_invoice(tenant.api, "6f1e1c2a-0000-4000-8000-000000000000", {"Reference": "x"})
    assert answer.status_code == 404


def test_post_with_an_unknown_invoice_id_is_refused(tenant: Tenant) -> None:
    answer = tenant.api.post(
        "/Invoices", json={"Invoices": [{"InvoiceID": "6f1e1c2a-0000-4000-8000-000000000000", "Reference": "x"}]}
    )
    assert messages(answer) == ["The document with the supplied id was not found for this endpoint."]


def test_line_items_sent_without_their_ids_replace_the_old_ones(tenant: Tenant) -> None:
    # Given an invoice with one line
    invoice = put_invoice(tenant.api, sales_invoice())
    old_id = invoice["LineItems"][0]["LineItemID"]
    # When its lines are sent again without LineItemIDs
    post_invoice(tenant.api, invoice["InvoiceID"], {"LineItems": [line(Description="New work")]})
    # Then the old line is gone and the new one has a new id
    lines = get_invoice(tenant.api, invoice["InvoiceID"])["LineItems"]
    assert [item["Description"] for item in lines] == ["New work"]
    assert lines[0]["LineItemID"] != old_id


def test_a_line_item_sent_with_its_id_is_kept_with_its_other_fields(tenant: Tenant) -> None:
    # Given an invoice line of 1 x 100.00 described "Consulting"
    invoice = put_invoice(tenant.api, sales_invoice())
    line_id = invoice["LineItems"][0]["LineItemID"]
    # When the update sends that LineItemID with only a new Quantity
    post_invoice(tenant.api, invoice["InvoiceID"], {"LineItems": [{"LineItemID": line_id, "Quantity": 3}]})
    # Then the same line now reads 3 x 100.00, still "Consulting"
    kept = get_invoice(tenant.api, invoice["InvoiceID"])["LineItems"][0]
    assert (kept["LineItemID"], kept["Description"], kept["LineAmount"]) == (line_id, "Consulting", 300.00)


def test_a_line_item_left_out_of_an_update_is_removed(tenant: Tenant) -> None:
    # Given two lines
    invoice = put_invoice(tenant.api, sales_invoice(LineItems=[line(Description="A"), line(Description="B")]))
    keep = invoice["LineItems"][0]["LineItemID"]
    # When the update sends only the first
    post_invoice(tenant.api, invoice["InvoiceID"], {"LineItems": [{"LineItemID": keep}]})
    # Then the second is removed and the totals follow
    shown = get_invoice(tenant.api, invoice["InvoiceID"])
    assert ([item["Description"] for item in shown["LineItems"]], shown["Total"]) == (["A"], 110.00)


def test_an_update_without_line_items_keeps_them(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice())
    post_invoice(tenant.api, invoice["InvoiceID"], {"Reference": "PO-1"})
    shown = get_invoice(tenant.api, invoice["InvoiceID"])
    assert shown["LineItems"][0]["LineItemID"] == invoice["LineItems"][0]["LineItemID"]


def test_a_line_item_id_of_another_invoice_is_refused(tenant: Tenant) -> None:
    # Given two invoices
    first = put_invoice(tenant.api, sales_invoice())
    second = put_invoice(tenant.api, sales_invoice())
    # When the second is updated with the first one's LineItemID
    foreign = first["LineItems"][0]["LineItemID"]
    answer = post_invoice(tenant.api, second["InvoiceID"], {"LineItems": [{"LineItemID": foreign}]})
    # Then it is refused
    assert answer.status_code == 400


def test_changing_line_amount_types_refigures_the_totals(tenant: Tenant) -> None:
    # Given an exclusive invoice of 100.00 + 10.00
    invoice = put_invoice(tenant.api, sales_invoice())
    # When it becomes Inclusive
    post_invoice(tenant.api, invoice["InvoiceID"], {"LineAmountTypes": "Inclusive"})
    # Then 100.00 includes 9.09 of tax
    shown = get_invoice(tenant.api, invoice["InvoiceID"])
    assert (shown["Total"], shown["TotalTax"]) == (100.00, 9.09)


def test_every_update_moves_updated_date_utc(tenant: Tenant) -> None:
    # Given an invoice
    invoice = put_invoice(tenant.api, sales_invoice())
    # When it is updated a minute later
    tenant.sim.world.clock.advance(60)
    updated = post_invoice(tenant.api, invoice["InvoiceID"], {"Reference": "later"}).json()["Invoices"][0]
    # Then UpdatedDateUTC and UpdatedDateUTCString moved
    assert updated["UpdatedDateUTC"] != invoice["UpdatedDateUTC"]
    assert updated["UpdatedDateUTCString"] != invoice["UpdatedDateUTCString"]


def test_a_new_number_must_not_belong_to_another_sales_invoice(tenant: Tenant) -> None:
    put_invoice(tenant.api, sales_invoice())
    second = put_invoice(tenant.api, sales_invoice())
    answer = post_invoice(tenant.api, second["InvoiceID"], {"InvoiceNumber": "INV-0001"})
    assert messages(answer) == ["Invoice # must be unique."]
