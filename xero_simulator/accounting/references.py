"""What a document refers to: its contact, accounts, tax rates and tracking, resolved as Xero resolves them.

Invoices, credit notes, payments and bank transactions call these while validating one element of
a batch; each raises `ElementError` with Xero's words, so the caller's `write_batch` refuses that
element alone. They also answer the reverse question (is this account or tracking option used by
any document?) for the routes that delete reference data.

Lookups are by the stored record shapes of this package: org.records("Contacts") keyed by
ContactID, "Accounts" keyed by AccountID, "TaxRates" keyed by TaxType, "TrackingCategories" keyed
by TrackingCategoryID with their Options inline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from xero_simulator.accounting.batch import ElementError
from xero_simulator.accounting.contact_records import active_contact_named, add_contact, contact_numbered
from xero_simulator.routing import ApiRequest
from xero_simulator.world import Organisation

CONTACT_UNIDENTIFIED = (
    "The Contact must contain at least 1 of the following elements to identify the contact: "
    "Name, ContactID, ContactNumber"
)  # FACTS.md §4.4
# Xero's wording when a contact group is given an archived contact (calcinai/xero-php#525); Xero's
# message for an archived contact on a document was NOT FOUND, so the simulator reuses this one.
CONTACT_ARCHIVED = "Unable to assign an Archived contact."
MAX_TRACKING_PER_LINE = 2  # OAS-ACC LineItem.Tracking (FACTS.md §4.6)

# Account Class -> the TaxRate flag that allows a rate on accounts of that class.
_CAN_APPLY_TO = {
    "ASSET": "CanApplyToAssets",
    "EQUITY": "CanApplyToEquity",
    "EXPENSE": "CanApplyToExpenses",
    "LIABILITY": "CanApplyToLiabilities",
    "REVENUE": "CanApplyToRevenue",
}


def _text(ref: dict[str, Any], key: str) -> str:
    value = ref.get(key)
    return value.strip() if isinstance(value, str) else ""


def find_contact(req: ApiRequest, ref: Any) -> dict[str, Any] | None:
    """The stored contact `ref` identifies, or None when `ref` only names a contact that does not exist yet.

    Validates without changing anything, so a caller can check a whole element before it saves.
    Identification order is ContactID, then ContactNumber, then Name (trimmed, case-insensitive,
    ACTIVE contacts only). Raises ElementError when `ref` has none of the three fields, when a
    ContactID or (absent a Name) a ContactNumber matches no contact, and when the ContactID or
    ContactNumber found is ARCHIVED ("Unable to assign an Archived contact.").
    """
    if not isinstance(ref, dict):
        raise ElementError(CONTACT_UNIDENTIFIED)
    contact_id, number, name = _text(ref, "ContactID"), _text(ref, "ContactNumber"), _text(ref, "Name")
    if not (contact_id or number or name):
        raise ElementError(CONTACT_UNIDENTIFIED)
    contacts = req.org.records("Contacts")
    found: dict[str, Any] | None = None
    if contact_id:
        found = contacts.get(contact_id.lower())
        if found is None:
            raise ElementError("An existing Contact with the specified ContactID could not be found")
    elif number:
        found = contact_numbered(req.org, number)
        if found is None and not name:
            raise ElementError("An existing Contact with the specified ContactNumber could not be found")
    if found is not None:
        if found["ContactStatus"] != "ACTIVE":
            raise ElementError(CONTACT_ARCHIVED)
        return found
    return active_contact_named(req.org, name)


def resolve_contact(req: ApiRequest, ref: Any, *, create_missing: bool = True) -> dict[str, Any]:
    """The stored contact a document's Contact refers to, creating it from its Name when none matches.

    Same rules as `find_contact`. When `ref` carries a Name (and possibly an unknown ContactNumber)
    that matches no ACTIVE contact, Xero creates a contact with that Name and ContactNumber: with
    `create_missing` this stores a new ACTIVE contact and announces CONTACT CREATE, like any contact
    creation; without it, ElementError. Because creating is a change, call this only once the rest
    of the element has been validated (use `find_contact` to validate earlier).
    """
    found = find_contact(req, ref)
    if found is not None:
        return found
    if not create_missing:
        raise ElementError("An existing Contact with the specified Name could not be found")
    fields = {"Name": _text(ref, "Name")}
    if _text(ref, "ContactNumber"):
        fields["ContactNumber"] = _text(ref, "ContactNumber")
    return add_contact(req, fields)


def resolve_account(req: ApiRequest, code: str | None = None, account_id: str | None = None) -> dict[str, Any]:
    """The ACTIVE account a document names by Code (trimmed, case-insensitive) or AccountID.

    When both are given the AccountID decides and the Code must belong to the same account.
    Raises ElementError when neither is given ("Account code must be specified."), when no account
    matches ("Account code '<code>' is not a valid code for this document.", Xero's wording,
    XeroAPI/Xero-NetStandard#364), and when the account is ARCHIVED or DELETED, which Xero refuses
    on new lines (FACTS.md §5 "use ACTIVE accounts").
    """
    accounts = req.org.records("Accounts")
    wanted_code = (code or "").strip()
    found: dict[str, Any] | None
    if account_id:
        found = accounts.get(account_id.strip().lower())
        if found is None:
            raise ElementError(f"Account ID '{account_id}' is not a valid account for this document.")
        if wanted_code and found["Code"].lower() != wanted_code.lower():
            raise ElementError(f"Account code '{wanted_code}' does not belong to the account with ID '{account_id}'.")
    elif wanted_code:
        found = next((a for a in accounts.values() if (a.get("Code") or "").lower() == wanted_code.lower()), None)
        if found is None:
            raise ElementError(f"Account code '{wanted_code}' is not a valid code for this document.")
    else:
        raise ElementError("Account code must be specified.")
    if found["Status"] != "ACTIVE":
        label = found.get("Code") or found["AccountID"]
        raise ElementError(
            f"The account '{label}' has been archived, or has been deleted. "
            "Each line item must reference a valid account."
        )
    return found


def resolve_tax_rate(req: ApiRequest, tax_type: str, *, account: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ACTIVE tax rate with this TaxType (exact code, as Xero lists it in GET /TaxRates).

    Unknown, ARCHIVED, DELETED or PENDING rates raise ElementError("The TaxType code <code> does not
    exist or cannot be used for this type of transaction.") — Xero's wording (XeroAPI/Xero-Java#336).
    With `account`, the rate must also be allowed on that account's Class (the rate's CanApplyTo*
    flags), else ElementError("The TaxType code '<code>' cannot be used with account code '<code>'.").
    """
    rate = req.org.records("TaxRates").get(tax_type)
    if rate is None or rate["Status"] != "ACTIVE":
        raise ElementError(
            f"The TaxType code {tax_type} does not exist or cannot be used for this type of transaction."
        )
    if account is not None and not rate.get(_CAN_APPLY_TO.get(account.get("Class", ""), ""), False):
        raise ElementError(f"The TaxType code '{tax_type}' cannot be used with account code '{account.get('Code')}'.")
    return rate


def resolve_tracking(req: ApiRequest, tracking: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """A line's Tracking as Xero stores it: [{TrackingCategoryID, TrackingOptionID, Name, Option}].

    Each entry names its category by TrackingCategoryID or Name (case-insensitive) and its option by
    TrackingOptionID or Option (case-insensitive). At most 2 entries per line (OAS-ACC LineItem),
    at most one per category. Raises ElementError for a third entry, a repeated category, an
    unknown category or option, and an ARCHIVED or DELETED category or option. None or [] gives [].
    """
    entries = tracking or []
    if len(entries) > MAX_TRACKING_PER_LINE:
        raise ElementError("A line item can have a maximum of 2 tracking categories.")
    resolved: list[dict[str, Any]] = []
    for entry in entries:
        category = _tracking_category(req.org, entry)
        if any(r["TrackingCategoryID"] == category["TrackingCategoryID"] for r in resolved):
            raise ElementError(f"The tracking category '{category['Name']}' can only be used once on a line item.")
        option = _tracking_option(category, entry)
        resolved.append(
            {
                "TrackingCategoryID": category["TrackingCategoryID"],
                "TrackingOptionID": option["TrackingOptionID"],
                "Name": category["Name"],
                "Option": option["Name"],
            }
        )
    return resolved


def _tracking_category(org: Organisation, entry: dict[str, Any]) -> dict[str, Any]:
    categories = org.records("TrackingCategories")
    category_id, name = _text(entry, "TrackingCategoryID"), _text(entry, "Name")
    if category_id:
        category = categories.get(category_id.lower())
    elif name:
        category = next((c for c in categories.values() if c["Name"].lower() == name.lower()), None)
    else:
        raise ElementError("A tracking category must be identified by TrackingCategoryID or Name.")
    if category is None:
        raise ElementError(f"The tracking category '{category_id or name}' does not exist.")
    if category["Status"] != "ACTIVE":
        raise ElementError(f"The tracking category '{category['Name']}' is archived and cannot be used.")
    return category


def _tracking_option(category: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    option_id, name = _text(entry, "TrackingOptionID"), _text(entry, "Option")
    options: list[dict[str, Any]] = category["Options"]
    if option_id:
        option = next((o for o in options if o["TrackingOptionID"] == option_id.lower()), None)
    elif name:
        option = next((o for o in options if o["Name"].lower() == name.lower()), None)
    else:
        raise ElementError(f"A tracking option for '{category['Name']}' must be given by TrackingOptionID or Option.")
    if option is None:
        raise ElementError(f"The tracking option '{option_id or name}' does not exist in '{category['Name']}'.")
    if option["Status"] != "ACTIVE":
        raise ElementError(f"The tracking option '{option['Name']}' is archived and cannot be used.")
    return option


# --- the reverse question: is reference data used by a document? ------------------------------

# Collections that hold reference data itself, not documents that use it.
_REFERENCE_COLLECTIONS = frozenset({"Accounts", "TaxRates", "TrackingCategories", "Contacts"})
_ACCOUNT_CODE_FIELDS = frozenset({"AccountCode", "COGSAccountCode", "InventoryAssetAccountCode"})
_ACCOUNT_HOLDERS = frozenset({"Account", "BankAccount"})


def _nodes(value: Any, parent: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every dict inside a stored record, with the key it sits under."""
    if isinstance(value, dict):
        yield parent, value
        for key, child in value.items():
            yield from _nodes(child, key)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from _nodes(child, parent)


def _document_nodes(org: Organisation) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, records in org.collections.items():
        if name not in _REFERENCE_COLLECTIONS:
            for record in records.values():
                yield from _nodes(record)


def account_in_use(org: Organisation, account: dict[str, Any]) -> bool:
    """True when any document, line, payment or item refers to this account by Code or AccountID."""
    code, account_id = (account.get("Code") or "").lower(), account["AccountID"]
    for parent, node in _document_nodes(org):
        for key, value in node.items():
            if not isinstance(value, str):
                continue
            if key in _ACCOUNT_CODE_FIELDS and code and value.lower() == code:
                return True
            if key == "AccountID" and value.lower() == account_id:
                return True
            if key == "Code" and parent in _ACCOUNT_HOLDERS and code and value.lower() == code:
                return True
    return False


def tracking_in_use(org: Organisation, category_id: str, option_id: str | None = None) -> bool:
    """True when a document line carries this tracking category (or, given `option_id`, this option)."""
    for _, node in _document_nodes(org):
        if str(node.get("TrackingCategoryID", "")).lower() != category_id:
            continue
        if option_id is None or str(node.get("TrackingOptionID", "")).lower() == option_id:
            return True
    return False
