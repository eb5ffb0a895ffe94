"""How the simulator stores a contact, and the rules every contact write shares.

A contact is created by the Contacts routes and also by a document whose Contact names nobody
yet (references.resolve_contact); both go through `add_contact`, so both announce the CONTACT
CREATE webhook event. IsCustomer and IsSupplier are never stored: Xero sets them from the
organisation's sales invoices and bills (FACTS.md §4.10), so `contact_view` derives them on read.
"""

from __future__ import annotations

from typing import Any

from xero_simulator.routing import ApiRequest
from xero_simulator.world import Organisation, new_id


def duplicate_name_message(name: str) -> str:
    """Xero's words for a second active contact with the same name (FACTS.md §4.4, OAS-ACC example)."""
    return (
        f"The contact name {name} is already assigned to another contact. "
        "The contact name must be unique across all active contacts."
    )


def same_name(a: str | None, b: str | None) -> bool:
    """Contact names compare trimmed and case-insensitively, as Xero matches them."""
    return (a or "").strip().lower() == (b or "").strip().lower()


def active_contact_named(org: Organisation, name: str, *, excluding: str | None = None) -> dict[str, Any] | None:
    """The ACTIVE contact called `name` (other than `excluding`), if any; archived names are free to reuse."""
    for record in org.records("Contacts").values():
        if record["ContactID"] == excluding or record["ContactStatus"] != "ACTIVE":
            continue
        if same_name(record["Name"], name):
            return record
    return None


def contact_numbered(org: Organisation, number: str, *, excluding: str | None = None) -> dict[str, Any] | None:
    """The contact whose ContactNumber is `number` (exact, trimmed), whatever its status."""
    wanted = number.strip()
    for record in org.records("Contacts").values():
        if record["ContactID"] != excluding and (record.get("ContactNumber") or "").strip() == wanted:
            return record
    return None


def add_contact(req: ApiRequest, fields: dict[str, Any]) -> dict[str, Any]:
    """Store a new ACTIVE contact made of already-validated `fields` and announce CONTACT CREATE."""
    record: dict[str, Any] = {
        "ContactID": new_id(),
        "ContactStatus": "ACTIVE",
        # A new Xero contact always answers with its two address and four phone slots.
        "Addresses": [{"AddressType": "POBOX"}, {"AddressType": "STREET"}],
        "Phones": [{"PhoneType": t} for t in ("DEFAULT", "DDI", "FAX", "MOBILE")],
        "ContactPersons": [],
        "ContactGroups": [],
        "HasAttachments": False,
        "HasValidationErrors": False,
        **fields,
        "UpdatedDateUTC": req.now,
    }
    req.org.records("Contacts")[record["ContactID"]] = record
    req.org.announce("CONTACT", "CREATE", record["ContactID"], req.now)
    return record


def mark_updated(req: ApiRequest, record: dict[str, Any]) -> None:
    """Stamp a changed contact and announce CONTACT UPDATE (archiving included, FACTS.md §4.10)."""
    record["UpdatedDateUTC"] = req.now
    req.org.announce("CONTACT", "UPDATE", record["ContactID"], req.now)


def contact_roles(org: Organisation) -> dict[str, set[str]]:
    """ContactID -> the invoice Types (ACCREC, ACCPAY) the organisation has for that contact."""
    roles: dict[str, set[str]] = {}
    for invoice in org.records("Invoices").values():
        contact_id = str((invoice.get("Contact") or {}).get("ContactID", "")).lower()
        roles.setdefault(contact_id, set()).add(str(invoice.get("Type")))
    return roles


def contact_view(org: Organisation, record: dict[str, Any], roles: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """The contact as Xero answers it: IsCustomer/IsSupplier from its ACCREC/ACCPAY invoices (FACTS.md §4.10).

    Pass `roles` (from `contact_roles`) when viewing many contacts, so the invoices are read once.
    """
    types = (roles if roles is not None else contact_roles(org)).get(record["ContactID"], set())
    return {**record, "IsCustomer": "ACCREC" in types, "IsSupplier": "ACCPAY" in types}
