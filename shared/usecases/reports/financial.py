"""A tenant's financial reports, as Xero computes them: profit and loss for a period, the balance
sheet at a date, and aged receivables and payables of one contact (FACTS.md §4.12).

Each report is one call to Xero (reports have no paging and no If-Modified-Since), budgeted at a
user's priority (tenant_calls.py). The parameters are checked before any call, so a request Xero
would refuse never spends the tenant's budget:
- a period runs from `from` to `to`, `to` not before `from`, for one year at most (1 January to
  31 December; 1 March to the last day of February): FACTS.md and Xero's spec state no longest
  period, and a year is the longest a Profit and Loss is read for, a financial year; a longer view
  is years compared with `periods` and `timeframe=YEAR`;
- `periods` (1 to 12) and `timeframe` (MONTH, QUARTER, YEAR) add earlier columns (OAS-ACC);
- aged reports are per contact, as Xero's are (contactId is required, OAS-ACC): the platform names
  its own contact, and the ledger gives Xero's ContactID (docs/decisions.md says why no summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.domain.records import Entity
from shared.observability import logger
from shared.ports.records import RecordStore
from shared.usecases.records import RecordNotFoundError
from shared.usecases.reports.report_rows import Report, read_report
from shared.usecases.reports.tenant_calls import TenantCalls

# Money columns: every column after the label; an aged report's Total, Paid, Credited and Due.
_AFTER_LABEL = 1
_AGED_MONEY_FROM = 4


class Timeframe(StrEnum):
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"


class AgedKind(StrEnum):
    RECEIVABLES = "receivables"
    PAYABLES = "payables"


_AGED_PATHS = {
    AgedKind.RECEIVABLES: "/Reports/AgedReceivablesByContact",
    AgedKind.PAYABLES: "/Reports/AgedPayablesByContact",
}


class ReportParameterError(Exception):
    """A report's parameters do not make a period Xero reports on; `field` names the query parameter."""

    def __init__(self, field: str, kind: str, message: str) -> None:
        super().__init__(f"{field} {message}")
        self.field = field
        self.kind = kind
        self.message = message


class ContactNotInXeroError(Exception):
    """The contact has no Xero id in the ledger yet: Xero has no report for it."""

    def __init__(self, platform_id: str) -> None:
        super().__init__(f"contact {platform_id} is not in Xero yet")
        self.platform_id = platform_id


@dataclass(frozen=True)
class Comparison:
    """Earlier columns to compare with: `periods` more of `timeframe` each (Xero's parameters)."""

    periods: int | None = None
    timeframe: Timeframe | None = None

    def params(self) -> dict[str, str]:
        params = {}
        if self.periods is not None:
            params["periods"] = str(self.periods)
        if self.timeframe is not None:
            params["timeframe"] = self.timeframe.value
        return params


def check_period(start: date, end: date) -> None:
    """Raise ReportParameterError unless `start`..`end` (both included) is a period of one year at most."""
    if end < start:
        raise ReportParameterError("query.to", "before_from", "must not be before `from`")
    if end >= a_year_after(start):
        raise ReportParameterError(
            "query.to", "period_too_long", "must be less than a year after `from` (a period is one year at most)"
        )


def a_year_after(day: date) -> date:
    """The same day a year later; 29 February's is 1 March."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 3, 1)


@dataclass(frozen=True)
class FinancialReports:
    calls: TenantCalls
    records: RecordStore

    def profit_and_loss(self, tenant_id: str, start: date, end: date, comparison: Comparison) -> Report:
        """Xero's Profit and Loss from `start` to `end` (both included), accrual basis."""
        check_period(start, end)
        params = {"fromDate": start.isoformat(), "toDate": end.isoformat(), **comparison.params()}
        return self._read(tenant_id, "/Reports/ProfitAndLoss", params, _AFTER_LABEL)

    def balance_sheet(self, tenant_id: str, as_at: date | None, comparison: Comparison) -> Report:
        """Xero's Balance Sheet at `as_at` (Xero's default, the end of this month, when None)."""
        params = {"date": as_at.isoformat()} if as_at else {}
        return self._read(tenant_id, "/Reports/BalanceSheet", params | comparison.params(), _AFTER_LABEL)

    def aged(self, tenant_id: str, kind: AgedKind, contact_id: str, as_at: date | None) -> Report:
        """Xero's aged receivables (or payables) of the platform's contact `contact_id`, counting
        payments up to `as_at` (today when None). Raises RecordNotFoundError for a contact the tenant
        never wrote and ContactNotInXeroError for one not in Xero yet."""
        xero = self.calls.open(tenant_id)
        contact = self.records.get(tenant_id, Entity.CONTACT, contact_id)
        if contact is None or contact.deleted:
            raise RecordNotFoundError(Entity.CONTACT, contact_id)
        if contact.xero_id is None:
            raise ContactNotInXeroError(contact_id)
        params = {"contactId": contact.xero_id} | ({"date": as_at.isoformat()} if as_at else {})
        answer = xero.get(_AGED_PATHS[kind], params)
        logger.info("report read", extra={"report": f"aged {kind.value}"})
        return read_report(answer.body, _AGED_MONEY_FROM)

    def _read(self, tenant_id: str, path: str, params: dict[str, str], money_from: int) -> Report:
        answer = self.calls.open(tenant_id).get(path, params)
        logger.info("report read", extra={"report": path.removeprefix("/Reports/")})
        return read_report(answer.body, money_from)
