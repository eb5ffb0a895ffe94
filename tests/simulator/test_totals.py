"""Line and document arithmetic (pure functions): each expected figure is worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xero_simulator.accounting.totals import (
    LineAmountTypes,
    LineError,
    LineFigures,
    LineInput,
    document_totals,
    figure_line,
)

GST = Decimal("10")
D = Decimal


def figured(amount_types: LineAmountTypes = LineAmountTypes.EXCLUSIVE, unit_dp: int = 2, **given: str) -> LineFigures:
    return figure_line(
        LineInput(**{k: D(v) for k, v in given.items()}), rate=GST, amount_types=amount_types, unit_dp=unit_dp
    )


def test_an_exclusive_line_adds_tax_on_top_of_quantity_times_unit_amount() -> None:
    # When 2 x 45.50 is figured at 10% exclusive
    line = figured(quantity="2", unit_amount="45.50")
    # Then the line is 91.00 and its tax 9.10
    assert (line.line_amount, line.tax_amount) == (D("91.00"), D("9.10"))


def test_an_exclusive_document_totals_its_lines_plus_their_tax() -> None:
    # Given lines of 91.00 (tax 9.10) and 9.99 (tax 0.999 -> 1.00)
    lines = [figured(quantity="2", unit_amount="45.50"), figured(quantity="1", unit_amount="9.99")]
    # When the document is totalled
    totals = document_totals(lines, LineAmountTypes.EXCLUSIVE)
    # Then SubTotal 100.99 + TotalTax 10.10 = Total 111.09
    assert (totals.sub_total, totals.total_tax, totals.total) == (D("100.99"), D("10.10"), D("111.09"))


def test_an_inclusive_line_takes_its_tax_out_of_the_line_amount() -> None:
    # When 115.50 including 10% GST is figured: 115.50 x 10 / 110 = 10.50
    line = figured(LineAmountTypes.INCLUSIVE, quantity="1", unit_amount="115.50")
    # Then the tax is 10.50 and the line stays 115.50
    assert (line.line_amount, line.tax_amount) == (D("115.50"), D("10.50"))


def test_an_inclusive_document_total_is_the_sum_of_its_lines() -> None:
    # Given one inclusive line of 115.50 carrying 10.50 tax
    lines = [figured(LineAmountTypes.INCLUSIVE, quantity="1", unit_amount="115.50")]
    # When totalled
    totals = document_totals(lines, LineAmountTypes.INCLUSIVE)
    # Then SubTotal 105.00, TotalTax 10.50, Total 115.50
    assert (totals.sub_total, totals.total_tax, totals.total) == (D("105.00"), D("10.50"), D("115.50"))


def test_a_notax_line_carries_no_tax_even_when_one_is_supplied() -> None:
    # When a NoTax line of 3 x 20 is sent with a TaxAmount
    line = figured(LineAmountTypes.NOTAX, quantity="3", unit_amount="20", tax_amount="6")
    # Then it carries no tax
    assert (line.line_amount, line.tax_amount) == (D("60.00"), D("0"))


def test_tax_is_rounded_per_line_before_it_is_summed() -> None:
    # Given three lines of 0.05 at 10%: each tax 0.005 rounds half up to 0.01
    lines = [figured(quantity="1", unit_amount="0.05") for _ in range(3)]
    # When totalled
    totals = document_totals(lines, LineAmountTypes.EXCLUSIVE)
    # Then the tax is 0.03, not 0.015 rounded to 0.02 on the sum
    assert totals.total_tax == D("0.03")


def test_a_discount_rate_takes_its_percentage_off_the_line() -> None:
    # When 3 x 33.33 = 99.99 is discounted 10%: 89.991 -> 89.99
    line = figured(quantity="3", unit_amount="33.33", discount_rate="10")
    # Then the line is 89.99, the discount 10.00 and the tax 9.00
    assert (line.line_amount, line.discount, line.tax_amount) == (D("89.99"), D("10.00"), D("9.00"))


def test_a_discount_amount_is_subtracted_from_the_line() -> None:
    # When 2 x 10 is discounted by 5.00
    line = figured(quantity="2", unit_amount="10", discount_amount="5")
    # Then the line is 15.00 and the discount 5.00
    assert (line.line_amount, line.discount) == (D("15.00"), D("5.00"))


def test_the_document_total_discount_sums_the_lines_discounts() -> None:
    # Given discounts of 10.00 and 5.00
    lines = [
        figured(quantity="3", unit_amount="33.33", discount_rate="10"),
        figured(quantity="2", unit_amount="10", discount_amount="5"),
    ]
    # When totalled
    # Then TotalDiscount is 15.00
    assert document_totals(lines, LineAmountTypes.EXCLUSIVE).total_discount == D("15.00")


def test_a_supplied_tax_amount_overrides_the_computed_one() -> None:
    # When a 100.00 line at 10% is sent with TaxAmount 9.99
    line = figured(quantity="1", unit_amount="100", tax_amount="9.99")
    # Then 9.99 is kept
    assert line.tax_amount == D("9.99")


def test_a_missing_unit_amount_is_derived_from_the_line_amount() -> None:
    # When LineAmount 30 and Quantity 4 are sent
    line = figured(quantity="4", line_amount="30")
    # Then UnitAmount is 7.50
    assert line.unit_amount == D("7.50")


def test_a_missing_quantity_is_derived_from_the_line_amount() -> None:
    # When LineAmount 30 and UnitAmount 7.50 are sent
    line = figured(unit_amount="7.50", line_amount="30")
    # Then Quantity is 4
    assert line.quantity == D("4")


def test_a_line_amount_alone_means_one_unit_of_that_amount() -> None:
    # When only LineAmount 42.42 is sent
    line = figured(line_amount="42.42")
    # Then it is 1 x 42.42
    assert (line.quantity, line.unit_amount, line.line_amount) == (D("1"), D("42.42"), D("42.42"))


def test_a_line_amount_that_disagrees_with_quantity_times_unit_amount_is_refused() -> None:
    # When 2 x 10 is sent with LineAmount 25
    # Then Xero's message names both figures
    with pytest.raises(LineError, match=r"^The line total 25.00 does not match the expected line total 20.00$"):
        figured(quantity="2", unit_amount="10", line_amount="25")


def test_a_discount_rate_and_a_discount_amount_together_are_refused() -> None:
    with pytest.raises(LineError):
        figured(quantity="1", unit_amount="10", discount_rate="5", discount_amount="1")


def test_a_discount_rate_above_one_hundred_percent_is_refused() -> None:
    with pytest.raises(LineError, match="Discount must not be greater than the line total"):
        figured(quantity="1", unit_amount="10", discount_rate="150")


def test_a_discount_amount_above_the_line_is_refused() -> None:
    with pytest.raises(LineError, match="Discount must not be greater than the line total"):
        figured(quantity="1", unit_amount="10", discount_amount="10.01")


def test_unit_amounts_are_rounded_to_two_places_by_default() -> None:
    # When 1.23456 is sent without unitdp=4
    # Then the unit amount is 1.23
    assert figured(quantity="1", unit_amount="1.23456").unit_amount == D("1.23")


def test_unit_amounts_keep_four_places_with_unitdp_4() -> None:
    # When 1.23456 is sent with unitdp=4: 1.2346, and 10 units make 12.346 -> 12.35
    line = figured(unit_dp=4, quantity="10", unit_amount="1.23456")
    # Then four places are kept and the line is rounded to cents
    assert (line.unit_amount, line.line_amount) == (D("1.2346"), D("12.35"))
