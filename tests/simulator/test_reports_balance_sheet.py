"""GET /Reports/BalanceSheet: assets, liabilities and equity from the ledger, balancing, with comparative dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.simulator.conftest import Tenant, tenant_at
from tests.simulator.ledger_records import account, invoice, two_financial_years
from tests.simulator.report_reading import fetch_report, layout, line, row_cells


def test_balance_sheet_lists_assets_liabilities_and_equity_that_balance(tenant: Tenant) -> None:
    # Given two years of trading
    two_financial_years(tenant.org)
    # When the balance sheet at 31 March 2024 is fetched
    report = fetch_report(tenant, "BalanceSheet", date="2024-03-31")
    # Then Net Assets (6650 - 350) equal Total Equity (300 + 5000 + 1000), laid out as Xero does
    assert layout(report) == [
        ("Header", "", "31 Mar 2024"),
        ("Section", "Assets"),
        ("Section", "Bank"),
        ("Business Bank Account", "6100.00"),
        ("Total Bank", "6100.00"),
        ("Section", "Current Assets"),
        ("Accounts Receivable", "550.00"),
        ("Total Current Assets", "550.00"),
        ("Total Assets", "6650.00"),
        ("Section", "Liabilities"),
        ("Section", "Current Liabilities"),
        ("Accounts Payable", "220.00"),
        ("GST", "130.00"),
        ("Total Current Liabilities", "350.00"),
        ("Total Liabilities", "350.00"),
        ("Net Assets", "6300.00"),
        ("Section", "Equity"),
        ("Current Year Earnings", "300.00"),
        ("Owner A Funds Introduced", "5000.00"),
        ("Retained Earnings", "1000.00"),
        ("Total Equity", "6300.00"),
    ]


def test_earnings_cells_name_the_period_they_cover(tenant: Tenant) -> None:
    # Given two years of trading
    two_financial_years(tenant.org)
    # When the balance sheet at 31 March 2024 is fetched
    report = fetch_report(tenant, "BalanceSheet", date="2024-03-31")
    # Then Current Year Earnings run from the financial year's start and Retained Earnings from the beginning
    retained_id = account(tenant.org, "960")["AccountID"]
    assert row_cells(report, "Current Year Earnings")[1]["Attributes"] == [
        {"Id": "account", "Value": "00000000-0000-0000-0000-000000000000"},
        {"Id": "fromDate", "Value": "7/1/2023"},
        {"Id": "toDate", "Value": "3/31/2024"},
    ]
    assert row_cells(report, "Retained Earnings")[1]["Attributes"] == [
        {"Id": "account", "Value": retained_id},
        {"Id": "fromDate", "Value": ""},
        {"Id": "toDate", "Value": "3/31/2024"},
    ]


def test_last_years_profit_is_current_year_earnings_until_the_year_ends(tenant: Tenant) -> None:
    # Given a sale of 1000 in May 2023, in the year ending 30 June 2023
    invoice(tenant.org, [("200", "1000.00", "100.00")], on=date(2023, 5, 10))
    # When balance sheets either side of the year end are fetched
    june = fetch_report(tenant, "BalanceSheet", date="2023-06-30")
    july = fetch_report(tenant, "BalanceSheet", date="2023-07-31")
    # Then the profit moves from Current Year Earnings to Retained Earnings
    assert (line(june, "Current Year Earnings"), line(june, "Retained Earnings")) == (("1000.00",), ("0.00",))
    assert (line(july, "Current Year Earnings"), line(july, "Retained Earnings")) == (("0.00",), ("1000.00",))


def test_periods_add_earlier_month_ends_as_columns(tenant: Tenant) -> None:
    # Given a sale on 5 March 2024
    invoice(tenant.org, [("200", "500.00", "50.00")], on=date(2024, 3, 5))
    # When the balance sheet at 31 March is compared with two earlier months
    report = fetch_report(tenant, "BalanceSheet", date="2024-03-31", periods="2", timeframe="MONTH")
    # Then each column is a month end, newest first, and the receivable appears only in March
    assert layout(report)[0] == ("Header", "", "31 Mar 2024", "29 Feb 2024", "31 Jan 2024")
    assert line(report, "Accounts Receivable") == ("550.00", "0.00", "0.00")
    assert line(report, "Total Equity") == ("500.00", "0.00", "0.00")


def test_balance_sheet_defaults_to_the_end_of_the_organisations_current_month() -> None:
    # Given an organisation in Sydney, at 14:00 UTC on 30 November (1 December there)
    with tenant_at(datetime(2026, 11, 30, 14, 0, tzinfo=UTC)) as tenant:
        # When the balance sheet is fetched with no date
        report = fetch_report(tenant, "BalanceSheet")
    # Then it is as at the last day of the organisation's month, as Xero's example (run 12 April, "As at 30 April 2019")
    assert report["ReportTitles"] == ["Balance Sheet", "Demo Company (AU)", "As at 31 December 2026"]
