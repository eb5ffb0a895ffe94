"""How a document's references resolve (accounting/references.py), seen through PUT /Invoices.

Contacts by ContactID, ContactNumber or Name (a new name creates a contact); ACTIVE accounts by
code or id; ACTIVE tax rates allowed on the line's account; line tracking by id or name, at most 2.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.simulator.conftest import Tenant
from tests.simulator.reference_data import account_coded, messages, new_contact, new_tracking_category
from xero_simulator.world import ChangeEvent, new_id

UNIDENTIFIED = (
    "The Contact must contain at least 1 of the following elements to identify the contact: "
    "Name, ContactID, ContactNumber"
)


def _invoice(tenant: Tenant, contact: dict[str, Any] | None = None, **line: Any) -> httpx.Response:
    """PUT one draft sales invoice with one line on Sales (200) at GST on Income unless told otherwise (None drops)."""
    item = {"Description": "Consulting", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200", "TaxType": "OUTPUT"}
    invoice = {
        "Type": "ACCREC",
        "Contact": {"Name": "Acme Ltd"} if contact is None else contact,
        "Date": "2024-05-01",
        "DueDate": "2024-05-31",
        "LineItems": [{k: v for k, v in {**item, **line}.items() if v is not None}],
    }
    return tenant.api.put("/Invoices", json={"Invoices": [invoice]})


def _contact_names(tenant: Tenant) -> list[str]:
    contacts = tenant.api.get("/Contacts", params={"includeArchived": "true"}).json()["Contacts"]
    return [c["Name"] for c in contacts]


def _tracking(category: dict[str, Any], option: str) -> dict[str, Any]:
    return {"Name": category["Name"], "Option": option}


def _archive_option(tenant: Tenant, category: dict[str, Any], option: dict[str, Any]) -> None:
    path = f"/TrackingCategories/{category['TrackingCategoryID']}/Options/{option['TrackingOptionID']}"
    tenant.api.post(path, json={"Status": "ARCHIVED"})


# --- contacts ----------------------------------------------------------------------------------


def test_a_new_contact_name_creates_an_active_contact(tenant: Tenant) -> None:
    # When an invoice names a contact the organisation does not have
    answer = _invoice(tenant, {"Name": "Acme Ltd"})
    # Then Xero creates the contact, ACTIVE, and the invoice refers to it
    contact = tenant.api.get("/Contacts").json()["Contacts"][0]
    assert (contact["Name"], contact["ContactStatus"]) == ("Acme Ltd", "ACTIVE")
    assert answer.json()["Invoices"][0]["Contact"]["ContactID"] == contact["ContactID"]


def test_a_contact_created_from_a_document_announces_contact_create(tenant: Tenant) -> None:
    # Given someone listening for changes
    heard: list[ChangeEvent] = []
    tenant.sim.world.change_listeners.append(heard.append)
    # When an invoice names a new contact
    _invoice(tenant, {"Name": "Acme Ltd"})
    # Then a CONTACT CREATE event is announced for it
    contact_id = tenant.api.get("/Contacts").json()["Contacts"][0]["ContactID"]
    assert ("CONTACT", "CREATE", contact_id) in [(e.category, e.event_type, e.resource_id) for e in heard]


def test_a_known_contact_name_reuses_the_contact_without_regard_to_case(tenant: Tenant) -> None:
    # Given Acme Ltd
    acme = new_contact(tenant.api, "Acme Ltd")
    # When an invoice names ACME LTD
    answer = _invoice(tenant, {"Name": "ACME LTD"})
    # Then it refers to Acme Ltd and no contact is added
    assert answer.json()["Invoices"][0]["Contact"]["ContactID"] == acme["ContactID"]
    assert _contact_names(tenant) == ["Acme Ltd"]


def test_a_contact_reference_needs_an_identifying_field(tenant: Tenant) -> None:
    # When an invoice's contact has none of Name, ContactID, ContactNumber
    answer = _invoice(tenant, {"EmailAddress": "ap@acme.example"})
    # Then Xero refuses it with its own words
    assert UNIDENTIFIED in messages(answer)


def test_an_unknown_contact_id_is_refused(tenant: Tenant) -> None:
    # When an invoice names a ContactID the organisation does not have
    answer = _invoice(tenant, {"ContactID": new_id(), "Name": "Acme Ltd"})
    # Then it is refused, and no contact is made up from the name
    assert "An existing Contact with the specified ContactID could not be found" in messages(answer)
    assert _contact_names(tenant) == []


def test_the_contact_id_wins_over_the_name(tenant: Tenant) -> None:
    # Given Acme Ltd
    acme = new_contact(tenant.api, "Acme Ltd")
    # When an invoice gives Acme's ContactID with another name
    answer = _invoice(tenant, {"ContactID": acme["ContactID"], "Name": "Someone Else"})
    # Then the invoice is Acme's
    assert answer.json()["Invoices"][0]["Contact"]["ContactID"] == acme["ContactID"]


def test_a_contact_number_identifies_the_contact(tenant: Tenant) -> None:
    # Given Acme Ltd numbered C-1
    acme = new_contact(tenant.api, "Acme Ltd", ContactNumber="C-1")
    # When an invoice names only C-1
    answer = _invoice(tenant, {"ContactNumber": "C-1"})
    # Then it is Acme's
    assert answer.json()["Invoices"][0]["Contact"]["ContactID"] == acme["ContactID"]


def test_an_unknown_contact_number_alone_is_refused(tenant: Tenant) -> None:
    # When an invoice names only a ContactNumber nobody has
    answer = _invoice(tenant, {"ContactNumber": "C-404"})
    # Then it is refused
    assert "An existing Contact with the specified ContactNumber could not be found" in messages(answer)


def test_an_unknown_contact_number_with_a_name_creates_the_contact_with_both(tenant: Tenant) -> None:
    # When an invoice names a new contact with a new number
    _invoice(tenant, {"Name": "Acme Ltd", "ContactNumber": "C-9"})
    # Then the contact is created with that number
    assert tenant.api.get("/Contacts/C-9").json()["Contacts"][0]["Name"] == "Acme Ltd"


def test_an_archived_contact_cannot_be_used(tenant: Tenant) -> None:
    # Given an archived contact
    acme = new_contact(tenant.api, "Acme Ltd")
    tenant.api.post(f"/Contacts/{acme['ContactID']}", json={"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    # When an invoice names it by ContactID
    answer = _invoice(tenant, {"ContactID": acme["ContactID"]})
    # Then it is refused
    assert "Unable to assign an Archived contact." in messages(answer)


def test_a_name_held_only_by_an_archived_contact_creates_a_new_contact(tenant: Tenant) -> None:
    # Given an archived Acme Ltd
    old = new_contact(tenant.api, "Acme Ltd")
    tenant.api.post(f"/Contacts/{old['ContactID']}", json={"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    # When an invoice names Acme Ltd
    answer = _invoice(tenant, {"Name": "Acme Ltd"})
    # Then a new, active Acme Ltd is created for it
    assert answer.json()["Invoices"][0]["Contact"]["ContactID"] != old["ContactID"]
    assert _contact_names(tenant) == ["Acme Ltd", "Acme Ltd"]


def test_a_refused_document_creates_no_contact(tenant: Tenant) -> None:
    # When an invoice naming a new contact is refused for its line's account
    _invoice(tenant, {"Name": "Acme Ltd"}, AccountCode="999")
    # Then no contact was created
    assert _contact_names(tenant) == []


# --- accounts and tax rates ----------------------------------------------------------------------


def test_an_unknown_account_code_is_refused(tenant: Tenant) -> None:
    # When a line names an account code the chart does not have
    answer = _invoice(tenant, AccountCode="999")
    # Then Xero refuses it with its own words
    assert "Account code '999' is not a valid code for this document." in messages(answer)


def test_an_archived_account_is_refused(tenant: Tenant) -> None:
    # Given the Other Revenue account archived
    other = account_coded(tenant.api, "260")
    tenant.api.post(f"/Accounts/{other['AccountID']}", json={"Accounts": [{"Status": "ARCHIVED"}]})
    # When a line uses it
    answer = _invoice(tenant, AccountCode="260")
    # Then it is refused
    assert (
        "The account '260' has been archived, or has been deleted. Each line item must reference a valid account."
        in messages(answer)
    )


def test_an_account_is_found_by_its_account_id(tenant: Tenant) -> None:
    # When a line names the Sales account by AccountID only
    sales = account_coded(tenant.api, "200")
    answer = _invoice(tenant, AccountCode=None, AccountID=sales["AccountID"])
    # Then the line is on Sales
    assert answer.json()["Invoices"][0]["LineItems"][0]["AccountCode"] == "200"


def test_an_account_code_that_contradicts_the_account_id_is_refused(tenant: Tenant) -> None:
    # When a line names Sales by AccountID and Other Revenue by code
    sales = account_coded(tenant.api, "200")
    answer = _invoice(tenant, AccountCode="260", AccountID=sales["AccountID"])
    # Then it is refused
    assert answer.status_code == 400


def test_an_unknown_tax_type_is_refused(tenant: Tenant) -> None:
    # When a line uses a NZ TaxType in an AU organisation
    answer = _invoice(tenant, TaxType="OUTPUT2")
    # Then Xero refuses it with its own words
    assert "The TaxType code OUTPUT2 does not exist or cannot be used for this type of transaction." in messages(answer)


def test_an_archived_tax_rate_is_refused(tenant: Tenant) -> None:
    # Given GST Free Exports archived
    tenant.api.post("/TaxRates", json={"TaxRates": [{"TaxType": "EXEMPTEXPORT", "Status": "ARCHIVED"}]})
    # When a line uses it
    answer = _invoice(tenant, TaxType="EXEMPTEXPORT")
    # Then it is refused
    assert "The TaxType code EXEMPTEXPORT does not exist or cannot be used for this type of transaction." in messages(
        answer
    )


def test_a_tax_rate_not_allowed_on_the_lines_account_is_refused(tenant: Tenant) -> None:
    # When a sales line on the Sales account uses GST on Expenses
    answer = _invoice(tenant, TaxType="INPUT")
    # Then Xero refuses it with its own words
    assert "The TaxType code 'INPUT' cannot be used with account code '200'." in messages(answer)


# --- tracking ------------------------------------------------------------------------------------


def test_tracking_by_names_resolves_to_ids(tenant: Tenant) -> None:
    # Given Region with North
    region = new_tracking_category(tenant.api, "Region", ("North",))
    # When a line is tracked by category and option names
    answer = _invoice(tenant, Tracking=[{"Name": "region", "Option": "north"}])
    # Then the line carries both ids and Xero's spelling of the names
    tracking = answer.json()["Invoices"][0]["LineItems"][0]["Tracking"]
    assert tracking == [
        {
            "TrackingCategoryID": region["TrackingCategoryID"],
            "TrackingOptionID": region["Options"][0]["TrackingOptionID"],
            "Name": "Region",
            "Option": "North",
        }
    ]


def test_tracking_by_ids_resolves_to_names(tenant: Tenant) -> None:
    # Given Region with North
    region = new_tracking_category(tenant.api, "Region", ("North",))
    ids = {
        "TrackingCategoryID": region["TrackingCategoryID"],
        "TrackingOptionID": region["Options"][0]["TrackingOptionID"],
    }
    # When a line is tracked by ids
    answer = _invoice(tenant, Tracking=[ids])
    # Then the line carries the names too
    tracking = answer.json()["Invoices"][0]["LineItems"][0]["Tracking"][0]
    assert (tracking["Name"], tracking["Option"]) == ("Region", "North")


def test_a_line_has_at_most_two_tracking_categories(tenant: Tenant) -> None:
    # Given two categories
    region = new_tracking_category(tenant.api, "Region", ("North",))
    department = new_tracking_category(tenant.api, "Department", ("Sales",))
    # When a line carries three tracking entries
    tracking = [_tracking(region, "North"), _tracking(department, "Sales"), _tracking(region, "North")]
    answer = _invoice(tenant, Tracking=tracking)
    # Then it is refused
    assert "A line item can have a maximum of 2 tracking categories." in messages(answer)


def test_a_line_uses_each_tracking_category_once(tenant: Tenant) -> None:
    # Given Region with North and South
    region = new_tracking_category(tenant.api, "Region", ("North", "South"))
    # When a line is tracked to both North and South
    answer = _invoice(tenant, Tracking=[_tracking(region, "North"), _tracking(region, "South")])
    # Then it is refused
    assert "The tracking category 'Region' can only be used once on a line item." in messages(answer)


def test_an_unknown_tracking_category_is_refused(tenant: Tenant) -> None:
    # When a line is tracked by a category the organisation does not have
    answer = _invoice(tenant, Tracking=[{"Name": "Region", "Option": "North"}])
    # Then it is refused
    assert "The tracking category 'Region' does not exist." in messages(answer)


def test_an_unknown_tracking_option_is_refused(tenant: Tenant) -> None:
    # Given Region with North only
    region = new_tracking_category(tenant.api, "Region", ("North",))
    # When a line is tracked to South
    answer = _invoice(tenant, Tracking=[_tracking(region, "South")])
    # Then it is refused
    assert "The tracking option 'South' does not exist in 'Region'." in messages(answer)


def test_an_archived_tracking_option_is_refused(tenant: Tenant) -> None:
    # Given Region's North option archived
    region = new_tracking_category(tenant.api, "Region", ("North",))
    _archive_option(tenant, region, region["Options"][0])
    # When a line is tracked to North
    answer = _invoice(tenant, Tracking=[_tracking(region, "North")])
    # Then it is refused
    assert "The tracking option 'North' is archived and cannot be used." in messages(answer)


def test_an_archived_tracking_category_is_refused(tenant: Tenant) -> None:
    # Given Region archived
    region = new_tracking_category(tenant.api, "Region", ("North",))
    tenant.api.post(f"/TrackingCategories/{region['TrackingCategoryID']}", json={"Status": "ARCHIVED"})
    # When a line is tracked by it
    answer = _invoice(tenant, Tracking=[_tracking(region, "North")])
    # Then it is refused
    assert "The tracking category 'Region' is archived and cannot be used." in messages(answer)
