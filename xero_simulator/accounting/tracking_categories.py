"""Routes: tracking categories and their options (/TrackingCategories and .../Options).

Rules (FACTS.md §4.11): names at most 100 characters (the schema) and unique, case-insensitively,
among the organisation's categories and among one category's options; at most 2 ACTIVE
categories and 4 in all, archived included [SECONDARY]. DELETE removes a category or option no
document line uses; one in use is refused (archive it instead), so a client never loses tracking
that its documents carry. GET hides archived categories and options unless includeArchived=true;
no If-Modified-Since (FACTS.md §4.3).
"""

from __future__ import annotations

from typing import Any

from xero_simulator.accounting.batch import ElementError
from xero_simulator.accounting.querying import ListRules, list_records
from xero_simulator.accounting.references import tracking_in_use
from xero_simulator.accounting.unbatched_writes import write_each
from xero_simulator.errors import ValidationError, found
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily
from xero_simulator.world import new_id

MAX_ACTIVE_CATEGORIES = 2  # FACTS.md §4.11 [SECONDARY]
MAX_CATEGORIES = 4  # including archived ones
_RULES = ListRules(
    id_field="TrackingCategoryID",
    modified_field=None,
    archived=lambda record: record["Status"] == "ARCHIVED",
    default_order="Name ASC",
)
_SETTABLE_STATUSES = frozenset({"ACTIVE", "ARCHIVED"})


def _category(req: ApiRequest) -> dict[str, Any]:
    category = found(req.org.records("TrackingCategories").get(req.path_params["TrackingCategoryID"].strip().lower()))
    return category


def _option(req: ApiRequest, category: dict[str, Any]) -> dict[str, Any]:
    wanted = req.path_params["TrackingOptionID"].strip().lower()
    options: list[dict[str, Any]] = category["Options"]
    option = found(next((o for o in options if o["TrackingOptionID"] == wanted), None))
    return option


def _name(element: dict[str, Any], what: str) -> str:
    name = element.get("Name")
    if not isinstance(name, str) or not name.strip():
        raise ElementError(f"Tracking {what} Name cannot be empty.")
    return name.strip()


def _check_category_name(req: ApiRequest, name: str, category_id: str | None) -> None:
    for other in req.org.records("TrackingCategories").values():
        if other["TrackingCategoryID"] != category_id and other["Name"].lower() == name.lower():
            raise ElementError("For each specified tracking category the name must be unique.")


def _check_option_name(category: dict[str, Any], name: str, option_id: str | None) -> None:
    for other in category["Options"]:
        if other["TrackingOptionID"] != option_id and other["Name"].lower() == name.lower():
            # Xero's wording (calcinai/xero-php#920).
            raise ElementError("For each specified tracking option the name must be unique.")


def _check_room_for_active(req: ApiRequest) -> None:
    active = [c for c in req.org.records("TrackingCategories").values() if c["Status"] == "ACTIVE"]
    if len(active) >= MAX_ACTIVE_CATEGORIES:
        raise ElementError(f"You can have a maximum of {MAX_ACTIVE_CATEGORIES} active tracking categories.")


def _visible(req: ApiRequest, category: dict[str, Any]) -> dict[str, Any]:
    if req.flag("includeArchived"):
        return category
    return {**category, "Options": [o for o in category["Options"] if o["Status"] == "ACTIVE"]}


def _create_category(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    name = _name(element, "Category")
    _check_category_name(req, name, None)
    categories = req.org.records("TrackingCategories")
    if len(categories) >= MAX_CATEGORIES:
        raise ElementError(f"You can have a maximum of {MAX_CATEGORIES} tracking categories, including archived ones.")
    _check_room_for_active(req)
    # Options are added with PUT .../Options; Xero ignores any sent with the category.
    category: dict[str, Any] = {"TrackingCategoryID": new_id(), "Name": name, "Status": "ACTIVE", "Options": []}
    categories[category["TrackingCategoryID"]] = category
    return category


def _update_category(req: ApiRequest, category: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "Name" in element:
        changes["Name"] = _name(element, "Category")
        _check_category_name(req, changes["Name"], category["TrackingCategoryID"])
    status = element.get("Status", category["Status"])
    if status not in _SETTABLE_STATUSES:
        raise ElementError(f"A tracking category's Status can only be ACTIVE or ARCHIVED, not {status}.")
    if status == "ACTIVE" and category["Status"] != "ACTIVE":
        _check_room_for_active(req)
    changes["Status"] = status
    category.update(changes)
    return category


def _create_option(req: ApiRequest, category: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    name = _name(element, "Option")
    if category["Status"] != "ACTIVE":
        raise ElementError(f"Options cannot be added to the archived tracking category '{category['Name']}'.")
    _check_option_name(category, name, None)
    option = {"TrackingOptionID": new_id(), "Name": name, "Status": "ACTIVE"}
    category["Options"].append(option)
    return {**option, "TrackingCategoryID": category["TrackingCategoryID"]}


def _update_option(category: dict[str, Any], option: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "Name" in element:
        changes["Name"] = _name(element, "Option")
        _check_option_name(category, changes["Name"], option["TrackingOptionID"])
    status = element.get("Status", option["Status"])
    if status not in _SETTABLE_STATUSES:
        raise ElementError(f"A tracking option's Status can only be ACTIVE or ARCHIVED, not {status}.")
    changes["Status"] = status
    option.update(changes)
    return {**option, "TrackingCategoryID": category["TrackingCategoryID"]}


@accounting.route("GET", "/TrackingCategories", ScopeFamily.SETTINGS)
def list_tracking_categories(req: ApiRequest) -> dict[str, Any]:
    """Categories with their options; archived ones of either only with includeArchived=true."""
    records, _ = list_records(req, req.org.records("TrackingCategories").values(), _RULES)
    return {"TrackingCategories": [_visible(req, c) for c in records]}


@accounting.route("GET", "/TrackingCategories/{TrackingCategoryID}", ScopeFamily.SETTINGS)
def get_tracking_category(req: ApiRequest) -> dict[str, Any]:
    """One category, archived or not, with all its options."""
    return {"TrackingCategories": [_category(req)]}


@accounting.route("PUT", "/TrackingCategories", ScopeFamily.SETTINGS)
def create_tracking_category(req: ApiRequest) -> dict[str, Any]:
    """Create a category from a TrackingCategory object carrying its Name."""
    return write_each(req, "TrackingCategories", _create_category)


@accounting.route("POST", "/TrackingCategories/{TrackingCategoryID}", ScopeFamily.SETTINGS)
def update_tracking_category(req: ApiRequest) -> dict[str, Any]:
    """Rename a category, archive it, or restore it while fewer than 2 categories are active."""
    category = _category(req)
    return write_each(req, "TrackingCategories", lambda r, element: _update_category(r, category, element))


@accounting.route("DELETE", "/TrackingCategories/{TrackingCategoryID}", ScopeFamily.SETTINGS)
def delete_tracking_category(req: ApiRequest) -> dict[str, Any]:
    """Delete a category that no document line uses, with its options."""
    category = _category(req)
    if tracking_in_use(req.org, category["TrackingCategoryID"]):
        raise ValidationError(
            [f"The tracking category '{category['Name']}' has been used on transactions and cannot be deleted."]
        )
    del req.org.records("TrackingCategories")[category["TrackingCategoryID"]]
    options = [{**o, "Status": "DELETED"} for o in category["Options"]]
    return {"TrackingCategories": [{**category, "Status": "DELETED", "Options": options}]}


@accounting.route("PUT", "/TrackingCategories/{TrackingCategoryID}/Options", ScopeFamily.SETTINGS)
def create_tracking_option(req: ApiRequest) -> dict[str, Any]:
    """Add an option, named uniquely within the category, to an active category."""
    category = _category(req)
    return write_each(req, "Options", lambda r, element: _create_option(r, category, element))


@accounting.route("POST", "/TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}", ScopeFamily.SETTINGS)
def update_tracking_option(req: ApiRequest) -> dict[str, Any]:
    """Rename, archive or restore one option."""
    category = _category(req)
    option = _option(req, category)
    return write_each(req, "Options", lambda r, element: _update_option(category, option, element))


@accounting.route("DELETE", "/TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}", ScopeFamily.SETTINGS)
def delete_tracking_option(req: ApiRequest) -> dict[str, Any]:
    """Delete an option no document line uses; answers with the deleted option, as the spec's example does."""
    category = _category(req)
    option = _option(req, category)
    if tracking_in_use(req.org, category["TrackingCategoryID"], option["TrackingOptionID"]):
        raise ValidationError(
            [f"The tracking option '{option['Name']}' has been used on transactions and cannot be deleted."]
        )
    category["Options"].remove(option)
    return {"Options": [{**option, "Status": "DELETED", "TrackingCategoryID": category["TrackingCategoryID"]}]}
