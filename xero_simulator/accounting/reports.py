"""Routes: the Profit and Loss, Balance Sheet and Trial Balance reports, computed from the ledger.

Layouts follow Xero's standard layout (FACTS.md §4.12 and the spec's examples): account rows sorted
by name, an account shown when it has a non-zero figure in some column, money as "100.00" strings,
each account row's cells tagged with the AccountID. Figures come from `ledger.journals` (accrual
basis). Income, liabilities and equity are shown credit-positive, assets and expenses debit-positive.

Not modelled, refused with 501 rather than answered with accrual figures a client would trust:
paymentsOnly=true (cash basis) and the tracking parameters. standardLayout is accepted and ignored:
the simulator has no custom layouts, so both layouts are the standard one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xero_simulator.accounting import aged_reports  # noqa: F401 - registers the aged reports' routes
from xero_simulator.accounting.documents import org_today
from xero_simulator.accounting.ledger import ChartOfAccounts, Journal, balances, journals
from xero_simulator.accounting.report_periods import (
    comparative_ranges,
    date_param,
    financial_year_start,
    month_end,
    periods_param,
    timeframe_param,
)
from xero_simulator.accounting.report_rows import (
    CURRENT_YEAR_EARNINGS_ID,
    Row,
    account_row,
    attribute,
    cell,
    column_date,
    header,
    long_date,
    money_text,
    report_with_rows,
    row,
    section,
    slash_date,
    summary_row,
)
from xero_simulator.accounting.totals import ZERO
from xero_simulator.errors import NotImplementedByXeroError, ValidationError
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily

# Account types per report section (OAS-ACC AccountType; Xero's standard layout).
INCOME_TYPES = frozenset({"REVENUE", "SALES"})
COST_OF_SALES_TYPES = frozenset({"DIRECTCOSTS"})
OTHER_INCOME_TYPES = frozenset({"OTHERINCOME"})
OPERATING_EXPENSE_TYPES = frozenset({"EXPENSE", "OVERHEADS", "DEPRECIATN"})
PROFIT_AND_LOSS_CLASSES = frozenset({"REVENUE", "EXPENSE"})
BANK_TYPES = frozenset({"BANK"})
CURRENT_ASSET_TYPES = frozenset({"CURRENT", "INVENTORY", "PREPAYMENT"})
FIXED_ASSET_TYPES = frozenset({"FIXED"})
NON_CURRENT_ASSET_TYPES = frozenset({"NONCURRENT"})
CURRENT_LIABILITY_TYPES = frozenset({"CURRLIAB", "PAYG"})
NON_CURRENT_LIABILITY_TYPES = frozenset({"TERMLIAB", "LIABILITY"})
EQUITY_TYPES = frozenset({"EQUITY"})

DEBIT_POSITIVE = 1
CREDIT_POSITIVE = -1

UNMODELLED_FILTERS = (
    "trackingCategoryID",
    "trackingCategoryID2",
    "trackingOptionID",
    "trackingOptionID2",
    "trackingOptionID1",
)


def refuse_unmodelled(req: ApiRequest) -> None:
    """Cash basis and tracking filters would change every figure; the simulator refuses them loudly."""
    if req.flag("paymentsOnly") or any(req.query.get(name.lower()) for name in UNMODELLED_FILTERS):
        raise NotImplementedByXeroError()


@dataclass(frozen=True)
class Ledger:
    """The organisation's accounts and journals, read once per report."""

    chart: ChartOfAccounts
    posted: list[Journal]

    @classmethod
    def of(cls, req: ApiRequest) -> Ledger:
        return cls(ChartOfAccounts(req.org.records("Accounts").values()), journals(req.org))

    def accounts_of(self, types: frozenset[str]) -> list[dict[str, Any]]:
        return [a for a in self.chart.accounts if a.get("Type") in types]

    def profit(self, movements: dict[str, Decimal]) -> Decimal:
        """Net profit of these movements: income less expenses, i.e. the credit balance of P&L accounts."""
        return -sum(
            (amount for account_id, amount in movements.items() if self._class(account_id) in PROFIT_AND_LOSS_CLASSES),
            ZERO,
        )

    def _class(self, account_id: str) -> str | None:
        account = self.chart.get(account_id)
        return None if account is None else account.get("Class")


@dataclass(frozen=True)
class Block:
    """The rows of one group of accounts and their per-column totals (display-signed)."""

    rows: list[Row]
    totals: list[Decimal]


def account_block(
    accounts: Iterable[dict[str, Any]], columns: Sequence[dict[str, Decimal]], sign: int, extra: Sequence[Row] = ()
) -> Block:
    """Rows for the accounts with a figure in some column, sorted by name (with `extra` rows), and the totals."""
    rows: list[tuple[str, Row]] = []
    totals = [ZERO] * len(columns)
    for account in accounts:
        figures = [sign * column.get(account["AccountID"], ZERO) for column in columns]
        if all(f == ZERO for f in figures):
            continue
        totals = [t + f for t, f in zip(totals, figures, strict=True)]
        rows.append((account["Name"], account_row(account["Name"], account["AccountID"], map(money_text, figures))))
    rows.extend((r["Cells"][0]["Value"], r) for r in extra)
    rows.sort(key=lambda pair: pair[0].lower())
    return Block([r for _, r in rows], totals)


def titled_section(title: str, total_label: str, block: Block) -> list[Row]:
    """A section with a total line, or nothing when no account has a figure (Xero omits empty sections)."""
    if not block.rows:
        return []
    return [section(title, [*block.rows, summary_row(total_label, map(money_text, block.totals))])]


def figure_section(label: str, figures: Iterable[Decimal], *, summary: bool = False) -> Row:
    """An untitled section holding one computed line (Gross Profit, Net Profit, Total Assets...)."""
    values = list(map(money_text, figures))
    line = summary_row(label, values) if summary else row([cell(label), *(cell(v) for v in values)])
    return section("", [line])


def _minus(left: Sequence[Decimal], right: Sequence[Decimal]) -> list[Decimal]:
    return [a - b for a, b in zip(left, right, strict=True)]


def _plus(*blocks: Sequence[Decimal]) -> list[Decimal]:
    return [sum(parts, ZERO) for parts in zip(*blocks, strict=True)]


def _profit_and_loss_range(req: ApiRequest) -> tuple[date, date]:
    start, end = date_param(req, "fromDate"), date_param(req, "toDate")
    if start is None:
        start = (end or org_today(req.org, req.now)).replace(day=1)
    if end is None:
        end = month_end(start)
    if start > end:
        raise ValidationError(["The from date must be before the to date"])  # wording NOT FOUND
    return start, end


@accounting.route("GET", "/Reports/ProfitAndLoss", ScopeFamily.REPORT_PROFITANDLOSS)
def profit_and_loss(req: ApiRequest) -> dict[str, Any]:
    """Income, Less Cost of Sales, Gross Profit, Plus Other Income, Less Operating Expenses, Net Profit.

    Without dates the report covers the current month; a missing toDate ends fromDate's month and a
    missing fromDate starts toDate's month (Xero's documented default is the current month; the
    half-given cases are NOT FOUND). periods=N adds N earlier columns of the same length.
    """
    refuse_unmodelled(req)
    start, end = _profit_and_loss_range(req)
    ranges = comparative_ranges(start, end, periods_param(req), timeframe_param(req))
    ledger = Ledger.of(req)
    columns = [balances(ledger.posted, since=a, until=b) for a, b in ranges]

    income = account_block(ledger.accounts_of(INCOME_TYPES), columns, CREDIT_POSITIVE)
    cost_of_sales = account_block(ledger.accounts_of(COST_OF_SALES_TYPES), columns, DEBIT_POSITIVE)
    other_income = account_block(ledger.accounts_of(OTHER_INCOME_TYPES), columns, CREDIT_POSITIVE)
    expenses = account_block(ledger.accounts_of(OPERATING_EXPENSE_TYPES), columns, DEBIT_POSITIVE)
    gross_profit = _minus(income.totals, cost_of_sales.totals)
    net_profit = _minus(_plus(gross_profit, other_income.totals), expenses.totals)

    rows = [
        # Xero's P&L heads each column with its end date, day month and two-digit year: "30 Apr 19".
        header(["", *(f"{b.day} {b:%b %y}" for _, b in ranges)]),
        *titled_section("Income", "Total Income", income),
        *titled_section("Less Cost of Sales", "Total Cost of Sales", cost_of_sales),
    ]
    if cost_of_sales.rows:
        rows.append(figure_section("Gross Profit", gross_profit))
    rows += [
        *titled_section("Plus Other Income", "Total Other Income", other_income),
        *titled_section("Less Operating Expenses", "Total Operating Expenses", expenses),
        figure_section("Net Profit", net_profit),
    ]
    titles = ["Profit & Loss", req.org.name, f"{long_date(start)} to {long_date(end)}"]
    return report_with_rows(req, "ProfitAndLoss", "Profit and Loss", titles, rows)


def _earnings(ledger: Ledger, req: ApiRequest, ends: Sequence[date], columns: Sequence[dict[str, Decimal]]) -> Block:
    """Current Year Earnings (profit since the financial year began) and Retained Earnings (the
    RETAINEDEARNINGS account plus every earlier year's profit), tagged with fromDate and toDate as in
    the spec's Balance Sheet example ("4/1/2019" to "4/30/2019"; Retained Earnings from "")."""
    retained = ledger.chart.system("RETAINEDEARNINGS")
    current_cells, retained_cells = [], []
    totals = []
    for end, column in zip(ends, columns, strict=True):
        year_start = financial_year_start(req.org, end)
        current = ledger.profit(balances(ledger.posted, since=year_start, until=end))
        kept = ledger.profit(balances(ledger.posted, until=year_start - timedelta(days=1)))
        kept -= column.get(retained["AccountID"], ZERO)
        to_date = attribute("toDate", slash_date(end))
        current_tags = [attribute("account", CURRENT_YEAR_EARNINGS_ID), attribute("fromDate", slash_date(year_start))]
        current_cells.append(cell(money_text(current), [*current_tags, to_date]))
        retained_tags = [attribute("account", retained["AccountID"]), attribute("fromDate", "")]
        retained_cells.append(cell(money_text(kept), [*retained_tags, to_date]))
        totals.append(current + kept)
    rows = [
        row([cell("Current Year Earnings", [attribute("account", CURRENT_YEAR_EARNINGS_ID)]), *current_cells]),
        row([cell(retained["Name"], [attribute("account", retained["AccountID"])]), *retained_cells]),
    ]
    return Block(rows, totals)


@accounting.route("GET", "/Reports/BalanceSheet", ScopeFamily.REPORT_BALANCESHEET)
def balance_sheet(req: ApiRequest) -> dict[str, Any]:
    """Assets (Bank, Current, Fixed, Non-current), Liabilities (Current, Non-current), Net Assets, Equity.

    Without `date` the report is as at the end of the current month (the spec's example: run on 12
    April, "As at 30 April 2019"). Total Equity always equals Net Assets: Current Year Earnings and
    Retained Earnings carry the profit the P&L accounts hold.
    """
    refuse_unmodelled(req)
    as_at = date_param(req, "date") or month_end(org_today(req.org, req.now))
    ends = [b for _, b in comparative_ranges(as_at, as_at, periods_param(req), timeframe_param(req))]
    ledger = Ledger.of(req)
    columns = [balances(ledger.posted, until=end) for end in ends]
    retained_id = ledger.chart.system("RETAINEDEARNINGS")["AccountID"]

    bank = account_block(ledger.accounts_of(BANK_TYPES), columns, DEBIT_POSITIVE)
    current_assets = account_block(ledger.accounts_of(CURRENT_ASSET_TYPES), columns, DEBIT_POSITIVE)
    fixed_assets = account_block(ledger.accounts_of(FIXED_ASSET_TYPES), columns, DEBIT_POSITIVE)
    non_current_assets = account_block(ledger.accounts_of(NON_CURRENT_ASSET_TYPES), columns, DEBIT_POSITIVE)
    current_liabilities = account_block(ledger.accounts_of(CURRENT_LIABILITY_TYPES), columns, CREDIT_POSITIVE)
    non_current_liabilities = account_block(ledger.accounts_of(NON_CURRENT_LIABILITY_TYPES), columns, CREDIT_POSITIVE)
    earnings = _earnings(ledger, req, ends, columns)
    owners = [a for a in ledger.accounts_of(EQUITY_TYPES) if a["AccountID"] != retained_id]
    equity = account_block(owners, columns, CREDIT_POSITIVE, extra=earnings.rows)
    equity_totals = _plus(equity.totals, earnings.totals)

    total_assets = _plus(bank.totals, current_assets.totals, fixed_assets.totals, non_current_assets.totals)
    total_liabilities = _plus(current_liabilities.totals, non_current_liabilities.totals)
    rows = [
        header(["", *map(column_date, ends)]),
        section("Assets", []),
        *titled_section("Bank", "Total Bank", bank),
        *titled_section("Current Assets", "Total Current Assets", current_assets),
        *titled_section("Fixed Assets", "Total Fixed Assets", fixed_assets),
        *titled_section("Non-current Assets", "Total Non-current Assets", non_current_assets),
        figure_section("Total Assets", total_assets, summary=True),
        section("Liabilities", []),
        *titled_section("Current Liabilities", "Total Current Liabilities", current_liabilities),
        *titled_section("Non-current Liabilities", "Total Non-current Liabilities", non_current_liabilities),
        figure_section("Total Liabilities", total_liabilities, summary=True),
        figure_section("Net Assets", _minus(total_assets, total_liabilities)),
        section("Equity", [*equity.rows, summary_row("Total Equity", map(money_text, equity_totals))]),
    ]
    titles = ["Balance Sheet", req.org.name, f"As at {long_date(as_at)}"]
    return report_with_rows(req, "BalanceSheet", "Balance Sheet", titles, rows)


# Trial Balance sections, in Xero's order (OAS-ACC TrialBalance example), by account Class.
TRIAL_BALANCE_SECTIONS = (
    ("Revenue", "REVENUE"),
    ("Expenses", "EXPENSE"),
    ("Assets", "ASSET"),
    ("Liabilities", "LIABILITY"),
    ("Equity", "EQUITY"),
)
# Where a zero shows: in the column of the class's normal balance ("0.00" under Debit for an asset).
DEBIT_NATURED_CLASSES = frozenset({"ASSET", "EXPENSE"})


def _debit_credit(amount: Decimal, account_class: str) -> tuple[str, str]:
    if amount > ZERO or (amount == ZERO and account_class in DEBIT_NATURED_CLASSES):
        return money_text(amount), ""
    return "", money_text(-amount)


@accounting.route("GET", "/Reports/TrialBalance", ScopeFamily.REPORT_TRIALBALANCE)
def trial_balance(req: ApiRequest) -> dict[str, Any]:
    """Every account with a balance: Debit / Credit for the month to `date`, YTD Debit / YTD Credit.

    YTD is the balance as at `date` for balance-sheet accounts and the movement since the financial
    year began for P&L accounts; earlier years' profit sits in Retained Earnings, whose cells say so
    with fromDate "" and toDate = the last financial year's end (the spec's example). Debits equal
    credits in both pairs of columns.
    """
    refuse_unmodelled(req)
    as_at = date_param(req, "date") or org_today(req.org, req.now)
    year_start = financial_year_start(req.org, as_at)
    ledger = Ledger.of(req)
    month = balances(ledger.posted, since=as_at.replace(day=1), until=as_at)
    cumulative = balances(ledger.posted, until=as_at)
    before_year = balances(ledger.posted, until=year_start - timedelta(days=1))
    retained_id = ledger.chart.system("RETAINEDEARNINGS")["AccountID"]

    totals = [ZERO] * 4
    rows: list[Row] = [header(["Account", "Debit", "Credit", "YTD Debit", "YTD Credit"])]
    for title, account_class in TRIAL_BALANCE_SECTIONS:
        lines: list[tuple[str, Row]] = []
        for account in ledger.chart.accounts:
            if account.get("Class") != account_class:
                continue
            account_id = account["AccountID"]
            ytd = cumulative.get(account_id, ZERO)
            tags = [attribute("account", account_id)]
            if account_class in PROFIT_AND_LOSS_CLASSES:
                ytd -= before_year.get(account_id, ZERO)
            if account_id == retained_id:
                ytd -= ledger.profit(before_year)
                tags += [attribute("fromDate", ""), attribute("toDate", slash_date(year_start - timedelta(days=1)))]
            moved = month.get(account_id, ZERO)
            if moved == ZERO and ytd == ZERO:
                continue
            values = [*_debit_credit(moved, account_class), *_debit_credit(ytd, account_class)]
            totals = [t + (Decimal(v) if v else ZERO) for t, v in zip(totals, values, strict=True)]
            label = f"{account['Name']} ({account['Code']})"
            lines.append((label, row([cell(label, tags[:1]), *(cell(v, tags) for v in values)])))
        lines.sort(key=lambda pair: pair[0].lower())
        if lines:
            rows.append(section(title, [r for _, r in lines]))
    rows.append(section("", [summary_row("Total", map(money_text, totals))]))
    titles = ["Trial Balance", req.org.name, f"As at {long_date(as_at)}"]
    return report_with_rows(req, "TrialBalance", "Trial Balance", titles, rows)
