"""Routes: contacts (GET/PUT/POST /Contacts, GET/POST /Contacts/{ContactID}).

Rules (FACTS.md §4.10): Name required on create and unique across ACTIVE contacts, with Xero's
message; ContactNumber (max 50) unique too, since GET /Contacts/{ContactNumber} must find one
contact; ContactStatus ACTIVE or ARCHIVED (archive by POST, there is no DELETE); IsCustomer and
IsSupplier read-only and derived from invoices. PUT only creates; POST creates or updates the
contact matched by ContactID, else by ContactNumber. Every create announces CONTACT CREATE and
every update, archiving included, CONTACT UPDATE. Writes honour summarizeErrors (FACTS.md §4.4).
"""

from __future__ import annotations

import re
from typing import Any

from xero_simulator.accounting.batch import ElementError, write_batch
from xero_simulator.accounting.contact_records import (
    active_contact_named,
    add_contact,
    contact_numbered,
    contact_roles,
    contact_view,
    duplicate_name_message,
    mark_updated,
)
from xero_simulator.accounting.querying import ListRules, list_records
from xero_simulator.accounting.references import resolve_account, resolve_tax_rate
from xero_simulator.errors import found
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily

_RULES = ListRules(
    id_field="ContactID",
    pageable=True,
    archived=lambda record: record["ContactStatus"] == "ARCHIVED",
    default_order="Name ASC",
)
# Xero's searchTerm looks in these fields, case-insensitively (OAS-ACC searchTerm; Xero's docs add CompanyNumber).
_SEARCHED = ("Name", "FirstName", "LastName", "ContactNumber", "CompanyNumber", "EmailAddress")
# summaryOnly=true leaves out the nested, computation-heavy parts (FACTS.md §4.2).
_DETAIL = frozenset(
    {
        "Addresses",
        "Phones",
        "ContactPersons",
        "ContactGroups",
        "Balances",
        "BatchPayments",
        "PaymentTerms",
        "SalesTrackingCategories",
        "PurchasesTrackingCategories",
        "BrandingTheme",
        "Attachments",
    }
)
# Set by Xero, never by the client: they are ignored in requests (conformance.check_request notes Xero ignores them).
_READ_ONLY = frozenset(
    {
        "ContactID",
        "UpdatedDateUTC",
        "IsSupplier",
        "IsCustomer",
        "Website",
        "Discount",
        "Balances",
        "HasAttachments",
        "HasValidationErrors",
        "ValidationErrors",
        "StatusAttributeString",
        "MergedToContactID",
        "Attachments",
        "XeroNetworkKey",
    }
)
_STATUSES = frozenset({"ACTIVE", "ARCHIVED"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _find(req: ApiRequest, key: str) -> dict[str, Any] | None:
    """A contact by ContactID, else by ContactNumber (GET /Contacts/{ContactNumber} shares the path)."""
    found = req.org.records("Contacts").get(key.strip().lower())
    return found if found is not None else contact_numbered(req.org, key)


def _fields(req: ApiRequest, element: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    """The writable fields of `element`, validated against the organisation as the contact would become."""
    contact_id = current["ContactID"] if current else None
    fields = {k: v for k, v in element.items() if k not in _READ_ONLY}
    merged = {**(current or {}), **fields}
    name = merged.get("Name")
    if not isinstance(name, str) or not name.strip():
        raise ElementError("Contact Name cannot be empty.")
    if "Name" in fields:
        fields["Name"] = name.strip()
    status = merged.get("ContactStatus", "ACTIVE")
    if status not in _STATUSES:
        raise ElementError(f"ContactStatus {status} cannot be set through the API; use ACTIVE or ARCHIVED.")
    if status == "ACTIVE" and active_contact_named(req.org, name, excluding=contact_id) is not None:
        raise ElementError(duplicate_name_message(name.strip()))
    number = fields.get("ContactNumber")
    if isinstance(number, str) and number.strip():
        if contact_numbered(req.org, number, excluding=contact_id) is not None:
            raise ElementError(f"The contact number {number.strip()} is already assigned to another contact.")
        fields["ContactNumber"] = number.strip()
    email = fields.get("EmailAddress")
    if isinstance(email, str) and email and not _EMAIL.match(email):
        raise ElementError("Email address must be valid.")
    for tax_field in ("AccountsReceivableTaxType", "AccountsPayableTaxType"):
        if fields.get(tax_field):
            resolve_tax_rate(req, fields[tax_field])
    for account_field in ("SalesDefaultAccountCode", "PurchasesDefaultAccountCode"):
        if fields.get(account_field):
            resolve_account(req, code=fields[account_field])
    return fields


def _create(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    fields = _fields(req, element, None)
    return contact_view(req.org, add_contact(req, fields))


def _update(req: ApiRequest, record: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    fields = _fields(req, element, record)
    record.update(fields)
    mark_updated(req, record)
    return contact_view(req.org, record)


def _create_only(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    if element.get("ContactID"):
        raise ElementError("A ContactID cannot be given when creating a contact; use POST to update an existing one.")
    return _create(req, element)


def _create_or_update(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    contact_id, number = element.get("ContactID"), element.get("ContactNumber")
    if contact_id:
        record = req.org.records("Contacts").get(str(contact_id).strip().lower())
        if record is None:
            raise ElementError("An existing Contact with the specified ContactID could not be found")
        return _update(req, record, element)
    if isinstance(number, str) and number.strip():
        record = contact_numbered(req.org, number)
        if record is not None:
            return _update(req, record, element)
    return _create(req, element)


def _matches(term: str, record: dict[str, Any]) -> bool:
    return any(term in str(record.get(field) or "").lower() for field in _SEARCHED)


@accounting.route("GET", "/Contacts", ScopeFamily.CONTACTS)
def list_contacts(req: ApiRequest) -> dict[str, Any]:
    """Contacts: IDs, searchTerm, where, order, If-Modified-Since, includeArchived, page/pageSize, summaryOnly."""
    roles = contact_roles(req.org)
    views = [contact_view(req.org, c, roles) for c in req.org.records("Contacts").values()]
    term = (req.query.get("searchterm") or "").strip().lower()
    if term:
        views = [v for v in views if _matches(term, v)]
    records, pagination = list_records(req, views, _RULES)
    if req.flag("summaryOnly"):
        records = [{k: v for k, v in r.items() if k not in _DETAIL} for r in records]
    payload: dict[str, Any] = {"Contacts": records}
    if pagination is not None:
        payload["pagination"] = pagination
    return payload


@accounting.route("GET", "/Contacts/{ContactID}", ScopeFamily.CONTACTS)
def get_contact(req: ApiRequest) -> dict[str, Any]:
    """One contact, archived or not, by ContactID or ContactNumber."""
    record = found(_find(req, req.path_params["ContactID"]))
    return {"Contacts": [contact_view(req.org, record)]}


@accounting.route("PUT", "/Contacts", ScopeFamily.CONTACTS)
def create_contacts(req: ApiRequest) -> dict[str, Any]:
    """Create contacts; PUT never updates, so an element carrying a ContactID is refused."""
    return write_batch(req, "Contacts", _create_only)


@accounting.route("POST", "/Contacts", ScopeFamily.CONTACTS)
def create_or_update_contacts(req: ApiRequest) -> dict[str, Any]:
    """Update the contacts matched by ContactID, else ContactNumber; create the others."""
    return write_batch(req, "Contacts", _create_or_update)


@accounting.route("POST", "/Contacts/{ContactID}", ScopeFamily.CONTACTS)
def update_contact(req: ApiRequest) -> dict[str, Any]:
    """Update (or archive, or restore) the contact in the path."""
    record = found(_find(req, req.path_params["ContactID"]))
    return write_batch(req, "Contacts", lambda r, element: _update(r, record, element))
