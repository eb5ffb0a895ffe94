"""Contacts through /Contacts: names, numbers, archiving, customer/supplier flags, lists, webhooks (FACTS.md §4.10)."""

from __future__ import annotations

from typing import Any

from tests.simulator.conftest import Tenant
from tests.simulator.reference_data import messages, new_contact
from xero_simulator.world import ChangeEvent, new_id

DUPLICATE_ACME = (
    "The contact name Acme Ltd is already assigned to another contact. "
    "The contact name must be unique across all active contacts."
)


def _archive(tenant: Tenant, contact: dict[str, Any]) -> Any:
    return tenant.api.post(f"/Contacts/{contact['ContactID']}", json={"Contacts": [{"ContactStatus": "ARCHIVED"}]})


def _names(tenant: Tenant, **params: Any) -> list[str]:
    return [c["Name"] for c in tenant.api.get("/Contacts", params=params).json()["Contacts"]]


def _events(tenant: Tenant) -> list[ChangeEvent]:
    heard: list[ChangeEvent] = []
    tenant.sim.world.change_listeners.append(heard.append)
    return heard


def _seed_invoice(tenant: Tenant, contact: dict[str, Any], kind: str) -> None:
    invoice_id = new_id()
    tenant.org.records("Invoices")[invoice_id] = {
        "InvoiceID": invoice_id,
        "Type": kind,
        "Status": "AUTHORISED",
        "Contact": {"ContactID": contact["ContactID"], "Name": contact["Name"]},
    }


def test_put_creates_an_active_contact(tenant: Tenant) -> None:
    # When a contact is created
    created = new_contact(tenant.api, "Acme Ltd", EmailAddress="accounts@acme.example")
    # Then it is ACTIVE and can be read back by its id
    assert created["ContactStatus"] == "ACTIVE"
    read = tenant.api.get(f"/Contacts/{created['ContactID']}").json()["Contacts"][0]
    assert (read["Name"], read["EmailAddress"]) == ("Acme Ltd", "accounts@acme.example")


def test_contact_needs_a_name(tenant: Tenant) -> None:
    # When a contact is created with only an email address
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"EmailAddress": "x@example.com"}]})
    # Then Xero refuses it
    assert answer.status_code == 400
    assert messages(answer) == ["Contact Name cannot be empty."]


def test_contact_name_must_be_unique_among_active_contacts(tenant: Tenant) -> None:
    # Given Acme Ltd
    new_contact(tenant.api, "Acme Ltd")
    # When a second Acme Ltd is created
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"Name": "Acme Ltd"}]})
    # Then Xero refuses it with its own words
    assert messages(answer) == [DUPLICATE_ACME]


def test_contact_names_compare_without_case(tenant: Tenant) -> None:
    # Given Acme Ltd
    new_contact(tenant.api, "Acme Ltd")
    # When ACME LTD is created
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"Name": "ACME LTD"}]})
    # Then it counts as the same name
    assert answer.status_code == 400


def test_an_archived_contacts_name_can_be_reused(tenant: Tenant) -> None:
    # Given an archived Acme Ltd
    _archive(tenant, new_contact(tenant.api, "Acme Ltd"))
    # When a new Acme Ltd is created
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"Name": "Acme Ltd"}]})
    # Then it is accepted: names are unique among ACTIVE contacts only
    assert answer.status_code == 200


def test_restoring_a_contact_whose_name_was_reused_is_refused(tenant: Tenant) -> None:
    # Given an archived Acme Ltd and a new active one
    old = new_contact(tenant.api, "Acme Ltd")
    _archive(tenant, old)
    new_contact(tenant.api, "Acme Ltd")
    # When the old one is made ACTIVE again
    answer = tenant.api.post(f"/Contacts/{old['ContactID']}", json={"Contacts": [{"ContactStatus": "ACTIVE"}]})
    # Then Xero refuses: two active contacts would share the name
    assert messages(answer) == [DUPLICATE_ACME]


def test_contact_name_over_255_characters_is_refused(tenant: Tenant) -> None:
    # When a contact name has 256 characters
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"Name": "N" * 256}]})
    # Then Xero's schema refuses it
    assert answer.status_code == 400
    assert _names(tenant) == []


def test_contact_number_must_be_unique(tenant: Tenant) -> None:
    # Given a contact numbered C-1
    new_contact(tenant.api, "Acme Ltd", ContactNumber="C-1")
    # When another contact takes C-1
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"Name": "Bolt Co", "ContactNumber": "C-1"}]})
    # Then it is refused
    assert messages(answer) == ["The contact number C-1 is already assigned to another contact."]


def test_contact_number_over_50_characters_is_refused(tenant: Tenant) -> None:
    # When a contact number has 51 characters
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"Name": "Acme Ltd", "ContactNumber": "9" * 51}]})
    # Then Xero's schema refuses it
    assert answer.status_code == 400


def test_contact_email_address_must_be_valid(tenant: Tenant) -> None:
    # When a contact has an email address without a domain
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"Name": "Acme Ltd", "EmailAddress": "accounts@"}]})
    # Then it is refused
    assert messages(answer) == ["Email address must be valid."]


def test_contact_default_tax_type_must_exist(tenant: Tenant) -> None:
    # When a contact's default sales tax is a TaxType the organisation lacks
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"Name": "Acme Ltd", "AccountsReceivableTaxType": "VAT"}]})
    # Then it is refused with Xero's words
    assert messages(answer) == ["The TaxType code VAT does not exist or cannot be used for this type of transaction."]


def test_put_never_updates_a_contact(tenant: Tenant) -> None:
    # Given Acme Ltd
    acme = new_contact(tenant.api, "Acme Ltd")
    # When PUT names its ContactID
    answer = tenant.api.put("/Contacts", json={"Contacts": [{"ContactID": acme["ContactID"], "Name": "Acme Pty"}]})
    # Then it is refused and the contact keeps its name
    assert answer.status_code == 400
    assert _names(tenant) == ["Acme Ltd"]


def test_post_creates_a_contact_it_cannot_match(tenant: Tenant) -> None:
    # When a contact with no id or known number is posted
    answer = tenant.api.post("/Contacts", json={"Contacts": [{"Name": "Acme Ltd", "ContactNumber": "C-1"}]})
    # Then it is created
    assert answer.status_code == 200
    assert _names(tenant) == ["Acme Ltd"]


def test_post_updates_the_contact_with_the_given_id(tenant: Tenant) -> None:
    # Given Acme Ltd
    acme = new_contact(tenant.api, "Acme Ltd")
    # When it is posted with its id and a new name
    tenant.api.post("/Contacts", json={"Contacts": [{"ContactID": acme["ContactID"], "Name": "Acme Pty Ltd"}]})
    # Then the same contact is renamed
    assert _names(tenant) == ["Acme Pty Ltd"]


def test_post_updates_the_contact_with_the_given_number(tenant: Tenant) -> None:
    # Given Acme Ltd numbered C-1
    new_contact(tenant.api, "Acme Ltd", ContactNumber="C-1")
    # When C-1 is posted with an email address
    tenant.api.post("/Contacts", json={"Contacts": [{"ContactNumber": "C-1", "EmailAddress": "ap@acme.example"}]})
    # Then Acme Ltd has it
    assert tenant.api.get("/Contacts/C-1").json()["Contacts"][0]["EmailAddress"] == "ap@acme.example"


def test_post_with_an_unknown_contact_id_is_refused(tenant: Tenant) -> None:
    # When a contact id that does not exist is posted
    answer = tenant.api.post("/Contacts", json={"Contacts": [{"ContactID": new_id(), "Name": "Ghost"}]})
    # Then it is refused
    assert messages(answer) == ["An existing Contact with the specified ContactID could not be found"]


def test_post_updates_stamp_the_contact(tenant: Tenant) -> None:
    # Given Acme Ltd created ten minutes ago
    acme = new_contact(tenant.api, "Acme Ltd")
    tenant.sim.world.clock.advance(600)
    # When it is updated
    updated = tenant.api.post(f"/Contacts/{acme['ContactID']}", json={"Contacts": [{"FirstName": "Ann"}]})
    # Then its UpdatedDateUTC moved on
    assert updated.json()["Contacts"][0]["UpdatedDateUTC"] != acme["UpdatedDateUTC"]


def test_archived_contacts_are_listed_only_with_include_archived(tenant: Tenant) -> None:
    # Given an active and an archived contact
    new_contact(tenant.api, "Acme Ltd")
    _archive(tenant, new_contact(tenant.api, "Bolt Co"))
    # When contacts are listed with and without includeArchived
    # Then only includeArchived=true shows Bolt Co
    assert _names(tenant) == ["Acme Ltd"]
    assert _names(tenant, includeArchived="true") == ["Acme Ltd", "Bolt Co"]


def test_an_archived_contact_is_still_read_by_its_id(tenant: Tenant) -> None:
    # Given an archived contact
    bolt = new_contact(tenant.api, "Bolt Co")
    _archive(tenant, bolt)
    # When it is read by id
    read = tenant.api.get(f"/Contacts/{bolt['ContactID']}").json()["Contacts"][0]
    # Then it is there, ARCHIVED
    assert read["ContactStatus"] == "ARCHIVED"


def test_gdpr_request_status_is_not_accepted(tenant: Tenant) -> None:
    # When a contact is given the GDPRREQUEST status
    acme = new_contact(tenant.api, "Acme Ltd")
    answer = tenant.api.post(f"/Contacts/{acme['ContactID']}", json={"Contacts": [{"ContactStatus": "GDPRREQUEST"}]})
    # Then the simulator refuses it: only ACTIVE and ARCHIVED are modelled
    assert answer.status_code == 400


def test_a_contact_is_read_by_its_contact_number(tenant: Tenant) -> None:
    # Given a contact numbered C-7
    acme = new_contact(tenant.api, "Acme Ltd", ContactNumber="C-7")
    # When it is read by its number
    # Then it is the same contact
    assert tenant.api.get("/Contacts/C-7").json()["Contacts"][0]["ContactID"] == acme["ContactID"]


def test_an_unknown_contact_is_not_found(tenant: Tenant) -> None:
    # When a contact that does not exist is read
    answer = tenant.api.get(f"/Contacts/{new_id()}")
    # Then Xero answers 404
    assert answer.status_code == 404


def test_a_contact_with_a_sales_invoice_is_a_customer(tenant: Tenant) -> None:
    # Given an ACCREC invoice to Acme Ltd
    acme = new_contact(tenant.api, "Acme Ltd")
    _seed_invoice(tenant, acme, "ACCREC")
    # When Acme Ltd is read
    read = tenant.api.get(f"/Contacts/{acme['ContactID']}").json()["Contacts"][0]
    # Then it is a customer and not a supplier
    assert (read["IsCustomer"], read["IsSupplier"]) == (True, False)


def test_a_contact_with_a_bill_is_a_supplier(tenant: Tenant) -> None:
    # Given an ACCPAY bill from Bolt Co
    bolt = new_contact(tenant.api, "Bolt Co")
    _seed_invoice(tenant, bolt, "ACCPAY")
    # When Bolt Co is listed
    listed = tenant.api.get("/Contacts").json()["Contacts"][0]
    # Then it is a supplier and not a customer
    assert (listed["IsSupplier"], listed["IsCustomer"]) == (True, False)


def test_is_customer_cannot_be_set_by_the_client(tenant: Tenant) -> None:
    # When a contact is created claiming to be a customer
    created = new_contact(tenant.api, "Acme Ltd", IsCustomer=True)
    # Then Xero ignores it: the flag follows invoices only
    assert created["IsCustomer"] is False


def test_contacts_are_paged_with_page_size(tenant: Tenant) -> None:
    # Given three contacts
    for name in ("Acme Ltd", "Bolt Co", "Cogs Inc"):
        new_contact(tenant.api, name)
    # When the second page of two is asked for
    body = tenant.api.get("/Contacts", params={"page": 2, "pageSize": 2}).json()
    # Then it holds the third contact and Xero's pagination object
    assert [c["Name"] for c in body["Contacts"]] == ["Cogs Inc"]
    assert body["pagination"] == {"page": 2, "pageSize": 2, "pageCount": 2, "itemCount": 3}


def test_unpaged_contact_lists_have_no_pagination(tenant: Tenant) -> None:
    # When contacts are listed without page
    body = tenant.api.get("/Contacts").json()
    # Then there is no pagination object
    assert "pagination" not in body


def test_contacts_can_be_listed_by_ids(tenant: Tenant) -> None:
    # Given three contacts
    acme, _, cogs = (new_contact(tenant.api, n) for n in ("Acme Ltd", "Bolt Co", "Cogs Inc"))
    # When two are asked for by IDs
    # Then only they come back
    assert _names(tenant, IDs=f"{acme['ContactID']},{cogs['ContactID']}") == ["Acme Ltd", "Cogs Inc"]


def test_search_term_finds_contacts_by_email_without_case(tenant: Tenant) -> None:
    # Given two contacts with different email domains
    new_contact(tenant.api, "Acme Ltd", EmailAddress="ap@acme.example")
    new_contact(tenant.api, "Bolt Co", EmailAddress="ap@bolt.example")
    # When contacts are searched for BOLT.EXAMPLE
    # Then only Bolt Co comes back
    assert _names(tenant, searchTerm="BOLT.EXAMPLE") == ["Bolt Co"]


def test_search_term_finds_contacts_by_company_number(tenant: Tenant) -> None:
    # Given a contact with a company number
    new_contact(tenant.api, "Acme Ltd", CompanyNumber="ACN 004 085 616")
    new_contact(tenant.api, "Bolt Co")
    # When contacts are searched for part of it
    # Then only that contact comes back
    assert _names(tenant, searchTerm="085") == ["Acme Ltd"]


def test_summary_only_leaves_out_addresses_and_phones(tenant: Tenant) -> None:
    # Given a contact
    new_contact(tenant.api, "Acme Ltd")
    # When contacts are listed with summaryOnly
    summary = tenant.api.get("/Contacts", params={"summaryOnly": "true"}).json()["Contacts"][0]
    # Then the nested parts are left out and the identity kept
    assert "Addresses" not in summary
    assert "Phones" not in summary
    assert summary["Name"] == "Acme Ltd"


def test_contacts_can_be_filtered_with_where(tenant: Tenant) -> None:
    # Given two contacts
    new_contact(tenant.api, "Acme Ltd")
    new_contact(tenant.api, "Bolt Co")
    # When contacts whose name contains "acme" are asked for
    # Then only Acme Ltd comes back
    assert _names(tenant, where='Name.Contains("acme")') == ["Acme Ltd"]


def test_contacts_can_be_ordered(tenant: Tenant) -> None:
    # Given two contacts
    new_contact(tenant.api, "Acme Ltd")
    new_contact(tenant.api, "Bolt Co")
    # When they are ordered by Name DESC
    # Then Bolt Co comes first
    assert _names(tenant, order="Name DESC") == ["Bolt Co", "Acme Ltd"]


def test_contacts_honour_if_modified_since(tenant: Tenant) -> None:
    # Given a contact created a minute before another
    new_contact(tenant.api, "Acme Ltd")
    tenant.sim.world.clock.advance(30)
    since = tenant.sim.world.clock.now().isoformat()
    tenant.sim.world.clock.advance(30)
    new_contact(tenant.api, "Bolt Co")
    # When contacts changed since between the two are asked for
    answer = tenant.api.get("/Contacts", headers={"If-Modified-Since": since})
    # Then only the later one comes back
    assert [c["Name"] for c in answer.json()["Contacts"]] == ["Bolt Co"]


def test_creating_a_contact_announces_contact_create(tenant: Tenant) -> None:
    # Given someone listening for changes
    heard = _events(tenant)
    # When a contact is created
    acme = new_contact(tenant.api, "Acme Ltd")
    # Then a CONTACT CREATE event names it
    assert [(e.category, e.event_type, e.resource_id) for e in heard] == [("CONTACT", "CREATE", acme["ContactID"])]


def test_archiving_a_contact_announces_contact_update(tenant: Tenant) -> None:
    # Given a contact and someone listening for changes
    acme = new_contact(tenant.api, "Acme Ltd")
    heard = _events(tenant)
    # When it is archived
    _archive(tenant, acme)
    # Then a CONTACT UPDATE event names it
    assert [(e.category, e.event_type, e.resource_id) for e in heard] == [("CONTACT", "UPDATE", acme["ContactID"])]


def test_a_refused_contact_announces_nothing(tenant: Tenant) -> None:
    # Given someone listening for changes
    heard = _events(tenant)
    # When a contact without a name is refused
    tenant.api.put("/Contacts", json={"Contacts": [{"FirstName": "Ann"}]})
    # Then nothing is announced
    assert heard == []


def test_batch_with_summarize_errors_false_answers_each_contact(tenant: Tenant) -> None:
    # When a good contact and a nameless one are put with summarizeErrors=false
    answer = tenant.api.put(
        "/Contacts",
        params={"summarizeErrors": "false"},
        json={"Contacts": [{"Name": "Acme Ltd"}, {"FirstName": "Ann"}]},
    )
    # Then the answer is 200 with one OK and one ERROR element
    assert answer.status_code == 200
    assert [c["StatusAttributeString"] for c in answer.json()["Contacts"]] == ["OK", "ERROR"]
