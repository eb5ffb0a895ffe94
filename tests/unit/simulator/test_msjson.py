"""Xero's MS-JSON dates and the date forms requests may use."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from xero_simulator.msjson import ms_date, naive_utc, parse_date, parse_if_modified_since


def test_dates_render_as_ms_json_with_offset() -> None:
    assert ms_date(date(2018, 10, 20)) == "/Date(1539993600000+0000)/"


def test_the_envelope_timestamp_has_no_offset() -> None:
    assert ms_date(datetime(2019, 3, 11, 17, 58, 46, tzinfo=UTC), offset=False) == "/Date(1552327126000)/"


@pytest.mark.parametrize("text", ["2019-03-11", "2019-03-11T00:00:00", "/Date(1552262400000+0000)/"])
def test_request_dates_are_read_in_each_form_xero_accepts(text: str) -> None:
    assert parse_date(text) == date(2019, 3, 11)


def test_a_value_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(ValueError, match="not a valid date"):
        parse_date("next tuesday")


def test_if_modified_since_without_zone_is_utc_and_truncated_to_the_second() -> None:
    assert parse_if_modified_since("2024-06-21T01:15:39.902") == datetime(2024, 6, 21, 1, 15, 39, tzinfo=UTC)


def test_if_modified_since_accepts_the_http_date_form() -> None:
    assert parse_if_modified_since("Fri, 21 Jun 2024 01:15:39 GMT") == datetime(2024, 6, 21, 1, 15, 39, tzinfo=UTC)


def test_identity_datetimes_carry_no_zone() -> None:
    assert naive_utc(datetime(2019, 12, 7, 18, 46, 19, 516540, tzinfo=UTC)) == "2019-12-07T18:46:19.5165400"
