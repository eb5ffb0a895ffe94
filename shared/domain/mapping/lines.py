"""Line items of invoices, bills and credit notes: account, tax type, tracking and figures per line.

Per line (issue 4, §2): the account is the line's own account code, else the account its item is
mapped to (settings.item_accounts), else the default sales or expense account; the platform's tax
code becomes a Xero TaxType through settings.tax_rates (a line without one takes the account's
default tax, as Xero does); tracking goes through settings.tracking, category and option. A line
that cannot be mapped makes the record SKIPPED, naming the line and the setting to change.

Items are not named on lines (no ItemCode): a line carries its own description, price, account
and tax, so the item adds nothing Xero needs, while naming it would make every document wait for
the item to reach Xero first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from shared.domain.mapping.context import MappingContext, Problems
from shared.domain.mapping.xero_values import four_places
from shared.domain.records import AmountsAre, LineItem
from shared.domain.sync_settings import TenantSyncSettings

LINE_AMOUNT_TYPES = {
    AmountsAre.EXCLUSIVE: "Exclusive",
    AmountsAre.INCLUSIVE: "Inclusive",
    AmountsAre.NO_TAX: "NoTax",
}
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_LABEL_LENGTH = 40


@dataclass(frozen=True)
class MappedLine:
    """One line as Xero takes it (`element`) and what the document's own rules need to know of it."""

    element: dict[str, Any]
    amount: Decimal  # Xero's LineAmount: quantity x unit amount less the discount, in cents
    account_code: str
    tax_type: str | None


def default_account(settings: TenantSyncSettings, *, sales: bool) -> str | None:
    """The account a line falls back on: the sales account on the sales side, else the expense account."""
    return settings.sales_account if sales else settings.expense_account


def line_account(line: LineItem, settings: TenantSyncSettings, *, sales: bool) -> str | None:
    """The line's account code, its item's mapped account, or the side's default; None when none is set."""
    if line.account_code:
        return line.account_code
    if line.item_code and line.item_code in settings.item_accounts:
        return settings.item_accounts[line.item_code]
    return default_account(settings, sales=sales)


def line_amount(line: LineItem) -> Decimal:
    """Quantity x unit amount less the line's discount, rounded to cents as Xero rounds LineAmount."""
    gross = line.quantity * line.unit_amount
    if line.discount_rate is not None:
        gross = gross * (_HUNDRED - line.discount_rate) / _HUNDRED
    return gross.quantize(_CENT, rounding=ROUND_HALF_UP)


def _label(number: int, line: LineItem) -> str:
    text = line.description if len(line.description) <= _LABEL_LENGTH else line.description[: _LABEL_LENGTH - 1] + "…"
    return f'Line {number} ("{text}")'


def _tracking(label: str, line: LineItem, settings: TenantSyncSettings, problems: Problems) -> list[dict[str, str]]:
    mappings = {mapping.platform_category: mapping for mapping in settings.tracking}
    tracking = []
    for category, option in line.tracking.items():
        mapping = mappings.get(category)
        if mapping is None:
            problems.skip(f"{label} is tracked by {category}, which is not mapped to a Xero tracking category.")
            continue
        xero_option = mapping.options.get(option)
        if xero_option is None:
            problems.skip(f"{label} has the {category} option {option}, which is not mapped to a Xero option.")
            continue
        tracking.append({"Name": mapping.xero_category, "Option": xero_option})
    # Sorted, so that the same record always gives the same payload whatever order its body came in.
    return sorted(tracking, key=lambda entry: entry["Name"])


def line_elements(
    lines: Sequence[LineItem], ctx: MappingContext, problems: Problems, *, sales: bool, discounts: bool
) -> list[MappedLine]:
    """The lines of one document as Xero's LineItems; every line that cannot be mapped adds a reason.

    `sales` picks the default account; `discounts` is False where Xero takes none (bills and credit
    notes, FACTS.md §4.6), and a discounted line is then SKIPPED.
    """
    settings = ctx.settings
    mapped = []
    for number, line in enumerate(lines, start=1):
        label = _label(number, line)
        account = line_account(line, settings, sales=sales)
        if account is None:
            item = f", map its item {line.item_code} to an account" if line.item_code else ""
            side = "sales" if sales else "expense"
            problems.skip(f"{label} has no account: give it an account code{item}, or choose a default {side} account.")
        tax_type = None
        if line.tax_code is not None:
            tax_type = settings.tax_rates.get(line.tax_code)
            if tax_type is None:
                problems.skip(f"{label} has the tax code {line.tax_code}, which is not mapped to a Xero tax rate.")
        if line.discount_rate and not discounts:
            problems.skip(f"{label} has a discount, and Xero takes discounts on sales invoices only.")
        tracking = _tracking(label, line, settings, problems)
        element: dict[str, Any] = {
            "Description": line.description,
            "Quantity": four_places(line.quantity),
            "UnitAmount": four_places(line.unit_amount),
            "AccountCode": account,
        }
        if tax_type is not None:
            element["TaxType"] = tax_type
        if line.discount_rate and discounts:
            element["DiscountRate"] = four_places(line.discount_rate)
        if tracking:
            element["Tracking"] = tracking
        mapped.append(
            MappedLine(element=element, amount=line_amount(line), account_code=account or "", tax_type=tax_type)
        )
    return mapped
