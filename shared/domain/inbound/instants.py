"""Xero's timestamps as aware UTC datetimes (FACTS.md §4.6, §6.12).

Xero writes instants three ways: MS-JSON ("/Date(1541176290160+0000)/", milliseconds since the
epoch in UTC; the offset only says where it was shown), ISO with a zone ("2018-11-02T16:31:30Z",
UpdatedDateUTCString) and ISO without one ("2024-06-21T01:15:39.902", webhook eventDateUtc), which
is UTC. Comparing instants (echo.py, coalesce.py) needs one form.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Python reads at most 6 fractional digits; .NET writes 7 ("18:46:19.5165400").
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def xero_instant(value: object) -> datetime | None:
    """An instant from Xero's JSON as an aware UTC datetime; None when the field is not set.

    Raises ValueError for a value that is none of Xero's forms.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        text = value.strip()
        match = _MS_DATE.match(text)
        if match:
            return _EPOCH + timedelta(milliseconds=int(match.group(1)))
        try:
            parsed = datetime.fromisoformat(_LONG_FRACTION.sub(r"\1", text))
        except ValueError:
            pass
        else:
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(f"{value!r} is not an instant Xero writes")


def updated_at(element: dict[str, object]) -> datetime | None:
    """When Xero last changed the record: UpdatedDateUTC (to the millisecond), else its ISO twin
    UpdatedDateUTCString (to the second); None when Xero sent neither or neither is readable."""
    for field in ("UpdatedDateUTC", "UpdatedDateUTCString"):
        try:
            instant = xero_instant(element.get(field))
        except ValueError:
            continue
        if instant is not None:
            return instant
    return None
