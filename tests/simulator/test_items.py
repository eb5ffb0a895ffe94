"""Items (Xero's price list) through /Items: codes, details, tracked inventory, batches, deletion (FACTS.md §4.11)."""

from __future__ import annotations

from typing import Any

from tests.simulator.conftest import Tenant
from tests.simulator.reference_data import account_coded, messages
from xero_simulator.world import new_id

WIDGET = {
    "Code": "WIDGET",
    "Name": "Widget",
    "SalesDetails": {"UnitPrice": 20, "AccountCode": "200", "TaxType": "OUTPUT"},
    "PurchaseDetails": {"UnitPrice": 12, "AccountCode": "310", "TaxType": "INPUT"},
}


def _put(tenant: Tenant, *items: dict[str, Any], **params: Any) -> Any:
    return tenant.api.put("/Items", params=params, json={"Items": list(items)})


def _item(tenant: Tenant, key: str, **params: Any) -> dict[str, Any]:
    item: dict[str, Any] = tenant.api.get(f"/Items/{key}", params=params).json()["Items"][0]
    return item


def test_put_creates_an_item_sold_and_purchased_by_default(tenant: Tenant) -> None:
    # When an item is created with a code only
    answer = _put(tenant, {"Code": "PEN"})
    # Then it is both sold and purchased, and not tracked
    created = answer.json()["Items"][0]
    assert (created["IsSold"], created["IsPurchased"], created["IsTrackedAsInventory"]) == (True, True, False)


def test_item_code_must_be_unique(tenant: Tenant) -> None:
    # Given a WIDGET item
    _put(tenant, WIDGET)
    # When another item is coded widget
    answer = _put(tenant, {"Code": "widget"})
    # Then Xero refuses with its own words
    assert answer.status_code == 400
    assert messages(answer) == ["Price List Item with Code ''widget'' already exists"]


def test_item_code_over_30_characters_is_refused(tenant: Tenant) -> None:
    # When an item code has 31 characters
    answer = _put(tenant, {"Code": "C" * 31})
    # Then Xero's schema refuses it and nothing is created
    assert answer.status_code == 400
    assert tenant.api.get("/Items").json()["Items"] == []


def test_item_code_is_required(tenant: Tenant) -> None:
    # When an item has a name but no code
    answer = _put(tenant, {"Name": "Nameless"})
    # Then it is refused
    assert answer.status_code == 400
    assert tenant.api.get("/Items").json()["Items"] == []


def test_item_sales_account_must_exist(tenant: Tenant) -> None:
    # When an item sells to an account code the chart does not have
    answer = _put(tenant, {"Code": "PEN", "SalesDetails": {"AccountCode": "999"}})
    # Then it is refused
    assert messages(answer) == ["Account code '999' is not a valid code for this document."]


def test_item_purchase_account_must_be_active(tenant: Tenant) -> None:
    # Given an archived Cost of Goods Sold account
    cogs = account_coded(tenant.api, "310")
    tenant.api.post(f"/Accounts/{cogs['AccountID']}", json={"Accounts": [{"Status": "ARCHIVED"}]})
    # When an item buys into it
    answer = _put(tenant, {"Code": "PEN", "PurchaseDetails": {"AccountCode": "310"}})
    # Then it is refused
    assert messages(answer) == [
        "The account '310' has been archived, or has been deleted. Each line item must reference a valid account."
    ]


def test_item_tax_type_must_exist(tenant: Tenant) -> None:
    # When an item uses a NZ TaxType in an AU organisation
    answer = _put(tenant, {"Code": "PEN", "SalesDetails": {"AccountCode": "200", "TaxType": "OUTPUT2"}})
    # Then it is refused with Xero's words
    assert messages(answer) == [
        "The TaxType code OUTPUT2 does not exist or cannot be used for this type of transaction."
    ]


def test_item_not_sold_has_no_sales_details(tenant: Tenant) -> None:
    # When an item is created with sales details but IsSold false
    answer = _put(tenant, {**WIDGET, "IsSold": False})
    # Then its sales details are dropped
    created = answer.json()["Items"][0]
    assert "SalesDetails" not in created
    assert created["PurchaseDetails"]["AccountCode"] == "310"


def test_item_with_inventory_and_cogs_accounts_is_tracked(tenant: Tenant) -> None:
    # When an item names an INVENTORY asset account and a COGS account
    tracked = {**WIDGET, "InventoryAssetAccountCode": "630", "PurchaseDetails": {"COGSAccountCode": "310"}}
    created = _put(tenant, tracked).json()["Items"][0]
    # Then it is tracked, starting with nothing on hand
    assert created["IsTrackedAsInventory"] is True
    assert (created["QuantityOnHand"], created["TotalCostPool"]) == (0, 0)


def test_tracked_item_needs_a_cogs_account(tenant: Tenant) -> None:
    # When an item names an inventory account but no COGS account
    answer = _put(tenant, {"Code": "PEN", "InventoryAssetAccountCode": "630"})
    # Then it is refused
    assert messages(answer) == [
        "A tracked item needs both an InventoryAssetAccountCode and a PurchaseDetails.COGSAccountCode."
    ]


def test_tracked_items_inventory_account_must_be_of_type_inventory(tenant: Tenant) -> None:
    # When an item's inventory asset account is the Prepayments account
    tracked = {"Code": "PEN", "InventoryAssetAccountCode": "620", "PurchaseDetails": {"COGSAccountCode": "310"}}
    answer = _put(tenant, tracked)
    # Then it is refused
    assert messages(answer) == ["The inventory asset account '620' must be an account of type INVENTORY."]


def test_unit_prices_keep_two_decimal_places_by_default(tenant: Tenant) -> None:
    # When an item is priced with four decimals without unitdp
    _put(tenant, {"Code": "PEN", "SalesDetails": {"UnitPrice": 1.23456}})
    # Then the price is kept to 2 places
    assert _item(tenant, "PEN")["SalesDetails"]["UnitPrice"] == 1.23


def test_unit_prices_keep_four_decimal_places_with_unitdp_4(tenant: Tenant) -> None:
    # When an item is priced with four decimals and unitdp=4
    _put(tenant, {"Code": "PEN", "SalesDetails": {"UnitPrice": 1.23456}}, unitdp=4)
    # Then the price is kept to 4 places for callers that ask for them, and shown to 2 to the others
    assert _item(tenant, "PEN", unitdp=4)["SalesDetails"]["UnitPrice"] == 1.2346
    assert _item(tenant, "PEN")["SalesDetails"]["UnitPrice"] == 1.23


def test_an_item_is_read_by_its_code(tenant: Tenant) -> None:
    # Given a WIDGET item
    created = _put(tenant, WIDGET).json()["Items"][0]
    # When it is read by code
    # Then it is the same item
    assert _item(tenant, "WIDGET")["ItemID"] == created["ItemID"]


def test_an_unknown_item_is_not_found(tenant: Tenant) -> None:
    # When an item that does not exist is read
    answer = tenant.api.get(f"/Items/{new_id()}")
    # Then Xero answers 404
    assert answer.status_code == 404


def test_items_can_be_filtered_with_where(tenant: Tenant) -> None:
    # Given an item sold and one not sold
    _put(tenant, WIDGET, {"Code": "PART", "IsSold": False})
    # When sold items are asked for
    answer = tenant.api.get("/Items", params={"where": "IsSold==true"})
    # Then only the sold one comes back
    assert [i["Code"] for i in answer.json()["Items"]] == ["WIDGET"]


def test_items_honour_if_modified_since(tenant: Tenant) -> None:
    # Given an item created a minute before another
    _put(tenant, {"Code": "OLD"})
    tenant.sim.world.clock.advance(30)
    since = tenant.sim.world.clock.now().isoformat()
    tenant.sim.world.clock.advance(30)
    _put(tenant, {"Code": "NEW"})
    # When items changed since between the two are asked for
    answer = tenant.api.get("/Items", headers={"If-Modified-Since": since})
    # Then only the later one comes back
    assert [i["Code"] for i in answer.json()["Items"]] == ["NEW"]


def test_post_updates_the_item_with_the_same_code(tenant: Tenant) -> None:
    # Given a WIDGET item
    created = _put(tenant, WIDGET).json()["Items"][0]
    # When WIDGET is posted with a new name
    answer = tenant.api.post("/Items", json={"Items": [{"Code": "WIDGET", "Name": "Blue Widget"}]})
    # Then the same item is renamed, keeping its details
    updated = answer.json()["Items"][0]
    assert (updated["ItemID"], updated["Name"]) == (created["ItemID"], "Blue Widget")
    assert updated["SalesDetails"]["AccountCode"] == "200"


def test_post_creates_an_item_with_a_new_code(tenant: Tenant) -> None:
    # When an unknown code is posted
    tenant.api.post("/Items", json={"Items": [{"Code": "NEW"}]})
    # Then the item is created
    assert _item(tenant, "NEW")["Code"] == "NEW"


def test_post_to_an_item_changes_its_code(tenant: Tenant) -> None:
    # Given a WIDGET item
    created = _put(tenant, WIDGET).json()["Items"][0]
    # When it is posted to by id with a new code
    tenant.api.post(f"/Items/{created['ItemID']}", json={"Items": [{"Code": "GADGET"}]})
    # Then it is found by the new code
    assert _item(tenant, "GADGET")["ItemID"] == created["ItemID"]


def test_put_never_updates_an_item(tenant: Tenant) -> None:
    # Given a WIDGET item
    created = _put(tenant, WIDGET).json()["Items"][0]
    # When PUT names its ItemID
    answer = _put(tenant, {"ItemID": created["ItemID"], "Code": "GADGET"})
    # Then it is refused
    assert messages(answer) == ["An ItemID cannot be given when creating an item; use POST to update one."]


def test_batch_with_summarize_errors_false_answers_each_item(tenant: Tenant) -> None:
    # When a good and a duplicate item are put with summarizeErrors=false
    answer = _put(tenant, {"Code": "PEN"}, {"Code": "PEN"}, summarizeErrors="false")
    # Then the answer is 200 with one OK and one ERROR element
    assert answer.status_code == 200
    assert [i["StatusAttributeString"] for i in answer.json()["Items"]] == ["OK", "ERROR"]


def test_batch_refused_by_default_still_saves_the_valid_items(tenant: Tenant) -> None:
    # When a good and a bad item are put without summarizeErrors
    answer = _put(tenant, {"Code": "PEN"}, {"Code": "INK", "SalesDetails": {"AccountCode": "999"}})
    # Then the answer is 400, yet the good item was saved, as Xero does
    assert answer.status_code == 400
    assert _item(tenant, "PEN")["Code"] == "PEN"


def test_delete_removes_an_item_with_no_content(tenant: Tenant) -> None:
    # Given an item
    created = _put(tenant, WIDGET).json()["Items"][0]
    # When it is deleted
    answer = tenant.api.delete(f"/Items/{created['ItemID']}")
    # Then Xero answers 204 and the item is gone
    assert answer.status_code == 204
    assert answer.content == b""
    assert tenant.api.get(f"/Items/{created['ItemID']}").status_code == 404
