"""The ReportWithRow shape every Xero report shares (FACTS.md §4.12; OAS-ACC `ReportWithRow`).

A report is titles, a ReportDate like "23 April 2019", and Rows: one Header row, then Sections whose
Rows are Row and SummaryRow entries. Every cell's Value is a string, money as "100.00"; cells of an
account's row carry `{"Id": "account", "Value": AccountID}` attributes, as in the spec's examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from xero_simulator.accounting.documents import org_today
from xero_simulator.accounting.totals import ZERO, money
from xero_simulator.msjson import ms_date
from xero_simulator.routing import ApiRequest

Cell = dict[str, Any]
Row = dict[str, Any]

# Xero's id for the Current Year Earnings line, which is no real account (OAS-ACC BalanceSheet example).
CURRENT_YEAR_EARNINGS_ID = "00000000-0000-0000-0000-000000000000"


def money_text(amount: Decimal) -> str:
    """Money as a report shows it: two decimals, a leading minus, never "-0.00"."""
    rounded = money(amount)
    return f"{ZERO if rounded == ZERO else rounded:.2f}"


def long_date(day: date) -> str:
    """The form of ReportDate and of report titles: 23 April 2019."""
    return f"{day.day} {day:%B %Y}"


def column_date(day: date) -> str:
    """The Balance Sheet's column heading: 30 Apr 2019 (OAS-ACC BalanceSheet example)."""
    return f"{day.day} {day:%b %Y}"


def slash_date(day: date) -> str:
    """The month/day/year form of the fromDate and toDate cell attributes: 4/30/2019."""
    return f"{day.month}/{day.day}/{day.year}"


def attribute(name: str, value: str) -> dict[str, str]:
    return {"Id": name, "Value": value}


def cell(value: str, attributes: Sequence[dict[str, str]] = ()) -> Cell:
    found: Cell = {"Value": value}
    if attributes:
        found["Attributes"] = list(attributes)
    return found


def header(labels: Iterable[str]) -> Row:
    return {"RowType": "Header", "Cells": [cell(label) for label in labels]}


def row(cells: list[Cell]) -> Row:
    return {"RowType": "Row", "Cells": cells}


def summary_row(label: str, values: Iterable[str]) -> Row:
    return {"RowType": "SummaryRow", "Cells": [cell(label), *(cell(v) for v in values)]}


def section(title: str, rows: list[Row]) -> Row:
    return {"RowType": "Section", "Title": title, "Rows": rows}


def account_row(label: str, account_id: str, values: Iterable[str]) -> Row:
    """An account's line: every cell, the label too, names the account, as Xero's reports do."""
    tag = [attribute("account", account_id)]
    return row([cell(label, tag), *(cell(v, tag) for v in values)])


def report_with_rows(
    req: ApiRequest, report_type: str, name: str, titles: list[str], rows: list[Row]
) -> dict[str, list[dict[str, Any]]]:
    """The `{"Reports": [ReportWithRow]}` payload; ReportDate is the organisation's today (the spec's examples)."""
    return {
        "Reports": [
            {
                "ReportID": report_type,
                "ReportName": name,
                "ReportType": report_type,
                "ReportTitles": titles,
                "ReportDate": long_date(org_today(req.org, req.now)),
                "UpdatedDateUTC": ms_date(req.now, offset=False),  # "/Date(1555971088085)/" as in the spec's examples
                "Fields": [],
                "Rows": rows,
            }
        ]
    }
