"""Creating sales invoices and bills: figures, numbers, defaults and what Xero refuses."""

from __future__ import annotations

from datetime import date

from tests.simulator.conftest import Tenant
from tests.simulator.document_requests import bill, get_invoice, line, messages, put_invoice, sales_invoice
from xero_simulator.accounting.documents import org_today


def test_an_exclusive_invoice_adds_gst_on_top_of_its_lines(tenant: Tenant) -> None:
    # When lines of 2 x 45.50 and 1 x 9.99 go on account 200 (GST on Income 10%)
    invoice = put_invoice(
        tenant.api, sales_invoice(LineItems=[line(Quantity=2, UnitAmount=45.50), line(UnitAmount=9.99)])
    )
    # Then SubTotal 100.99 + tax (9.10 + 1.00) = 111.09
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (100.99, 10.10, 111.09)


def test_an_inclusive_invoice_takes_gst_out_of_its_lines(tenant: Tenant) -> None:
    # When 115.50 including GST is invoiced: tax 115.50 x 10 / 110 = 10.50
    invoice = put_invoice(tenant.api, sales_invoice(LineAmountTypes="Inclusive", LineItems=[line(UnitAmount=115.50)]))
    # Then the total stays 115.50 and the subtotal is 105.00
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (105.00, 10.50, 115.50)


def test_a_notax_invoice_charges_no_tax(tenant: Tenant) -> None:
    # When 3 x 20 is invoiced with NoTax
    invoice = put_invoice(
        tenant.api, sales_invoice(LineAmountTypes="NoTax", LineItems=[line(Quantity=3, UnitAmount=20)])
    )
    # Then the total is the subtotal
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (60.00, 0.00, 60.00)


def test_a_discount_rate_reduces_the_line_and_shows_as_total_discount(tenant: Tenant) -> None:
    # When 4 x 25 is discounted 15%: 85.00 + 8.50 tax
    invoice = put_invoice(tenant.api, sales_invoice(LineItems=[line(Quantity=4, UnitAmount=25, DiscountRate=15)]))
    # Then the discount is reported and the totals use the discounted line
    assert (invoice["Total"], invoice["TotalDiscount"], invoice["IsDiscounted"]) == (93.50, 15.00, True)


def test_a_discount_amount_reduces_the_line(tenant: Tenant) -> None:
    # When 2 x 50 is discounted by 20.00
    invoice = put_invoice(tenant.api, sales_invoice(LineItems=[line(Quantity=2, UnitAmount=50, DiscountAmount=20)]))
    # Then the line is 80.00
    assert invoice["LineItems"][0]["LineAmount"] == 80.00


def test_a_bill_refuses_a_discount(tenant: Tenant) -> None:
    # When a bill line carries a DiscountRate (FACTS.md §4.6: ACCREC only)
    answer = tenant.api.put(
        "/Invoices", json={"Invoices": [bill(LineItems=[line(AccountCode="429", DiscountRate=10)])]}
    )
    # Then it is refused
    assert answer.status_code == 400
    assert "only supported on ACCREC invoices" in messages(answer)[0]


def test_a_supplied_tax_amount_overrides_the_computed_tax(tenant: Tenant) -> None:
    # When a 100.00 line is sent with TaxAmount 9.99
    invoice = put_invoice(tenant.api, sales_invoice(LineItems=[line(TaxAmount=9.99)]))
    # Then 9.99 is the tax
    assert (invoice["TotalTax"], invoice["Total"]) == (9.99, 109.99)


def test_a_client_total_that_disagrees_with_the_lines_is_ignored(tenant: Tenant) -> None:
    # When the client claims a Total of 999
    invoice = put_invoice(tenant.api, sales_invoice(Total=999))
    # Then Xero's own total stands
    assert invoice["Total"] == 110.00


def test_a_line_amount_that_disagrees_with_quantity_times_unit_amount_is_refused(tenant: Tenant) -> None:
    # When 2 x 10 is sent as a line of 25
    answer = tenant.api.put(
        "/Invoices", json={"Invoices": [sales_invoice(LineItems=[line(Quantity=2, UnitAmount=10, LineAmount=25)])]}
    )
    # Then Xero's message is returned
    assert messages(answer) == ["The line total 25.00 does not match the expected line total 20.00"]


def test_a_missing_unit_amount_is_derived_from_the_line_amount(tenant: Tenant) -> None:
    # When a line gives Quantity 4 and LineAmount 30
    invoice = put_invoice(
        tenant.api,
        sales_invoice(LineItems=[{"Description": "x", "Quantity": 4, "LineAmount": 30, "AccountCode": "200"}]),
    )
    # Then UnitAmount is 7.50
    assert invoice["LineItems"][0]["UnitAmount"] == 7.50


def test_unit_amounts_keep_four_places_with_unitdp_4(tenant: Tenant) -> None:
    # When a unit amount of 1.2345 is sent with unitdp=4
    invoice = put_invoice(tenant.api, sales_invoice(LineItems=[line(UnitAmount=1.2345)]), unitdp=4)
    # Then it keeps four places
    assert invoice["LineItems"][0]["UnitAmount"] == 1.2345


def test_unit_amounts_are_shown_to_two_places_without_unitdp(tenant: Tenant) -> None:
    # Given an invoice created with a 4-place unit amount
    created = put_invoice(tenant.api, sales_invoice(LineItems=[line(UnitAmount=1.2345)]), unitdp=4)
    # When it is read without unitdp
    invoice = get_invoice(tenant.api, created["InvoiceID"])
    # Then the unit amount has two places
    assert invoice["LineItems"][0]["UnitAmount"] == 1.23


def test_a_line_takes_its_tax_type_from_its_account(tenant: Tenant) -> None:
    # When a bill line on 429 General Expenses names no TaxType
    invoice = put_invoice(tenant.api, bill())
    # Then it gets the account's INPUT (GST on Expenses 10%)
    assert (invoice["LineItems"][0]["TaxType"], invoice["TotalTax"]) == ("INPUT", 10.00)


def test_a_tax_type_not_allowed_on_the_account_is_refused(tenant: Tenant) -> None:
    # When GST on Income is put on an expense account
    answer = tenant.api.put(
        "/Invoices", json={"Invoices": [bill(LineItems=[line(AccountCode="429", TaxType="OUTPUT")])]}
    )
    # Then Xero's message is returned
    assert messages(answer) == ["The TaxType code 'OUTPUT' cannot be used with account code '429'."]


def test_an_archived_account_is_refused(tenant: Tenant) -> None:
    # Given account 260 is archived
    next(a for a in tenant.org.records("Accounts").values() if a["Code"] == "260")["Status"] = "ARCHIVED"
    # When an invoice line uses it
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(LineItems=[line(AccountCode="260")])]})
    # Then the invoice is refused
    assert answer.status_code == 400
    assert "has been archived" in messages(answer)[0]


def test_an_archived_tax_rate_is_refused(tenant: Tenant) -> None:
    # Given the GST Free Income rate is archived
    tenant.org.records("TaxRates")["EXEMPTOUTPUT"]["Status"] = "ARCHIVED"
    # When a line uses it
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(LineItems=[line(TaxType="EXEMPTOUTPUT")])]})
    # Then the invoice is refused
    assert messages(answer) == [
        "The TaxType code EXEMPTOUTPUT does not exist or cannot be used for this type of transaction."
    ]


def test_sales_invoice_numbers_are_generated_in_sequence(tenant: Tenant) -> None:
    # When two sales invoices are created without numbers
    first = put_invoice(tenant.api, sales_invoice())
    second = put_invoice(tenant.api, sales_invoice())
    # Then they are INV-0001 and INV-0002
    assert (first["InvoiceNumber"], second["InvoiceNumber"]) == ("INV-0001", "INV-0002")


def test_a_generated_number_skips_one_a_client_already_used(tenant: Tenant) -> None:
    # Given a client numbered an invoice INV-0001 by hand
    put_invoice(tenant.api, sales_invoice(InvoiceNumber="INV-0001"))
    # When the next invoice is numbered by Xero
    invoice = put_invoice(tenant.api, sales_invoice())
    # Then it does not reuse INV-0001
    assert invoice["InvoiceNumber"] == "INV-0002"


def test_a_sales_invoice_number_must_be_unique(tenant: Tenant) -> None:
    # Given INV-100 exists
    put_invoice(tenant.api, sales_invoice(InvoiceNumber="INV-100"))
    # When another sales invoice is created with that number
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(InvoiceNumber="INV-100")]})
    # Then Xero's message is returned
    assert messages(answer) == ["Invoice # must be unique."]


def test_bill_numbers_may_repeat(tenant: Tenant) -> None:
    # Given a bill with the supplier's number 5001
    put_invoice(tenant.api, bill(InvoiceNumber="5001"))
    # When another bill carries the same number
    second = put_invoice(tenant.api, bill(InvoiceNumber="5001"))
    # Then it is accepted
    assert second["InvoiceNumber"] == "5001"


def test_type_is_required(tenant: Tenant) -> None:
    body = sales_invoice()
    del body["Type"]
    # When an invoice without Type is created
    answer = tenant.api.put("/Invoices", json={"Invoices": [body]})
    # Then it is refused
    assert messages(answer) == ["Invoice Type must be specified"]


def test_a_contact_is_required(tenant: Tenant) -> None:
    body = sales_invoice()
    del body["Contact"]
    # When an invoice without a Contact is created
    answer = tenant.api.put("/Invoices", json={"Invoices": [body]})
    # Then it is refused
    assert messages(answer) == ["A Contact must be specified for this type of transaction"]


def test_a_contact_named_for_the_first_time_is_created(tenant: Tenant) -> None:
    # When an invoice names a contact nobody has created
    invoice = put_invoice(tenant.api, sales_invoice(Contact={"Name": "Brand New Customer"}))
    # Then the contact exists
    contact = tenant.org.records("Contacts")[invoice["Contact"]["ContactID"]]
    assert contact["Name"] == "Brand New Customer"


def test_the_date_defaults_to_today_in_the_organisations_timezone(tenant: Tenant) -> None:
    # When an invoice is created without a Date
    invoice = put_invoice(tenant.api, sales_invoice())
    # Then its date is today in Sydney
    today = org_today(tenant.org, tenant.sim.world.clock.now())
    assert invoice["DateString"] == f"{today.isoformat()}T00:00:00"


def test_an_authorised_invoice_needs_a_due_date(tenant: Tenant) -> None:
    body = sales_invoice(Status="AUTHORISED")
    del body["DueDate"]
    # When an AUTHORISED invoice has no DueDate
    answer = tenant.api.put("/Invoices", json={"Invoices": [body]})
    # Then it is refused
    assert messages(answer) == ["The document DueDate field must be specified."]


def test_a_draft_invoice_needs_no_due_date(tenant: Tenant) -> None:
    body = sales_invoice()
    del body["DueDate"]
    # When a DRAFT invoice has no DueDate
    invoice = put_invoice(tenant.api, body)
    # Then it is saved
    assert invoice["Status"] == "DRAFT"


def test_an_invoice_needs_at_least_one_line_item(tenant: Tenant) -> None:
    # When an invoice has no lines
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(LineItems=[])]})
    # Then it is refused
    assert messages(answer) == ["One or more line items must be specified"]


def test_an_authorised_invoice_needs_an_account_on_each_line_with_an_amount(tenant: Tenant) -> None:
    # When an AUTHORISED invoice has a line with an amount and no account
    body = sales_invoice(Status="AUTHORISED", LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": 10}])
    answer = tenant.api.put("/Invoices", json={"Invoices": [body]})
    # Then it is refused
    assert messages(answer) == ["Account code must be specified."]


def test_a_draft_invoice_may_have_lines_without_accounts(tenant: Tenant) -> None:
    # When a DRAFT invoice has a line with no account
    invoice = put_invoice(tenant.api, sales_invoice(LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": 10}]))
    # Then it is saved without tax
    assert (invoice["Status"], invoice["Total"]) == ("DRAFT", 10.00)


def test_the_currency_defaults_to_the_base_currency(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice())
    assert (invoice["CurrencyCode"], invoice["CurrencyRate"]) == ("AUD", 1.0)


def test_a_currency_the_organisation_has_not_added_is_refused(tenant: Tenant) -> None:
    # When an AUD organisation invoices in USD without having added USD
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(CurrencyCode="USD")]})
    # Then it is refused
    assert messages(answer) == ["Organisation is not subscribed to currency USD"]


def test_every_line_gets_a_line_item_id(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice(LineItems=[line(), line()]))
    ids = [item["LineItemID"] for item in invoice["LineItems"]]
    assert len(set(ids)) == 2
    assert all(ids)


def test_paid_cannot_be_set_directly(tenant: Tenant) -> None:
    # When an invoice is created as PAID (FACTS.md §4.7: reached only by payments)
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(Status="PAID")]})
    # Then it is refused
    assert messages(answer) == ["Invoice not of valid status for modification"]


def test_a_new_invoice_owes_its_whole_total(tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice(Status="AUTHORISED"))
    assert (invoice["AmountDue"], invoice["AmountPaid"], invoice["AmountCredited"]) == (110.00, 0.00, 0.00)


def test_put_refuses_an_invoice_id_because_it_only_creates(tenant: Tenant) -> None:
    # Given an invoice
    invoice = put_invoice(tenant.api, sales_invoice())
    # When PUT sends its InvoiceID again
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(InvoiceID=invoice["InvoiceID"])]})
    # Then nothing is created or changed
    assert answer.status_code == 400
    assert len(tenant.org.records("Invoices")) == 1


def test_an_item_code_fills_in_the_line_from_the_items_sales_details(tenant: Tenant) -> None:
    # Given an item sold at 12.00 on account 200
    tenant.org.records("Items")["item-1"] = {
        "ItemID": "item-1",
        "Code": "WIDGET",
        "Name": "Widget",
        "Description": "A widget",
        "SalesDetails": {"UnitPrice": 12, "AccountCode": "200"},
    }
    # When a line names only the item and a quantity
    invoice = put_invoice(tenant.api, sales_invoice(LineItems=[{"ItemCode": "WIDGET", "Quantity": 2}]))
    # Then the line is 2 x 12.00 on account 200, described as the item
    item_line = invoice["LineItems"][0]
    assert (item_line["Description"], item_line["LineAmount"], item_line["AccountCode"]) == ("A widget", 24.00, "200")


def test_an_unknown_item_code_is_refused(tenant: Tenant) -> None:
    answer = tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(LineItems=[{"ItemCode": "NOPE"}])]})
    assert messages(answer) == ["Item code NOPE is not valid"]


def test_a_date_string_in_ms_json_form_is_accepted(tenant: Tenant) -> None:
    # When Date is sent as /Date(ms+0000)/ for 2030-03-04
    millis = int((date(2030, 3, 4) - date(1970, 1, 1)).total_seconds() * 1000)
    invoice = put_invoice(tenant.api, sales_invoice(Date=f"/Date({millis}+0000)/"))
    # Then the invoice is dated 2030-03-04
    assert invoice["DateString"] == "2030-03-04T00:00:00"


def test_a_bill_approved_with_a_zero_total_is_paid_at_once(tenant: Tenant) -> None:
    # When a bill of 0.00 is created AUTHORISED
    created = put_invoice(tenant.api, bill(Status="AUTHORISED", LineItems=[line(UnitAmount=0, AccountCode="400")]))
    # Then Xero marks it paid: nothing is due on it
    assert (created["Status"], created["AmountDue"]) == ("PAID", 0.0)


def test_a_draft_with_a_zero_total_stays_a_draft(tenant: Tenant) -> None:
    # When a sales invoice of 0.00 is created as a draft
    created = put_invoice(tenant.api, sales_invoice(Status="DRAFT", LineItems=[line(UnitAmount=0)]))
    # Then it stays DRAFT: only approving a zero total pays it
    assert created["Status"] == "DRAFT"
