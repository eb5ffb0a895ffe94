"""Numbers and dates as Xero's JSON carries them.

Requests: dates are "YYYY-MM-DD" (FACTS.md §4.6); numbers are JSON numbers, made from Decimal
quantised to the places Xero keeps, so the same record always gives the same payload (its
Idempotency-Key depends on it). Money has cents; quantities and unit amounts keep 4 places, which
Xero honours only when the call carries `unitdp=4` (FACTS.md §4.6): the sync worker sends
`UNIT_DP_PARAMS` on writes of invoices, credit notes and items.
Answers: dates come as MS-JSON, "/Date(1539993600000+0000)/", or as ISO text (FACTS.md §4.6, §6.12).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

UNIT_DP_PARAMS = {"unitdp": "4"}

_CENT = Decimal("0.01")
_FOUR_PLACES = Decimal("0.0001")
_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def money(value: Decimal) -> float:
    """An amount of money as a JSON number: rounded to cents, half away from zero, as Xero rounds."""
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def four_places(value: Decimal) -> float:
    """A quantity, unit amount or discount rate as a JSON number, to the 4 places Xero keeps (unitdp=4)."""
    return float(value.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP))


def day(value: date) -> str:
    """A date as Xero's requests take it: "2019-03-11"."""
    return value.isoformat()


def xero_date(value: object) -> date | None:
    """A date from Xero's JSON: MS-JSON ("/Date(ms+0000)/", its instant read in UTC) or ISO text.

    None (or an empty string) means the field is not set. Raises ValueError for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        match = _MS_DATE.match(value.strip())
        if match:
            # The milliseconds count from the epoch in UTC; the offset only says where it was shown.
            return (_EPOCH + timedelta(milliseconds=int(match.group(1)))).date()
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date Xero writes")
