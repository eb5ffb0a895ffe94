"""Xero's JSON dates: `/Date(1539993600000+0000)/` out, ISO dates and MS-JSON dates in."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def ms_date(value: datetime | date, *, offset: bool = True) -> str:
    """Render a date or UTC datetime as Xero does; the envelope's DateTimeUTC has no offset."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    millis = int(value.astimezone(UTC).timestamp() * 1000)
    return f"/Date({millis}+0000)/" if offset else f"/Date({millis})/"


def date_string(value: date) -> str:
    """The companion `DateString` Xero sends beside a date: `2018-10-20T00:00:00`."""
    return f"{value.isoformat()}T00:00:00"


def utc_string(value: datetime) -> str:
    """The ISO form of `UpdatedDateUTCString` (spec v16.1.0): `2018-11-02T16:31:30Z`."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def naive_utc(value: datetime) -> str:
    """Identity and webhook datetimes carry no zone: `2019-12-07T18:46:19.5165400`."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "0"


def parse_date(value: object) -> date:
    """Read a request date: `2019-03-11`, `2019-03-11T00:00:00` or `/Date(ms+0000)/`.

    Raises ValueError with a message fit for a ValidationError when the value is not a date.
    """
    if isinstance(value, str):
        match = _MS_DATE.match(value)
        if match:
            millis = int(match.group(1))
            return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=millis)).date()
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(f"'{value}' is not a valid date")


def parse_if_modified_since(value: str) -> datetime:
    """Read the If-Modified-Since header; Xero compares to the second and assumes UTC when no zone is given."""
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = datetime.strptime(text, "%a, %d %b %Y %H:%M:%S GMT")  # RFC 1123, as HTTP clients send it
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0)
