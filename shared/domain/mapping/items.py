"""Platform items as elements of PUT or POST /Items (FACTS.md §4.11).

An item's sale and purchase details carry its prices and the account a bookkeeper's hand-made
lines default to in Xero: the account the tenant mapped the item to, on the side its type belongs
to (revenue accounts for sales, cost and expense accounts for purchases), and the default sales
or expense account on the other side. Unit prices keep 4 places (sent with unitdp=4).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.domain.mapping.context import MappingContext
from shared.domain.mapping.lines import default_account
from shared.domain.mapping.settings_check import EXPENSE_ACCOUNT_TYPES, SALES_ACCOUNT_TYPES
from shared.domain.mapping.xero_values import four_places
from shared.domain.records import Item


def _account(item: Item, ctx: MappingContext, *, sales: bool) -> str | None:
    mapped = ctx.settings.item_accounts.get(item.code)
    account = ctx.reference.account(mapped) if mapped is not None else None
    if account is not None and account.type in (SALES_ACCOUNT_TYPES if sales else EXPENSE_ACCOUNT_TYPES):
        return mapped
    return default_account(ctx.settings, sales=sales)


def _details(price: Decimal | None, account: str | None) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if price is not None:
        details["UnitPrice"] = four_places(price)
    if account is not None:
        details["AccountCode"] = account
    return details


def item_element(item: Item, ctx: MappingContext, xero_id: str | None) -> dict[str, Any]:
    """The /Items element of a platform item; with `xero_id`, the update of that item."""
    element: dict[str, Any] = {"ItemID": xero_id} if xero_id else {}
    element.update({"Code": item.code, "Name": item.name})
    if item.description:
        element["Description"] = item.description
    for field, price, sales in (
        ("SalesDetails", item.sale_price, True),
        ("PurchaseDetails", item.purchase_price, False),
    ):
        details = _details(price, _account(item, ctx, sales=sales))
        if details:
            element[field] = details
    return element
