"""Platform contacts as elements of PUT or POST /Contacts (FACTS.md §4.10).

Only what the platform knows is sent; a field it does not know is left out, so Xero keeps what a
bookkeeper entered there. The address is the postal one (POBOX), which Xero prints on invoices.
IsCustomer and IsSupplier are Xero's to set (read-only). An update (with the Xero id) also makes
the contact ACTIVE: the platform's contact is live, and Xero refuses archived contacts on
documents ("Unable to assign an Archived contact").
"""

from __future__ import annotations

from typing import Any

from shared.domain.records import Address, Contact

_ADDRESS_FIELDS = {
    "AddressLine1": "line1",
    "AddressLine2": "line2",
    "City": "city",
    "Region": "region",
    "PostalCode": "postal_code",
    "Country": "country",
}
_CONTACT_FIELDS = {
    "ContactNumber": "contact_number",
    "EmailAddress": "email",
    "FirstName": "first_name",
    "LastName": "last_name",
    "TaxNumber": "tax_number",
}


def _address(address: Address) -> dict[str, Any]:
    lines = {xero: getattr(address, ours) for xero, ours in _ADDRESS_FIELDS.items() if getattr(address, ours)}
    return {"AddressType": "POBOX", **lines}


def contact_element(contact: Contact, xero_id: str | None) -> dict[str, Any]:
    """The /Contacts element of a platform contact; with `xero_id`, the update (and restoring) of that contact."""
    element: dict[str, Any] = {"ContactID": xero_id, "ContactStatus": "ACTIVE"} if xero_id else {}
    element["Name"] = contact.name.strip()  # Xero compares and stores names trimmed
    for xero, ours in _CONTACT_FIELDS.items():
        value = getattr(contact, ours)
        if value:
            element[xero] = value
    if contact.phone:
        element["Phones"] = [{"PhoneType": "DEFAULT", "PhoneNumber": contact.phone}]
    if contact.address is not None:
        element["Addresses"] = [_address(contact.address)]
    return element
