"""Platform items as /Items elements (FACTS.md §4.11)."""

from __future__ import annotations

from decimal import Decimal

from shared.domain.mapping.items import item_element
from tests.unit.mapping.mapping_world import context, item, settings


def test_an_item_carries_its_prices_and_accounts_on_each_side() -> None:
    # Given an item mapped to the OTHERINCOME account 260, with both prices
    priced = item(description="Hourly consulting", sale_price=Decimal("150.00"), purchase_price=Decimal("95.125"))
    # When it is mapped
    element = item_element(priced, context(), None)
    # Then sales use the mapped revenue account, purchases the default expense account; prices keep 4 places
    assert element == {
        "Code": "CONSULT",
        "Name": "Consulting",
        "Description": "Hourly consulting",
        "SalesDetails": {"UnitPrice": 150.0, "AccountCode": "260"},
        "PurchaseDetails": {"UnitPrice": 95.125, "AccountCode": "400"},
    }


def test_an_item_mapped_to_an_expense_account_uses_it_for_purchases() -> None:
    # Given an item mapped to the direct-cost account 310
    ctx = context(settings_=settings(item_accounts={"CONSULT": "310"}))
    # When it is mapped
    element = item_element(item(), ctx, None)
    # Then purchases use it and sales the default sales account
    assert (element["SalesDetails"], element["PurchaseDetails"]) == ({"AccountCode": "200"}, {"AccountCode": "310"})


def test_a_side_without_price_or_account_is_left_out() -> None:
    # Given no default accounts and an unmapped item without prices
    ctx = context(settings_=settings(sales_account=None, expense_account=None, item_accounts={}))
    # When it is mapped / Then only its code and name are sent
    assert item_element(item(), ctx, None) == {"Code": "CONSULT", "Name": "Consulting"}


def test_an_update_names_the_xero_item() -> None:
    # When an item is mapped with its Xero id / Then the element names it
    assert item_element(item(), context(), "xero-item-1")["ItemID"] == "xero-item-1"
