"""Routes: items, Xero's price list (/Items, /Items/{ItemID}).

Rules (FACTS.md §4.11): Code required (max 30, the schema) and unique ("Price List Item with
Code ''abc'' already exists"); IsSold and IsPurchased default to true and setting one false drops
its details; an item is tracked when it has both an INVENTORY InventoryAssetAccountCode and a
PurchaseDetails.COGSAccountCode, and then carries QuantityOnHand and TotalCostPool, which only
transactions change. Every account code and TaxType must be one of the organisation's active
ones. Unit prices keep 2 decimal places unless the call opts in with unitdp=4 (FACTS.md §4.6).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from xero_simulator.accounting.batch import ElementError, write_batch
from xero_simulator.accounting.querying import ListRules, list_records
from xero_simulator.accounting.references import resolve_account, resolve_tax_rate
from xero_simulator.errors import found
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily
from xero_simulator.world import new_id

_RULES = ListRules(id_field="ItemID")
_TEXT_FIELDS = ("Code", "Name", "Description", "PurchaseDescription")
_DETAILS = {"SalesDetails": "IsSold", "PurchaseDetails": "IsPurchased"}


def _places(req: ApiRequest) -> Decimal:
    return Decimal("0.0001") if req.int_param("unitdp") == 4 else Decimal("0.01")


def _find(req: ApiRequest, key: str) -> dict[str, Any] | None:
    """An item by ItemID or by Code (GET /Items/{ItemID} takes either)."""
    items = req.org.records("Items")
    wanted = key.strip()
    found = items.get(wanted.lower())
    if found is not None:
        return found
    return next((i for i in items.values() if i["Code"].lower() == wanted.lower()), None)


def _check_code(req: ApiRequest, code: Any, item_id: str | None) -> str:
    if not isinstance(code, str) or not code.strip():
        raise ElementError("Item Code must be specified.")
    for other in req.org.records("Items").values():
        if other["ItemID"] != item_id and other["Code"].lower() == code.strip().lower():
            raise ElementError(f"Price List Item with Code ''{code.strip()}'' already exists")  # FACTS.md §4.11
    return code.strip()


def _details(req: ApiRequest, raw: Any, *, purchase: bool) -> dict[str, Any]:
    if not isinstance(raw, dict):
        return {}
    details: dict[str, Any] = {}
    if raw.get("UnitPrice") is not None:
        try:
            details["UnitPrice"] = Decimal(str(raw["UnitPrice"])).quantize(_places(req), ROUND_HALF_UP)
        except InvalidOperation as exc:
            raise ElementError("UnitPrice must be a number.") from exc
    account = None
    if raw.get("AccountCode"):
        account = resolve_account(req, code=raw["AccountCode"])
        details["AccountCode"] = account["Code"]
    if purchase and raw.get("COGSAccountCode"):
        details["COGSAccountCode"] = resolve_account(req, code=raw["COGSAccountCode"])["Code"]
    if raw.get("TaxType"):
        details["TaxType"] = resolve_tax_rate(req, raw["TaxType"], account=account)["TaxType"]
    return details


def _item(req: ApiRequest, element: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    """The item `element` describes, merged over `existing`, fully validated and not yet stored."""
    base = existing or {"ItemID": new_id(), "IsSold": True, "IsPurchased": True}
    item_id = base["ItemID"]
    item: dict[str, Any] = {**base}
    item["Code"] = _check_code(req, element.get("Code", base.get("Code")), item_id)
    for field in _TEXT_FIELDS[1:]:
        if field in element:
            item[field] = element[field]
    for details_field, flag in _DETAILS.items():
        if flag in element:
            item[flag] = bool(element[flag])
        if details_field in element:
            item[details_field] = _details(req, element[details_field], purchase=details_field == "PurchaseDetails")
        if not item[flag]:
            item.pop(details_field, None)  # FACTS.md §4.11: IsSold/IsPurchased false nulls the details
    if "InventoryAssetAccountCode" in element:
        item["InventoryAssetAccountCode"] = element["InventoryAssetAccountCode"] or None
    _check_tracking(req, item)
    return item


def _check_tracking(req: ApiRequest, item: dict[str, Any]) -> None:
    inventory_code = item.get("InventoryAssetAccountCode")
    cogs_code = (item.get("PurchaseDetails") or {}).get("COGSAccountCode")
    if not inventory_code and not cogs_code:
        item["IsTrackedAsInventory"] = False
        for figure in ("QuantityOnHand", "TotalCostPool"):
            item.pop(figure, None)
        return
    if not (inventory_code and cogs_code):
        raise ElementError(
            "A tracked item needs both an InventoryAssetAccountCode and a PurchaseDetails.COGSAccountCode."
        )
    account = resolve_account(req, code=inventory_code)
    if account["Type"] != "INVENTORY":
        raise ElementError(f"The inventory asset account '{inventory_code}' must be an account of type INVENTORY.")
    item["InventoryAssetAccountCode"] = account["Code"]
    item["IsTrackedAsInventory"] = True
    item.setdefault("QuantityOnHand", Decimal("0"))
    item.setdefault("TotalCostPool", Decimal("0"))


def _store(req: ApiRequest, item: dict[str, Any]) -> dict[str, Any]:
    item["UpdatedDateUTC"] = req.now
    req.org.records("Items")[item["ItemID"]] = item
    return item


def _create(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    if element.get("ItemID"):
        raise ElementError("An ItemID cannot be given when creating an item; use POST to update one.")
    return _store(req, _item(req, element, None))


def _create_or_update(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    """POST /Items: the item with this ItemID, else with this Code, is updated; otherwise one is created."""
    existing = None
    if element.get("ItemID"):
        existing = req.org.records("Items").get(str(element["ItemID"]).lower())
        if existing is None:
            raise ElementError("An existing Item with the specified ItemID could not be found")
    elif isinstance(element.get("Code"), str):
        existing = _find(req, element["Code"])
    return _store(req, _item(req, element, existing))


def _view(req: ApiRequest, item: dict[str, Any]) -> dict[str, Any]:
    """An item as answered: unit prices at 2 decimal places unless the call asks for unitdp=4."""
    places = _places(req)
    view = dict(item)
    for details_field in _DETAILS:
        details = item.get(details_field)
        if details and isinstance(details.get("UnitPrice"), Decimal):
            view[details_field] = {**details, "UnitPrice": details["UnitPrice"].quantize(places, ROUND_HALF_UP)}
    return view


def _answer(req: ApiRequest, payload: dict[str, Any]) -> dict[str, Any]:
    return {"Items": [_view(req, i) for i in payload["Items"]]}


@accounting.route("GET", "/Items", ScopeFamily.SETTINGS)
def list_items(req: ApiRequest) -> dict[str, Any]:
    """The price list, filtered by where/order/If-Modified-Since."""
    records, _ = list_records(req, req.org.records("Items").values(), _RULES)
    return {"Items": [_view(req, i) for i in records]}


@accounting.route("GET", "/Items/{ItemID}", ScopeFamily.SETTINGS)
def get_item(req: ApiRequest) -> dict[str, Any]:
    """One item by ItemID or Code."""
    item = found(_find(req, req.path_params["ItemID"]))
    return {"Items": [_view(req, item)]}


@accounting.route("PUT", "/Items", ScopeFamily.SETTINGS)
def create_items(req: ApiRequest) -> dict[str, Any]:
    """Create items (summarizeErrors as Xero's batches)."""
    return _answer(req, write_batch(req, "Items", _create))


@accounting.route("POST", "/Items", ScopeFamily.SETTINGS)
def create_or_update_items(req: ApiRequest) -> dict[str, Any]:
    """Create or update items, matched by ItemID, else by Code."""
    return _answer(req, write_batch(req, "Items", _create_or_update))


@accounting.route("POST", "/Items/{ItemID}", ScopeFamily.SETTINGS)
def update_item(req: ApiRequest) -> dict[str, Any]:
    """Update the item in the path (ItemID or Code)."""
    item = found(_find(req, req.path_params["ItemID"]))
    return _answer(req, write_batch(req, "Items", lambda r, element: _store(r, _item(r, element, item))))


@accounting.route("DELETE", "/Items/{ItemID}", ScopeFamily.SETTINGS)
def delete_item(req: ApiRequest) -> None:
    """Delete an item; Xero answers 204 No Content. Documents keep the ItemCode they were written with."""
    item = found(_find(req, req.path_params["ItemID"]))
    del req.org.records("Items")[item["ItemID"]]
