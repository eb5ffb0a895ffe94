"""GET /Reports/TrialBalance: every account with a balance, month and year-to-date, debits equal to credits."""

from __future__ import annotations

from datetime import date

from tests.simulator.conftest import Tenant
from tests.simulator.ledger_records import account, bank_transaction, invoice, payment, two_financial_years
from tests.simulator.report_reading import fetch_report, layout, line, row_cells


def test_trial_balance_lists_month_and_year_to_date_figures_by_class(tenant: Tenant) -> None:
    # Given two years of trading
    two_financial_years(tenant.org)
    # When the trial balance at 31 March 2024 is fetched
    report = fetch_report(tenant, "TrialBalance", date="2024-03-31")
    # Then P&L accounts show this year only, last year's profit sits in Retained Earnings,
    # and a zero shows on the account's normal side
    assert layout(report) == [
        ("Header", "Account", "Debit", "Credit", "YTD Debit", "YTD Credit"),
        ("Section", "Revenue"),
        ("Sales (200)", "", "500.00", "", "500.00"),
        ("Section", "Expenses"),
        ("Rent (469)", "200.00", "", "200.00", ""),
        ("Section", "Assets"),
        ("Accounts Receivable (610)", "550.00", "", "550.00", ""),
        ("Business Bank Account (090)", "0.00", "", "6100.00", ""),
        ("Section", "Liabilities"),
        ("Accounts Payable (800)", "", "220.00", "", "220.00"),
        ("GST (820)", "", "30.00", "", "130.00"),
        ("Section", "Equity"),
        ("Owner A Funds Introduced (970)", "", "0.00", "", "5000.00"),
        ("Retained Earnings (960)", "", "0.00", "", "1000.00"),
        ("Total", "750.00", "750.00", "6850.00", "6850.00"),
    ]


def test_trial_balance_debits_equal_credits(tenant: Tenant) -> None:
    # Given trading with tax, payments, part payments and bank transactions
    two_financial_years(tenant.org)
    sale = invoice(tenant.org, [("260", "123.45", "12.35")], on=date(2024, 3, 20))
    payment(tenant.org, sale, "35.80", on=date(2024, 3, 25), bank_code="091")
    bank_transaction(tenant.org, [("404", "7.77", "0.00")], kind="SPEND", on=date(2024, 3, 26))
    # When the trial balance is fetched
    report = fetch_report(tenant, "TrialBalance", date="2024-03-31")
    # Then both pairs of columns balance
    debit, credit, ytd_debit, ytd_credit = line(report, "Total")
    assert debit == credit
    assert ytd_debit == ytd_credit


def test_retained_earnings_cells_name_the_last_year_end(tenant: Tenant) -> None:
    # Given last year's profit
    two_financial_years(tenant.org)
    # When the trial balance at 31 March 2024 is fetched
    report = fetch_report(tenant, "TrialBalance", date="2024-03-31")
    # Then Retained Earnings' figures say they run to 30 June 2023, as in the spec's example
    retained_id = account(tenant.org, "960")["AccountID"]
    assert row_cells(report, "Retained Earnings (960)")[4]["Attributes"] == [
        {"Id": "account", "Value": retained_id},
        {"Id": "fromDate", "Value": ""},
        {"Id": "toDate", "Value": "6/30/2023"},
    ]


def test_trial_balance_names_itself_and_its_date(tenant: Tenant) -> None:
    # Given an organisation
    # When the trial balance at 31 March 2024 is fetched
    report = fetch_report(tenant, "TrialBalance", date="2024-03-31")
    # Then its type and titles are Xero's
    assert (report["ReportID"], report["ReportName"]) == ("TrialBalance", "Trial Balance")
    assert report["ReportTitles"] == ["Trial Balance", "Demo Company (AU)", "As at 31 March 2024"]
