"""GET /Reports/AgedReceivablesByContact and AgedPayablesByContact: a contact's open documents as at a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.simulator.conftest import Tenant, connect_tenant
from tests.simulator.ledger_records import allocate, contact, credit_note, invoice, payment
from tests.simulator.report_reading import fetch_report, layout
from xero_simulator.server import Simulator
from xero_simulator.world import new_id

AT_MARCH_END = {"date": "2024-03-31"}


def seed_bakery(tenant: Tenant) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Ridgeway Bakery: A (110, part paid 30), B (220, 44 credited), C (55, paid), a draft; another customer's sale."""
    org = tenant.org
    bakery = contact(org, "Ridgeway Bakery")
    first = invoice(org, [("200", "100.00", "10.00")], on=date(2024, 1, 10), due=date(2024, 2, 9), customer=bakery)
    payment(org, first, "30.00", on=date(2024, 2, 1))
    second = invoice(org, [("200", "200.00", "20.00")], on=date(2024, 3, 5), due=date(2024, 4, 4), customer=bakery)
    note = credit_note(org, [("200", "40.00", "4.00")], on=date(2024, 3, 10), customer=bakery)
    allocate(note, second, "44.00", on=date(2024, 3, 12))
    settled = invoice(org, [("200", "50.00", "5.00")], on=date(2024, 2, 1), customer=bakery)
    payment(org, settled, "55.00", on=date(2024, 2, 15))
    invoice(org, [("200", "900.00", "90.00")], on=date(2024, 3, 1), customer=bakery, status="DRAFT")
    invoice(org, [("200", "700.00", "70.00")], on=date(2024, 3, 1))
    return bakery, first, second


def aged(tenant: Tenant, who: dict[str, Any], **params: str) -> dict[str, Any]:
    return fetch_report(tenant, "AgedReceivablesByContact", contactId=who["ContactID"], **params)


def test_aged_receivables_list_the_contacts_open_invoices_with_paid_credited_and_due(tenant: Tenant) -> None:
    # Given a customer with a part-paid invoice, a credited invoice, a settled one and a draft
    bakery, first, second = seed_bakery(tenant)
    # When the aged receivables at 31 March 2024 are fetched
    report = aged(tenant, bakery, **AT_MARCH_END)
    # Then only the open approved invoices are listed, with totals and a closing balance of 256
    a, b = first["InvoiceNumber"], second["InvoiceNumber"]
    assert layout(report) == [
        ("Header", "Date", "Number", "Due Date", "", "Total", "Paid", "Credited", "Due"),
        ("2024-01-10T00:00:00", "Opening Balance", "", "", "", "", "", "0.00"),
        ("2024-01-10T00:00:00", a, "2024-02-09T00:00:00", "51 days overdue", "110.00", "30.00", "0.00", "80.00"),
        ("2024-03-05T00:00:00", b, "2024-04-04T00:00:00", "", "220.00", "0.00", "44.00", "176.00"),
        ("Total", "", "", "", "330.00", "30.00", "44.00", "256.00"),
        ("Closing Balance", "", "", "", "330.00", "30.00", "44.00", "256.00"),
    ]


def test_aged_receivables_name_the_contact_and_the_dates(tenant: Tenant) -> None:
    # Given a customer with invoices from 10 January 2024
    bakery, _, _ = seed_bakery(tenant)
    # When the aged receivables at 31 March 2024 are fetched
    report = aged(tenant, bakery, **AT_MARCH_END)
    # Then the titles are Xero's four
    assert report["ReportTitles"] == [
        "Invoices",
        "Ridgeway Bakery",
        "From 10 January 2024 to 31 March 2024",
        "Showing payments to 31 March 2024",
    ]
    assert report["ReportType"] == "AgedReceivablesByContact"


def test_every_cell_of_an_invoice_row_carries_the_invoice_id(tenant: Tenant) -> None:
    # Given a customer with one open invoice
    bakery = contact(tenant.org, "Ridgeway Bakery")
    sale = invoice(tenant.org, [("200", "100.00", "10.00")], on=date(2024, 3, 1), customer=bakery)
    # When the aged receivables are fetched
    report = aged(tenant, bakery, **AT_MARCH_END)
    # Then the invoice's eight cells each name it
    (invoice_row,) = [r for r in report["Rows"][2]["Rows"] if r["RowType"] == "Row"]
    assert [c["Attributes"] for c in invoice_row["Cells"]] == [[{"Id": "invoiceID", "Value": sale["InvoiceID"]}]] * 8


def test_payments_after_the_report_date_are_not_counted(tenant: Tenant) -> None:
    # Given an invoice paid 30 on 1 February
    bakery, first, _ = seed_bakery(tenant)
    # When the aged receivables at 31 January are fetched
    report = aged(tenant, bakery, date="2024-01-31")
    # Then the payment is not yet counted and later invoices are not listed
    assert layout(report)[2] == (
        "2024-01-10T00:00:00",
        first["InvoiceNumber"],
        "2024-02-09T00:00:00",
        "",
        "110.00",
        "0.00",
        "0.00",
        "110.00",
    )
    assert layout(report)[-1] == ("Closing Balance", "", "", "", "110.00", "0.00", "0.00", "110.00")


def test_invoices_before_the_from_date_make_the_opening_balance(tenant: Tenant) -> None:
    # Given January's invoice with 80 still due and March's with 176
    bakery, _, _ = seed_bakery(tenant)
    # When the report starts on 1 March
    report = aged(tenant, bakery, fromDate="2024-03-01", **AT_MARCH_END)
    # Then January's 80 is the opening balance, and the closing balance is still 256
    assert layout(report)[1] == ("2024-03-01T00:00:00", "Opening Balance", "", "", "", "", "", "80.00")
    assert layout(report)[-1][-1] == "256.00"


def test_an_unallocated_credit_note_counts_against_the_balance(tenant: Tenant) -> None:
    # Given a customer with a 110 invoice and an unallocated 44 credit note
    bakery = contact(tenant.org, "Ridgeway Bakery")
    invoice(tenant.org, [("200", "100.00", "10.00")], on=date(2024, 3, 1), customer=bakery)
    credit_note(tenant.org, [("200", "40.00", "4.00")], on=date(2024, 3, 2), customer=bakery)
    # When the aged receivables are fetched
    report = aged(tenant, bakery, **AT_MARCH_END)
    # Then the credit note shows negative and the customer owes 66
    assert layout(report)[3][4:] == ("-44.00", "0.00", "0.00", "-44.00")
    assert layout(report)[-1][-1] == "66.00"


def test_aged_payables_list_the_suppliers_bills_under_a_reference_heading(tenant: Tenant) -> None:
    # Given a supplier with an open bill and a customer invoice to the same contact
    supplier = contact(tenant.org, "Harbour Office Supplies")
    invoice(tenant.org, [("453", "80.00", "8.00")], kind="ACCPAY", on=date(2024, 3, 3), customer=supplier)
    invoice(tenant.org, [("200", "10.00", "1.00")], on=date(2024, 3, 3), customer=supplier)
    # When the aged payables are fetched
    report = fetch_report(tenant, "AgedPayablesByContact", contactId=supplier["ContactID"], **AT_MARCH_END)
    # Then the heading is "Reference" (the spec's example) and only the bill counts
    assert layout(report)[0][2] == "Reference"
    assert layout(report)[-1] == ("Closing Balance", "", "", "", "88.00", "0.00", "0.00", "88.00")
    assert report["ReportName"] == "Aged Payables By Contact"


def test_aged_receivables_require_a_contact_id(tenant: Tenant) -> None:
    # Given the spec marks contactId as required
    # When the report is asked for without one
    answer = tenant.api.get("/Reports/AgedReceivablesByContact", params=AT_MARCH_END)
    # Then it is refused with a validation error
    assert answer.status_code == 400
    assert answer.json()["Type"] == "ValidationException"


def test_a_contact_id_that_is_not_a_guid_cannot_be_parsed(tenant: Tenant) -> None:
    # Given a contactId that is a name, not a GUID
    # When the report is asked for
    answer = tenant.api.get("/Reports/AgedReceivablesByContact", params={"contactId": "Ridgeway Bakery"})
    # Then Xero's plain-text 400 names the parameter
    assert answer.status_code == 400
    assert answer.text == "Supplied parameter 'contactId' cannot be parsed."


def test_an_unknown_contact_is_not_found(tenant: Tenant) -> None:
    # Given a GUID that names no contact of the organisation
    # When the report is asked for
    answer = tenant.api.get("/Reports/AgedReceivablesByContact", params={"contactId": new_id()})
    # Then it answers 404
    assert answer.status_code == 404


def test_the_granular_aged_scope_opens_the_aged_reports(simulator: Simulator) -> None:
    # Given a token holding only the granular aged-reports scope, and a customer
    narrow = connect_tenant(simulator, scopes=["offline_access", "accounting.reports.aged.read"])
    bakery = contact(narrow.org, "Ridgeway Bakery")
    # When it asks for the customer's aged receivables
    answer = narrow.api.get("/Reports/AgedReceivablesByContact", params={"contactId": bakery["ContactID"]})
    # Then the report is served
    assert answer.status_code == 200
