"""Xero's report answers read into the platform's report tree (shared/usecases/reports/report_rows.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shared.usecases.reports.report_rows import ReportAnswerError, RowKind, read_report
from tests.unit.reports.xero_reports import SALES_ACCOUNT, aged_receivables, profit_and_loss


def test_a_profit_and_loss_keeps_xeros_sections_with_amounts_as_decimals() -> None:
    # Given Xero's Profit and Loss
    # When it is read with money in every column after the label
    report = read_report(profit_and_loss(income="1000.50"), 1)
    # Then the header becomes the columns, and sections keep their rows and cells
    assert report.report_type == "ProfitAndLoss"
    assert report.columns == ["", "31 Oct 26"]
    income = report.rows[0]
    assert (income.kind, income.title) == (RowKind.SECTION, "Income")
    sales = income.rows[0]
    assert [c.value for c in sales.cells] == ["Sales", "1000.50"]
    assert sales.cells[0].amount is None
    assert sales.cells[1].amount == Decimal("1000.50")
    assert sales.cells[0].attributes == {"account": SALES_ACCOUNT}


def test_figures_hold_the_totals_and_computed_lines_by_label() -> None:
    # Given a Profit and Loss with its totals and an untitled Net Profit section
    report = read_report(profit_and_loss("1000.00", "250.00", "750.00"), 1)
    # Then the figures list each total and the Net Profit line, with their amounts
    figures = {figure.label: figure.amounts for figure in report.figures}
    assert figures == {
        "Total Income": [Decimal("1000.00")],
        "Total Operating Expenses": [Decimal("250.00")],
        "Net Profit": [Decimal("750.00")],
    }


def test_an_aged_reports_invoice_number_is_never_read_as_money() -> None:
    # Given an aged report whose invoice number is all digits
    # When it is read with money from the fifth column (Total, Paid, Credited, Due)
    report = read_report(aged_receivables(number="1042", due="150.00"), 4)
    # Then the number stays text and the amounts are decimals
    document = report.rows[0].rows[0]
    assert document.cells[1].value == "1042"
    assert document.cells[1].amount is None
    assert [c.amount for c in document.cells[4:]] == [
        Decimal("150.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("150.00"),
    ]
    assert document.cells[3].amount is None  # "82 days overdue"


def test_blank_and_negative_money_cells() -> None:
    # Given a report whose figure is negative and another blank
    answer = profit_and_loss(income="", net="-12.50")
    # When it is read
    report = read_report(answer, 1)
    # Then a blank cell has no amount and a negative one keeps its sign
    assert report.rows[0].rows[0].cells[1].amount is None
    assert report.figures[-1].amounts == [Decimal("-12.50")]


def test_xeros_ms_json_timestamp_becomes_an_instant() -> None:
    report = read_report(profit_and_loss(), 1)
    assert report.updated_at == datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_an_answer_without_a_report_is_refused() -> None:
    with pytest.raises(ReportAnswerError):
        read_report({"Reports": []}, 1)


def test_money_serialises_as_decimal_strings() -> None:
    # Given a report read from Xero
    report = read_report(profit_and_loss(income="1000.10"), 1)
    # When it is answered as JSON
    body = report.model_dump(mode="json")
    # Then amounts are strings with their places, never floats
    assert body["rows"][0]["rows"][0]["cells"][1]["amount"] == "1000.10"
