"""GET /Reports/ProfitAndLoss: figures from the ledger, Xero's standard layout, comparative periods, refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.simulator.conftest import Tenant, connect_tenant, tenant_at
from tests.simulator.ledger_records import account, bank_transaction, invoice
from tests.simulator.report_reading import fetch_report, layout, line, row_cells
from xero_simulator.server import Simulator

MARCH = {"fromDate": "2024-03-01", "toDate": "2024-03-31"}


def seed_march_trading(tenant: Tenant) -> None:
    org = tenant.org
    invoice(org, [("200", "1000.00", "100.00")], on=date(2024, 3, 5))
    invoice(org, [("260", "250.00", "25.00")], on=date(2024, 3, 20))
    invoice(org, [("310", "400.00", "40.00")], kind="ACCPAY", on=date(2024, 3, 10))
    invoice(org, [("469", "300.00", "30.00")], kind="ACCPAY", on=date(2024, 3, 12))
    bank_transaction(org, [("404", "20.00", "0.00")], kind="SPEND", on=date(2024, 3, 15))
    bank_transaction(org, [("270", "15.00", "0.00")], on=date(2024, 3, 18))


def test_profit_and_loss_lays_out_income_cost_of_sales_expenses_and_net_profit(tenant: Tenant) -> None:
    # Given a month of sales, purchases and bank transactions
    seed_march_trading(tenant)
    # When the P&L for March is fetched
    report = fetch_report(tenant, "ProfitAndLoss", **MARCH)
    # Then its sections and hand-computed figures are Xero's standard layout
    assert layout(report) == [
        ("Header", "", "31 Mar 24"),
        ("Section", "Income"),
        ("Interest Income", "15.00"),
        ("Other Revenue", "250.00"),
        ("Sales", "1000.00"),
        ("Total Income", "1265.00"),
        ("Section", "Less Cost of Sales"),
        ("Cost of Goods Sold", "400.00"),
        ("Total Cost of Sales", "400.00"),
        ("Gross Profit", "865.00"),
        ("Section", "Less Operating Expenses"),
        ("Bank Fees", "20.00"),
        ("Rent", "300.00"),
        ("Total Operating Expenses", "320.00"),
        ("Net Profit", "545.00"),
    ]


def test_profit_and_loss_leaves_out_documents_outside_the_period_and_drafts(tenant: Tenant) -> None:
    # Given a February sale, an April sale, a draft March sale and one approved March sale
    invoice(tenant.org, [("200", "700.00", "70.00")], on=date(2024, 2, 29))
    invoice(tenant.org, [("200", "800.00", "80.00")], on=date(2024, 4, 1))
    invoice(tenant.org, [("200", "900.00", "90.00")], on=date(2024, 3, 9), status="DRAFT")
    invoice(tenant.org, [("200", "100.00", "10.00")], on=date(2024, 3, 9))
    # When the P&L for March is fetched
    report = fetch_report(tenant, "ProfitAndLoss", **MARCH)
    # Then only the approved March sale counts
    assert line(report, "Sales") == ("100.00",)
    assert line(report, "Net Profit") == ("100.00",)


def test_periods_add_earlier_months_as_columns_newest_first(tenant: Tenant) -> None:
    # Given sales of 100 in January and 300 in March
    invoice(tenant.org, [("200", "100.00", "10.00")], on=date(2024, 1, 31))
    invoice(tenant.org, [("200", "300.00", "30.00")], on=date(2024, 3, 1))
    # When March is compared with the two months before it
    report = fetch_report(tenant, "ProfitAndLoss", **MARCH, periods="2", timeframe="MONTH")
    # Then there is a column per month, each ending on its month's last day
    assert layout(report)[0] == ("Header", "", "31 Mar 24", "29 Feb 24", "31 Jan 24")
    assert line(report, "Sales") == ("300.00", "0.00", "100.00")
    assert line(report, "Total Income") == ("300.00", "0.00", "100.00")


def test_account_rows_carry_the_account_id_in_every_cell(tenant: Tenant) -> None:
    # Given one sale to Sales (200)
    invoice(tenant.org, [("200", "100.00", "10.00")], on=date(2024, 3, 9))
    # When the P&L is fetched
    report = fetch_report(tenant, "ProfitAndLoss", **MARCH)
    # Then each cell of the Sales row names the account, and the total row names none
    sales_id = account(tenant.org, "200")["AccountID"]
    assert all(c["Attributes"] == [{"Id": "account", "Value": sales_id}] for c in row_cells(report, "Sales"))
    assert all("Attributes" not in c for c in row_cells(report, "Total Income"))


def test_profit_and_loss_names_itself_the_organisation_and_the_period() -> None:
    # Given an organisation in Sydney with no trading, at 13:30 UTC on 22 November (00:30 on the 23rd there)
    with tenant_at(datetime(2026, 11, 22, 13, 30, tzinfo=UTC)) as tenant:
        # When the P&L for March is fetched
        report = fetch_report(tenant, "ProfitAndLoss", **MARCH)
    # Then its identity and titles are Xero's, and ReportDate is the organisation's today, "23 April 2019" form
    assert (report["ReportID"], report["ReportType"], report["ReportName"]) == (
        "ProfitAndLoss",
        "ProfitAndLoss",
        "Profit and Loss",
    )
    assert report["ReportTitles"] == ["Profit & Loss", "Demo Company (AU)", "1 March 2024 to 31 March 2024"]
    assert report["ReportDate"] == "23 November 2026"
    assert layout(report)[1:] == [("Net Profit", "0.00")]


def test_cash_basis_is_refused_as_not_modelled(tenant: Tenant) -> None:
    # Given the simulator keeps an accrual ledger only
    # When a cash-basis P&L is asked for
    answer = tenant.api.get("/Reports/ProfitAndLoss", params={**MARCH, "paymentsOnly": "true"})
    # Then it answers 501 rather than accrual figures presented as cash ones
    assert answer.status_code == 501
    assert answer.json()["Type"] == "NotImplementedException"


def test_more_than_twelve_periods_are_refused(tenant: Tenant) -> None:
    # Given the spec allows 1 to 12 comparative periods
    # When 13 are asked for
    answer = tenant.api.get("/Reports/ProfitAndLoss", params={**MARCH, "periods": "13"})
    # Then the call is refused with a validation error
    assert answer.status_code == 400
    assert answer.json()["Type"] == "ValidationException"


def test_an_unparseable_date_is_refused_in_plain_text(tenant: Tenant) -> None:
    # Given a fromDate that is not a date
    # When the P&L is asked for
    answer = tenant.api.get("/Reports/ProfitAndLoss", params={"fromDate": "31/03/2024"})
    # Then Xero's plain-text 400 names the parameter
    assert answer.status_code == 400
    assert answer.text == "Supplied parameter 'fromDate' cannot be parsed."


def test_a_from_date_after_the_to_date_is_refused(tenant: Tenant) -> None:
    # Given a range that ends before it starts
    # When the P&L is asked for
    answer = tenant.api.get("/Reports/ProfitAndLoss", params={"fromDate": "2024-04-01", "toDate": "2024-03-31"})
    # Then the call is refused with a validation error
    assert answer.status_code == 400
    assert answer.json()["Type"] == "ValidationException"


def test_the_aged_reports_scope_does_not_open_the_profit_and_loss(simulator: Simulator) -> None:
    # Given a token holding only the granular aged-reports scope
    narrow = connect_tenant(simulator, scopes=["offline_access", "accounting.reports.aged.read"])
    # When it asks for the P&L
    answer = narrow.api.get("/Reports/ProfitAndLoss")
    # Then it is refused for want of scope
    assert answer.status_code == 401
    assert "insufficient_scope" in answer.headers["WWW-Authenticate"]
