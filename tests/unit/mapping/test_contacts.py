"""Platform contacts as /Contacts elements (FACTS.md §4.10)."""

from __future__ import annotations

from shared.domain.mapping.contacts import contact_element
from shared.domain.records import Address
from tests.unit.mapping.mapping_world import contact


def test_a_new_contact_carries_what_the_platform_knows() -> None:
    # Given a customer with a number, email, names, phone and tax number
    full = contact(
        contact_number="C-42",
        email="ap@acme.test",
        first_name="Ada",
        last_name="Lovelace",
        phone="+61 2 5550 1234",
        tax_number="53 004 085 616",
    )
    # When it is mapped
    element = contact_element(full, None)
    # Then each goes to its Xero field
    assert element == {
        "Name": "Acme Pty Ltd",
        "ContactNumber": "C-42",
        "EmailAddress": "ap@acme.test",
        "FirstName": "Ada",
        "LastName": "Lovelace",
        "TaxNumber": "53 004 085 616",
        "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "+61 2 5550 1234"}],
    }


def test_fields_the_platform_does_not_know_are_left_to_xero() -> None:
    # Given a contact with a name only / When mapped / Then only the name is sent
    assert contact_element(contact(), None) == {"Name": "Acme Pty Ltd"}


def test_the_name_is_sent_trimmed() -> None:
    # Given a name with spaces around it / When mapped / Then it is trimmed, as Xero stores names
    assert contact_element(contact(name="  Acme  "), None)["Name"] == "Acme"


def test_the_address_is_the_postal_address() -> None:
    # Given a contact with an address
    addressed = contact(address=Address(line1="1 Main St", city="Sydney", postal_code="2000", country="Australia"))
    # When mapped / Then it is Xero's POBOX address, which invoices print
    assert contact_element(addressed, None)["Addresses"] == [
        {
            "AddressType": "POBOX",
            "AddressLine1": "1 Main St",
            "City": "Sydney",
            "PostalCode": "2000",
            "Country": "Australia",
        }
    ]


def test_an_update_names_the_xero_contact_and_makes_it_active() -> None:
    # Given a contact matched to an archived Xero contact / When mapped with that id
    element = contact_element(contact(), "xero-contact-1")
    # Then the element names it and restores it (Xero refuses archived contacts on documents)
    assert (element["ContactID"], element["ContactStatus"]) == ("xero-contact-1", "ACTIVE")
