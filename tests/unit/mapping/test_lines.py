"""Line items: account, tax type, tracking and discounts per line (issue 4, §2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import NotMapped, Problems
from shared.domain.mapping.lines import MappedLine, line_elements
from shared.domain.records import LineItem
from tests.unit.mapping.mapping_world import context, line, settings


def mapped(*lines: LineItem, sales: bool = True, discounts: bool = True, **setting_changes: Any) -> list[MappedLine]:
    """The lines mapped with the world's settings (changed as given); raises NotMapped for any reason found."""
    problems = Problems()
    result = line_elements(
        lines, context(settings_=settings(**setting_changes)), problems, sales=sales, discounts=discounts
    )
    problems.raise_any()
    return result


def skipped_reason(*lines: LineItem, **options: Any) -> str:
    with pytest.raises(NotMapped) as refused:
        mapped(*lines, **options)
    assert refused.value.state is SyncState.SKIPPED
    return refused.value.reason


def test_a_line_carries_its_description_figures_and_account() -> None:
    # Given a plain line on a sales invoice
    # When it is mapped
    [element] = [m.element for m in mapped(line())]
    # Then Xero gets its description, figures as numbers, and the default sales account
    assert element == {"Description": "Consulting", "Quantity": 2.0, "UnitAmount": 50.0, "AccountCode": "200"}


def test_the_lines_own_account_code_wins() -> None:
    # Given a line with its own account and a mapped item
    # When it is mapped / Then its own account is used
    assert mapped(line(account_code="310", item_code="CONSULT"))[0].element["AccountCode"] == "310"


def test_an_item_mapped_to_an_account_gives_the_line_that_account() -> None:
    # Given a line of an item the tenant mapped to account 260
    # When it is mapped / Then the item's account is used
    assert mapped(line(item_code="CONSULT"))[0].element["AccountCode"] == "260"


def test_a_purchase_line_falls_back_on_the_expense_account() -> None:
    # Given a plain line on a bill
    # When it is mapped / Then the default expense account is used
    assert mapped(line(), sales=False)[0].element["AccountCode"] == "400"


def test_a_line_with_no_account_at_all_is_skipped_naming_the_line() -> None:
    # Given no default sales account and a line of an unmapped item
    reason = skipped_reason(line(), line(description="Widgets", item_code="W1"), sales_account=None)
    # Then both lines are named, with what would fix them
    assert 'Line 1 ("Consulting") has no account' in reason
    assert 'Line 2 ("Widgets") has no account: give it an account code, map its item W1 to an account' in reason


def test_the_platforms_tax_code_becomes_the_mapped_tax_type() -> None:
    # Given a line with the platform's GST code
    # When it is mapped / Then Xero's OUTPUT tax type is sent
    assert mapped(line(tax_code="GST"))[0].element["TaxType"] == "OUTPUT"


def test_a_line_without_a_tax_code_sends_no_tax_type() -> None:
    # Given a line without a tax code / When it is mapped
    # Then no TaxType is sent, so Xero applies the account's default
    assert "TaxType" not in mapped(line())[0].element


def test_an_unmapped_tax_code_is_skipped_naming_the_code() -> None:
    # Given a line with a tax code the tenant did not map
    # When it is mapped / Then the line and the code are named
    assert skipped_reason(line(tax_code="VAT20")) == (
        'Line 1 ("Consulting") has the tax code VAT20, which is not mapped to a Xero tax rate.'
    )


def test_tracking_goes_through_the_mapped_category_and_option() -> None:
    # Given a line tracked by the platform's area "north"
    # When it is mapped / Then Xero's Region / North is sent
    assert mapped(line(tracking={"area": "north"}))[0].element["Tracking"] == [{"Name": "Region", "Option": "North"}]


def test_an_unmapped_tracking_category_is_skipped() -> None:
    # Given a line tracked by a category the tenant did not map
    # When it is mapped / Then the category is named
    assert "is tracked by team, which is not mapped" in skipped_reason(line(tracking={"team": "red"}))


def test_an_unmapped_tracking_option_is_skipped() -> None:
    # Given a line tracked by an option the tenant did not map
    # When it is mapped / Then the option is named
    assert "has the area option east, which is not mapped" in skipped_reason(line(tracking={"area": "east"}))


def test_a_discount_is_sent_where_xero_takes_it() -> None:
    # Given a discounted line on a sales invoice
    # When it is mapped / Then the rate is sent, and the line amount is the discounted one
    [result] = mapped(line(discount_rate=Decimal("12.5")))
    assert (result.element["DiscountRate"], result.amount) == (12.5, Decimal("87.50"))


def test_a_discount_where_xero_takes_none_is_skipped() -> None:
    # Given a discounted line on a bill (FACTS.md §4.6: discounts on ACCREC only)
    # When it is mapped / Then it is skipped with the reason
    assert "Xero takes discounts on sales invoices only" in skipped_reason(
        line(discount_rate=Decimal(10)), sales=False, discounts=False
    )


def test_a_long_description_is_shortened_in_the_reason() -> None:
    # Given a line with a long description and an unmapped tax code
    reason = skipped_reason(line(description="x" * 100, tax_code="VAT20"))
    # Then the reason shows its first 40 characters
    assert reason.startswith(f'Line 1 ("{"x" * 39}…")')
