"""Xero's report shape (ReportWithRows, FACTS.md §4.12) read into a clean tree for the platform.

Xero answers every report as titles, a ReportDate in words ("23 April 2019") and Rows: one Header
row, then Sections holding Row and SummaryRow entries, every cell a string ("100.00"), some cells
tagged with attributes (`account` = AccountID, `invoiceID`). The tree keeps that structure (a
platform can draw the report as Xero does) and adds what a program needs: each money cell's
amount as a Decimal, the header as `columns`, and `figures`, the report's totals by label (Total
Income, Net Profit, Total Assets, Closing Balance...), so an automation never walks rows for them.

Which cells hold money is the report's to say (`first_amount_column`): a P&L's every column after
the label; an aged report's last four (Total, Paid, Credited, Due), never its invoice Number,
which may well be digits.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from shared.domain.inbound.instants import xero_instant

# Xero writes money as plain decimal text, a leading minus for negatives ("-12.50"); no grouping.
_MONEY = re.compile(r"^-?\d+(\.\d+)?$")


class ReportAnswerError(Exception):
    """Xero answered 200 without a report in it: no verdict the platform can use."""


class RowKind(StrEnum):
    HEADER = "header"
    SECTION = "section"
    ROW = "row"
    SUMMARY = "summary"


_ROW_KINDS = {"Header": RowKind.HEADER, "Section": RowKind.SECTION, "Row": RowKind.ROW, "SummaryRow": RowKind.SUMMARY}


class ReportCell(BaseModel):
    value: str = Field(description="the cell as Xero shows it")
    amount: Decimal | None = Field(description="the cell's money, when it is a money cell that is not blank")
    attributes: dict[str, str] = Field(
        default_factory=dict, description="Xero's tags on the cell, e.g. `account` (an AccountID) or `invoiceID`"
    )


class ReportRow(BaseModel):
    kind: RowKind
    title: str | None = Field(default=None, description="a section's title (empty for a computed line's section)")
    cells: list[ReportCell] = Field(default_factory=list, description="a row's cells, label first")
    rows: list[ReportRow] = Field(default_factory=list, description="a section's rows")


class ReportFigure(BaseModel):
    label: str = Field(description="e.g. `Total Income`, `Net Profit`, `Total Assets`, `Closing Balance`")
    amounts: list[Decimal | None] = Field(description="one per money column, in the columns' order")


class Report(BaseModel):
    """One of Xero's reports, as Xero computed it, in a shape a program reads without Xero's quirks."""

    report_type: str = Field(description="Xero's ReportType, e.g. `ProfitAndLoss`")
    name: str = Field(description="Xero's ReportName, e.g. `Profit and Loss`")
    titles: list[str] = Field(description="Xero's ReportTitles: the report, the organisation, the period")
    report_date: str = Field(description="Xero's ReportDate, in words (`23 April 2019`)")
    updated_at: datetime | None = Field(description="when Xero computed the report")
    columns: list[str] = Field(description="the header row: a label column, then one per period or figure")
    rows: list[ReportRow] = Field(description="the report's sections and rows, in Xero's order")
    figures: list[ReportFigure] = Field(description="the report's totals and computed lines, by label")


def read_report(answer: dict[str, Any], first_amount_column: int) -> Report:
    """The first report of Xero's answer; money read from the cells at `first_amount_column` and after.

    Raises ReportAnswerError when the answer holds no report."""
    reports = answer.get("Reports")
    if not isinstance(reports, list) or not reports or not isinstance(reports[0], dict):
        raise ReportAnswerError("Xero answered without a report")
    found: dict[str, Any] = reports[0]
    rows = [_row(raw, first_amount_column) for raw in _dicts(found.get("Rows"))]
    header = next((row for row in rows if row.kind is RowKind.HEADER), None)
    return Report(
        report_type=str(found.get("ReportType") or ""),
        name=str(found.get("ReportName") or ""),
        titles=[str(title) for title in found.get("ReportTitles") or []],
        report_date=str(found.get("ReportDate") or ""),
        updated_at=_instant(found.get("UpdatedDateUTC")),
        columns=[cell.value for cell in header.cells] if header else [],
        rows=[row for row in rows if row.kind is not RowKind.HEADER],
        figures=_figures(rows, first_amount_column),
    )


def _row(raw: dict[str, Any], first_amount_column: int) -> ReportRow:
    kind = _ROW_KINDS.get(str(raw.get("RowType")), RowKind.ROW)
    has_money = kind in {RowKind.ROW, RowKind.SUMMARY}
    raw_cells = _dicts(raw.get("Cells"))
    cells = [_cell(raw_cell, has_money and i >= first_amount_column) for i, raw_cell in enumerate(raw_cells)]
    title = raw.get("Title")
    return ReportRow(
        kind=kind,
        title=str(title) if title is not None else None,
        cells=cells,
        rows=[_row(child, first_amount_column) for child in _dicts(raw.get("Rows"))],
    )


def _cell(raw: dict[str, Any], money_column: bool) -> ReportCell:
    value = str(raw.get("Value") if raw.get("Value") is not None else "")
    attributes = {
        str(tag.get("Id")): str(tag.get("Value") if tag.get("Value") is not None else "")
        for tag in _dicts(raw.get("Attributes"))
        if tag.get("Id")
    }
    return ReportCell(value=value, amount=_amount(value) if money_column else None, attributes=attributes)


def _amount(text: str) -> Decimal | None:
    if not _MONEY.match(text.strip()):
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal text
        return None


def _figures(rows: list[ReportRow], first_amount_column: int) -> list[ReportFigure]:
    """Summary rows anywhere, and the lone rows of untitled sections (Gross Profit, Net Profit, Net Assets)."""
    figures: list[ReportFigure] = []
    for row in rows:
        if row.kind is not RowKind.SECTION:
            continue
        for child in row.rows:
            lone_figure = not row.title and len(row.rows) == 1 and child.kind is RowKind.ROW
            if (child.kind is RowKind.SUMMARY or lone_figure) and child.cells and child.cells[0].value:
                amounts = [c.amount for c in child.cells[first_amount_column:]]
                figures.append(ReportFigure(label=child.cells[0].value, amounts=amounts))
    return figures


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _instant(value: object) -> datetime | None:
    try:
        return xero_instant(value)
    except ValueError:
        return None
