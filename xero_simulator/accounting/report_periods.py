"""The dates a report covers: its query parameters, comparative periods and the financial year.

Parameters (FACTS.md §4.12, OAS-ACC): dates are `YYYY-MM-DD`; `periods` is an integer from 1 to 12
and `timeframe` one of MONTH, QUARTER, YEAR. A value Xero cannot read is refused with a plain-text
400 "Supplied parameter 'X' cannot be parsed.", the answer Xero gives to an unparseable query
parameter (XeroAPI/xero-node#502, XeroAPI/xero-php-oauth2-app#17). A comparative period is the
report's own range moved back by whole timeframes; a range ending on a month's last day keeps
ending on the last day (30 Apr -> 31 Mar -> 28 Feb, as in the spec's Balance Sheet example).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import IntEnum

from xero_simulator.errors import UnparseableParameterError, ValidationError
from xero_simulator.routing import ApiRequest
from xero_simulator.world import Organisation

MAX_PERIODS = 12


class Timeframe(IntEnum):
    """A comparative period's length in months."""

    MONTH = 1
    QUARTER = 3
    YEAR = 12


def date_param(req: ApiRequest, name: str) -> date | None:
    text = req.query.get(name.lower(), "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise UnparseableParameterError(name) from exc


def periods_param(req: ApiRequest) -> int:
    """How many earlier periods to compare with (0 when absent); outside 1..12 is refused."""
    text = req.query.get("periods", "").strip()
    if not text:
        return 0
    try:
        periods = int(text)
    except ValueError as exc:
        raise UnparseableParameterError("periods") from exc
    if not 1 <= periods <= MAX_PERIODS:
        # Wording not found (FACTS.md §4.12 gives only the range): conservative refusal.
        raise ValidationError([f"The number of periods must be between 1 and {MAX_PERIODS}"])
    return periods


def timeframe_param(req: ApiRequest) -> Timeframe:
    text = req.query.get("timeframe", "").strip().upper()
    if not text:
        return Timeframe.MONTH
    try:
        return Timeframe[text]
    except KeyError as exc:
        raise UnparseableParameterError("timeframe") from exc


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_earlier(day: date, months: int) -> date:
    """The same day `months` earlier; a month's last day maps to the earlier month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if day == month_end(day):
        return date(year, month + 1, last)
    return date(year, month + 1, min(day.day, last))


def comparative_ranges(start: date, end: date, periods: int, timeframe: Timeframe) -> list[tuple[date, date]]:
    """The report's range then `periods` earlier ones, newest first, as Xero orders its columns."""
    return [
        (months_earlier(start, k * timeframe.value), months_earlier(end, k * timeframe.value))
        for k in range(periods + 1)
    ]


def financial_year_start(org: Organisation, day: date) -> date:
    """The first day of the financial year holding `day`, from the organisation's year end (AU: 30 June)."""

    def year_end(year: int) -> date:
        month = org.financial_year_end_month
        return date(year, month, min(org.financial_year_end_day, calendar.monthrange(year, month)[1]))

    this_year_end = year_end(day.year)
    previous_end = year_end(day.year - 1) if day <= this_year_end else this_year_end
    return previous_end + timedelta(days=1)
