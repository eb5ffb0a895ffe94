"""The dates reports cover: comparative periods and the financial year (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest

from xero_simulator.accounting.report_periods import Timeframe, comparative_ranges, financial_year_start, months_earlier
from xero_simulator.builders import create_organisation
from xero_simulator.world import World


def test_a_month_end_moves_back_to_the_earlier_month_end() -> None:
    # Given 30 April, the last day of its month
    # When / Then a month and two months earlier are the last days of March and February
    assert months_earlier(date(2019, 4, 30), 1) == date(2019, 3, 31)
    assert months_earlier(date(2019, 4, 30), 2) == date(2019, 2, 28)


def test_a_mid_month_day_keeps_its_day_where_the_month_has_it() -> None:
    # Given 30 January, which is not a month end, and 31 March, which is
    # When / Then a month earlier is 30 December and the last day of February
    assert months_earlier(date(2024, 1, 30), 1) == date(2023, 12, 30)
    assert months_earlier(date(2024, 3, 31), 1) == date(2024, 2, 29)


def test_comparative_quarters_come_newest_first() -> None:
    # Given the quarter January to March 2024
    # When two earlier quarters are added
    ranges = comparative_ranges(date(2024, 1, 1), date(2024, 3, 31), 2, Timeframe.QUARTER)
    # Then the columns are this quarter and the two before it
    assert ranges == [
        (date(2024, 1, 1), date(2024, 3, 31)),
        (date(2023, 10, 1), date(2023, 12, 31)),
        (date(2023, 7, 1), date(2023, 9, 30)),
    ]


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2024, 3, 31), date(2023, 7, 1)),
        (date(2024, 6, 30), date(2023, 7, 1)),
        (date(2024, 7, 1), date(2024, 7, 1)),
    ],
)
def test_an_australian_financial_year_starts_on_1_july(day: date, start: date) -> None:
    # Given an AU organisation, whose year ends on 30 June
    org = create_organisation(World(), "Year End Pty Ltd", "AU")
    # When / Then the year holding `day` began on the 1 July before it
    assert financial_year_start(org, day) == start
