"""GET /Invoices: line items only on paged lists and single GETs, paging, and Xero's filters (FACTS.md §4.2-4.3)."""

from __future__ import annotations

from typing import Any

from tests.simulator.conftest import Tenant, connect_tenant
from tests.simulator.document_requests import bill, get_invoice, put_invoice, sales_invoice
from xero_simulator.builders import create_app, direct_principal


def listed(tenant: Tenant, **params: Any) -> dict[str, Any]:
    answer = tenant.api.get("/Invoices", params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def numbers(body: dict[str, Any]) -> list[str]:
    return [i["InvoiceNumber"] for i in body["Invoices"]]


def test_an_unpaged_list_omits_line_items(tenant: Tenant) -> None:
    put_invoice(tenant.api, sales_invoice())
    body = listed(tenant)
    assert "LineItems" not in body["Invoices"][0]
    assert "pagination" not in body


def test_a_paged_list_includes_line_items_and_pagination(tenant: Tenant) -> None:
    put_invoice(tenant.api, sales_invoice())
    body = listed(tenant, page=1)
    assert len(body["Invoices"][0]["LineItems"]) == 1
    assert body["pagination"] == {"page": 1, "pageSize": 100, "pageCount": 1, "itemCount": 1}


def test_page_size_splits_the_list_into_pages(tenant: Tenant) -> None:
    # Given three invoices
    for _ in range(3):
        put_invoice(tenant.api, sales_invoice())
    # When page 2 of size 2 is read
    body = listed(tenant, page=2, pageSize=2)
    # Then it holds the third invoice
    assert numbers(body) == ["INV-0003"]
    assert body["pagination"]["pageCount"] == 2


def test_a_single_get_includes_line_items(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice())
    assert len(get_invoice(tenant.api, invoice["InvoiceID"])["LineItems"]) == 1


def test_an_invoice_can_be_fetched_by_its_number(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice())
    assert get_invoice(tenant.api, "INV-0001")["InvoiceID"] == invoice["InvoiceID"]


def test_an_unknown_invoice_is_not_found(tenant: Tenant) -> None:
    assert tenant.api.get("/Invoices/6f1e1c2a-0000-4000-8000-000000000000").status_code == 404


def test_ids_filters_by_invoice_id(tenant: Tenant) -> None:
    put_invoice(tenant.api, sales_invoice())
    second = put_invoice(tenant.api, sales_invoice())
    assert numbers(listed(tenant, IDs=second["InvoiceID"])) == ["INV-0002"]


def test_invoice_numbers_filters_by_number(tenant: Tenant) -> None:
    for _ in range(3):
        put_invoice(tenant.api, sales_invoice())
    assert numbers(listed(tenant, InvoiceNumbers="INV-0001,INV-0003")) == ["INV-0001", "INV-0003"]


def test_contact_ids_filters_by_contact(tenant: Tenant) -> None:
    put_invoice(tenant.api, sales_invoice())
    other = put_invoice(tenant.api, sales_invoice(Contact={"Name": "Other Customer"}))
    assert numbers(listed(tenant, ContactIDs=other["Contact"]["ContactID"])) == ["INV-0002"]


def test_statuses_filters_by_status(tenant: Tenant) -> None:
    put_invoice(tenant.api, sales_invoice())
    put_invoice(tenant.api, sales_invoice(Status="AUTHORISED"))
    assert numbers(listed(tenant, Statuses="AUTHORISED")) == ["INV-0002"]


def test_if_modified_since_lists_only_invoices_changed_after_it(tenant: Tenant) -> None:
    # Given one invoice, then another a minute later
    first = put_invoice(tenant.api, sales_invoice())
    tenant.sim.world.clock.advance(60)
    put_invoice(tenant.api, sales_invoice())
    # When listed since the first one's timestamp
    since = first["UpdatedDateUTCString"].replace("Z", "+00:00")
    body = tenant.api.get("/Invoices", headers={"If-Modified-Since": since}).json()
    # Then only the later one is listed (Xero compares to the second)
    assert numbers(body) == ["INV-0002"]


def test_where_filters_by_type(tenant: Tenant) -> None:
    put_invoice(tenant.api, sales_invoice())
    put_invoice(tenant.api, bill())
    body = listed(tenant, where='Type=="ACCPAY"')
    assert [i["Type"] for i in body["Invoices"]] == ["ACCPAY"]


def test_order_sorts_the_list(tenant: Tenant) -> None:
    for _ in range(3):
        put_invoice(tenant.api, sales_invoice())
    assert numbers(listed(tenant, order="InvoiceNumber DESC")) == ["INV-0003", "INV-0002", "INV-0001"]


def test_created_by_my_app_lists_only_this_apps_invoices(tenant: Tenant) -> None:
    # Given another app connected to the same organisation created an invoice
    world = tenant.sim.world
    other_app = create_app(world, "Other App", ["http://localhost/cb"])
    principal = direct_principal(
        world, other_app, tenant.user, [tenant.org.organisation_id], ["accounting.transactions"]
    )
    other = tenant.client(tenant.sim.tokens.issue(principal, world.clock.now()), tenant.org.organisation_id)
    put_invoice(other, sales_invoice())
    mine = put_invoice(tenant.api, sales_invoice())
    # When this app lists createdByMyApp=true
    body = listed(tenant, createdByMyApp="true")
    # Then it sees only its own
    assert [i["InvoiceID"] for i in body["Invoices"]] == [mine["InvoiceID"]]


def test_summary_only_leaves_out_line_items_even_on_a_page(tenant: Tenant) -> None:
    put_invoice(tenant.api, sales_invoice())
    body = listed(tenant, page=1, summaryOnly="true")
    assert "LineItems" not in body["Invoices"][0]


def test_search_term_matches_the_reference(tenant: Tenant) -> None:
    put_invoice(tenant.api, sales_invoice(Reference="Order REF12"))
    put_invoice(tenant.api, sales_invoice(Reference="Something else"))
    assert numbers(listed(tenant, searchTerm="ref12")) == ["INV-0001"]


def test_a_renamed_contact_shows_its_current_name_on_its_invoices(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice())
    tenant.org.records("Contacts")[invoice["Contact"]["ContactID"]]["Name"] = "Acme Holdings"
    assert get_invoice(tenant.api, invoice["InvoiceID"])["Contact"]["Name"] == "Acme Holdings"


def test_invoices_of_another_tenant_are_not_listed(tenant: Tenant) -> None:
    # Given another organisation with an invoice
    other = connect_tenant(tenant.sim)
    put_invoice(other.api, sales_invoice())
    other.api.close()
    # When this tenant lists its invoices
    # Then it sees none
    assert listed(tenant)["Invoices"] == []
