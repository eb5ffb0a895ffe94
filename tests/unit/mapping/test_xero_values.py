"""Numbers and dates as Xero's JSON carries them (FACTS.md §4.6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared.domain.mapping.xero_values import day, four_places, money, xero_date


def test_money_is_rounded_to_cents_half_away_from_zero() -> None:
    # Given amounts half a cent from two neighbours
    # When they are written as money
    # Then they round up in magnitude, as Xero rounds
    assert (money(Decimal("10.005")), money(Decimal("-10.005"))) == (10.01, -10.01)


def test_quantities_and_unit_amounts_keep_four_places() -> None:
    # Given a unit amount with five places
    # When it is written
    # Then four places are kept
    assert four_places(Decimal("1.23456")) == 1.2346


def test_a_date_is_written_as_an_iso_day() -> None:
    # Given a date / When it is written / Then it is YYYY-MM-DD
    assert day(date(2019, 3, 11)) == "2019-03-11"


def test_an_ms_json_date_is_read_as_its_utc_day() -> None:
    # Given Xero's MS-JSON date of 20 Oct 2018 (FACTS.md §4.6)
    # When it is read
    # Then it is that day
    assert xero_date("/Date(1539993600000+0000)/") == date(2018, 10, 20)


def test_an_ms_json_date_without_an_offset_is_read_too() -> None:
    # Given the offset-less form Xero uses in its envelope
    # When it is read / Then it is the same day
    assert xero_date("/Date(1539993600000)/") == date(2018, 10, 20)


def test_an_iso_date_time_is_read_as_its_day() -> None:
    # Given a DateString-style value / When it is read / Then it is its day
    assert xero_date("2018-10-20T00:00:00") == date(2018, 10, 20)


@pytest.mark.parametrize("absent", [None, ""])
def test_an_absent_date_is_none(absent: object) -> None:
    # Given no date / When it is read / Then it is None
    assert xero_date(absent) is None


def test_something_that_is_not_a_date_is_refused() -> None:
    # Given text that is no date
    # When it is read / Then ValueError says what it was
    with pytest.raises(ValueError, match="yesterday"):
        xero_date("yesterday")
