"""United States: the chart of accounts and sales-tax rates a new Xero US organisation starts with.

US sales tax is not a national rate: Xero ships zero-rated system rates (Tax on Sales OUTPUT, Tax
on Purchases INPUT, Tax Exempt NONE, Sales Tax on Imports GSTONIMPORTS) and the business adds its
own state, county and city rates, which get TaxTypes TAX001, TAX002... with one component per
jurisdiction (FACTS.md §4.11). Sales are entered tax-exclusive, as US prices are quoted.
"""

from decimal import Decimal

from xero_simulator.charts import AccountSeed, Chart, TaxRateSeed

_BANK = {"BankAccountNumber": "021000021 123456789", "CurrencyCode": "USD", "EnablePaymentsToAccount": False}
_NIL = Decimal("0.0000")
_ALL = ("Assets", "Equity", "Expenses", "Liabilities", "Revenue")
_SALES = ("Assets", "Equity", "Liabilities", "Revenue")
_PURCHASES = ("Assets", "Equity", "Expenses", "Liabilities")

CHART = Chart(
    country_code="US",
    currency="USD",
    timezone="EASTERNSTANDARDTIME",
    financial_year_end_day=31,
    financial_year_end_month=12,
    default_sales_tax="Tax Exclusive",
    default_purchases_tax="Tax Exclusive",
    version="US",
    sales_tax_basis="ACCRUAL",
    sales_tax_period="QUARTERLY",
    accounts=(
        AccountSeed("090", "Checking Account", "BANK", "NONE", extra=_BANK),
        AccountSeed(
            "091", "Savings Account", "BANK", "NONE", extra={**_BANK, "BankAccountNumber": "021000021 987654321"}
        ),
        AccountSeed("200", "Sales", "REVENUE", "OUTPUT"),
        AccountSeed("260", "Other Revenue", "REVENUE", "OUTPUT"),
        AccountSeed("270", "Interest Income", "REVENUE", "NONE"),
        AccountSeed("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT"),
        AccountSeed("400", "Advertising", "EXPENSE", "INPUT"),
        AccountSeed("404", "Bank Service Charges", "EXPENSE", "NONE"),
        AccountSeed("408", "Janitorial Expenses", "EXPENSE", "INPUT"),
        AccountSeed("412", "Consulting & Accounting", "EXPENSE", "INPUT"),
        AccountSeed("416", "Depreciation", "DEPRECIATN", "NONE"),
        AccountSeed("420", "Entertainment", "EXPENSE", "INPUT"),
        AccountSeed("425", "Postage & Delivery", "EXPENSE", "INPUT"),
        AccountSeed("429", "General Expenses", "EXPENSE", "INPUT"),
        AccountSeed("433", "Insurance", "EXPENSE", "NONE"),
        AccountSeed("437", "Interest Expense", "EXPENSE", "NONE"),
        AccountSeed("441", "Legal Expenses", "EXPENSE", "INPUT"),
        AccountSeed("445", "Utilities", "EXPENSE", "INPUT"),
        AccountSeed("449", "Automobile Expenses", "EXPENSE", "INPUT"),
        AccountSeed("453", "Office Expenses", "EXPENSE", "INPUT"),
        AccountSeed("461", "Printing & Stationery", "EXPENSE", "INPUT"),
        AccountSeed("469", "Rent", "EXPENSE", "NONE"),
        AccountSeed("473", "Repairs & Maintenance", "EXPENSE", "INPUT"),
        AccountSeed("477", "Wages & Salaries", "EXPENSE", "NONE"),
        AccountSeed("478", "Payroll Tax Expense", "EXPENSE", "NONE"),
        AccountSeed("485", "Dues & Subscriptions", "EXPENSE", "INPUT"),
        AccountSeed("489", "Telephone & Internet", "EXPENSE", "INPUT"),
        AccountSeed("493", "Travel", "EXPENSE", "INPUT"),
        AccountSeed("497", "Bank Revaluations", "EXPENSE", "NONE", system_account="BANKCURRENCYGAIN"),
        AccountSeed("498", "Unrealized Currency Gains", "EXPENSE", "NONE", system_account="UNREALISEDCURRENCYGAIN"),
        AccountSeed("499", "Realized Currency Gains", "EXPENSE", "NONE", system_account="REALISEDCURRENCYGAIN"),
        AccountSeed("505", "Income Tax Expense", "EXPENSE", "NONE"),
        AccountSeed("610", "Accounts Receivable", "CURRENT", "NONE", system_account="DEBTORS"),
        AccountSeed("620", "Prepayments", "CURRENT", "NONE"),
        AccountSeed("630", "Inventory", "INVENTORY", "NONE"),
        AccountSeed("710", "Office Equipment", "FIXED", "NONE"),
        AccountSeed("711", "Less Accumulated Depreciation on Office Equipment", "FIXED", "NONE"),
        AccountSeed("720", "Computer Equipment", "FIXED", "NONE"),
        AccountSeed("721", "Less Accumulated Depreciation on Computer Equipment", "FIXED", "NONE"),
        AccountSeed("800", "Accounts Payable", "CURRLIAB", "NONE", system_account="CREDITORS"),
        AccountSeed("801", "Unpaid Expense Claims", "CURRLIAB", "NONE", system_account="UNPAIDEXPCLM"),
        AccountSeed("814", "Wages Payable - Payroll", "CURRLIAB", "NONE", system_account="WAGEPAYABLES"),
        AccountSeed("820", "Sales Tax", "CURRLIAB", "NONE", system_account="GST"),
        AccountSeed("825", "Payroll Tax Payable", "CURRLIAB", "NONE"),
        AccountSeed("830", "Income Tax Payable", "CURRLIAB", "NONE"),
        AccountSeed("840", "Historical Adjustment", "CURRLIAB", "NONE", system_account="HISTORICAL"),
        AccountSeed("850", "Suspense", "CURRLIAB", "NONE"),
        AccountSeed("860", "Rounding", "CURRLIAB", "NONE", system_account="ROUNDING"),
        AccountSeed("877", "Tracking Transfers", "CURRLIAB", "NONE", system_account="TRACKINGTRANSFERS"),
        AccountSeed("880", "Owner A Drawings", "EQUITY", "NONE"),
        AccountSeed("881", "Owner A Funds Introduced", "EQUITY", "NONE"),
        AccountSeed("900", "Loan", "TERMLIAB", "NONE"),
        AccountSeed("960", "Retained Earnings", "EQUITY", "NONE", system_account="RETAINEDEARNINGS"),
        AccountSeed("970", "Owner A Share Capital", "EQUITY", "NONE"),
    ),
    tax_rates=(
        TaxRateSeed("Tax on Sales", "OUTPUT", _NIL, "OUTPUT", _SALES),
        TaxRateSeed("Tax on Purchases", "INPUT", _NIL, "INPUT", _PURCHASES),
        TaxRateSeed("Tax Exempt", "NONE", _NIL, "NONE", _ALL),
        TaxRateSeed("Sales Tax on Imports", "GSTONIMPORTS", _NIL, "GSTONIMPORTS", _PURCHASES),
    ),
)
