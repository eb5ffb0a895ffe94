"""Xero's timestamps in their three forms, as UTC instants."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.domain.inbound.instants import updated_at, xero_instant

INSTANT = datetime(2018, 11, 2, 16, 31, 30, 160000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/Date(1541176290160+0000)/", INSTANT),
        ("/Date(1541176290160)/", INSTANT),
        ("/Date(1541176290160+1300)/", INSTANT),  # the offset says where it was shown, not when
        ("2018-11-02T16:31:30Z", INSTANT.replace(microsecond=0)),
        ("2018-11-02T16:31:30.1600000", INSTANT),  # .NET's seven digits, no zone: UTC
        ("2018-11-03T05:31:30.16+13:00", INSTANT),
    ],
)
def test_every_form_xero_writes_is_the_same_instant(text: str, expected: datetime) -> None:
    # Given an instant as Xero writes it / When it is read / Then it is that UTC instant
    assert xero_instant(text) == expected


def test_an_unset_instant_is_none_and_anything_else_is_refused() -> None:
    # Given no value, and a value that is no instant / When they are read / Then None, and ValueError
    assert xero_instant("") is None
    with pytest.raises(ValueError, match="not an instant"):
        xero_instant("tomorrow")


def test_an_unreadable_updated_date_falls_back_on_its_twin() -> None:
    # Given a record whose UpdatedDateUTC is garbled / When its stamp is read / Then the ISO twin gives it
    assert updated_at(
        {"UpdatedDateUTC": "/Date(x)/", "UpdatedDateUTCString": "2018-11-02T16:31:30Z"}
    ) == INSTANT.replace(microsecond=0)
