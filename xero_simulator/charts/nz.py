"""New Zealand: the chart of accounts and GST rates (15%) a new Xero NZ organisation starts with.

NZ uses the numbered TaxTypes of the spec's TaxType enum: OUTPUT2/INPUT2 for 15% GST, ZERORATED
for zero-rated supplies, NONE for no GST, GSTONIMPORTS for GST paid to Customs.
"""

from decimal import Decimal

from xero_simulator.charts import AccountSeed, Chart, TaxRateSeed

_BANK = {"BankAccountNumber": "12-3456-7890123-00", "CurrencyCode": "NZD", "EnablePaymentsToAccount": False}
_GST = Decimal("15.0000")
_NIL = Decimal("0.0000")
_ALL = ("Assets", "Equity", "Expenses", "Liabilities", "Revenue")
_SALES = ("Assets", "Equity", "Liabilities", "Revenue")
_PURCHASES = ("Assets", "Equity", "Expenses", "Liabilities")

CHART = Chart(
    country_code="NZ",
    currency="NZD",
    timezone="NEWZEALANDSTANDARDTIME",
    financial_year_end_day=31,
    financial_year_end_month=3,
    default_sales_tax="Tax Exclusive",
    default_purchases_tax="Tax Inclusive",
    version="NZ",
    sales_tax_basis="INVOICE",
    sales_tax_period="TWOMONTHS",
    accounts=(
        AccountSeed("090", "Business Bank Account", "BANK", "NONE", extra=_BANK),
        AccountSeed(
            "091",
            "Business Savings Account",
            "BANK",
            "NONE",
            extra={**_BANK, "BankAccountNumber": "12-3456-7890123-01"},
        ),
        AccountSeed("200", "Sales", "REVENUE", "OUTPUT2"),
        AccountSeed("260", "Other Revenue", "REVENUE", "OUTPUT2"),
        AccountSeed("270", "Interest Income", "REVENUE", "NONE"),
        AccountSeed("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT2"),
        AccountSeed("400", "Advertising", "EXPENSE", "INPUT2"),
        AccountSeed("404", "Bank Fees", "EXPENSE", "NONE"),
        AccountSeed("408", "Cleaning", "EXPENSE", "INPUT2"),
        AccountSeed("412", "Consulting & Accounting", "EXPENSE", "INPUT2"),
        AccountSeed("416", "Depreciation", "DEPRECIATN", "NONE"),
        AccountSeed("420", "Entertainment", "EXPENSE", "NONE"),
        AccountSeed("425", "Freight & Courier", "EXPENSE", "INPUT2"),
        AccountSeed("429", "General Expenses", "EXPENSE", "INPUT2"),
        AccountSeed("433", "Insurance", "EXPENSE", "INPUT2"),
        AccountSeed("437", "Interest Expense", "EXPENSE", "NONE"),
        AccountSeed("441", "Legal expenses", "EXPENSE", "INPUT2"),
        AccountSeed("445", "Light, Power, Heating", "EXPENSE", "INPUT2"),
        AccountSeed("449", "Motor Vehicle Expenses", "EXPENSE", "INPUT2"),
        AccountSeed("453", "Office Expenses", "EXPENSE", "INPUT2"),
        AccountSeed("461", "Printing & Stationery", "EXPENSE", "INPUT2"),
        AccountSeed("469", "Rent", "EXPENSE", "INPUT2"),
        AccountSeed("473", "Repairs and Maintenance", "EXPENSE", "INPUT2"),
        AccountSeed("477", "Salaries", "EXPENSE", "NONE"),
        AccountSeed("478", "KiwiSaver Employer Contributions", "EXPENSE", "NONE"),
        AccountSeed("485", "Subscriptions", "EXPENSE", "INPUT2"),
        AccountSeed("489", "Telephone & Internet", "EXPENSE", "INPUT2"),
        AccountSeed("493", "Travel - National", "EXPENSE", "INPUT2"),
        AccountSeed("494", "Travel - International", "EXPENSE", "NONE"),
        AccountSeed("497", "Bank Revaluations", "EXPENSE", "NONE", system_account="BANKCURRENCYGAIN"),
        AccountSeed("498", "Unrealised Currency Gains", "EXPENSE", "NONE", system_account="UNREALISEDCURRENCYGAIN"),
        AccountSeed("499", "Realised Currency Gains", "EXPENSE", "NONE", system_account="REALISEDCURRENCYGAIN"),
        AccountSeed("505", "Income Tax Expense", "EXPENSE", "NONE"),
        AccountSeed("610", "Accounts Receivable", "CURRENT", "NONE", system_account="DEBTORS"),
        AccountSeed("620", "Prepayments", "CURRENT", "NONE"),
        AccountSeed("630", "Inventory", "INVENTORY", "NONE"),
        AccountSeed("710", "Office Equipment", "FIXED", "INPUT2"),
        AccountSeed("711", "Less Accumulated Depreciation on Office Equipment", "FIXED", "NONE"),
        AccountSeed("720", "Computer Equipment", "FIXED", "INPUT2"),
        AccountSeed("721", "Less Accumulated Depreciation on Computer Equipment", "FIXED", "NONE"),
        AccountSeed("800", "Accounts Payable", "CURRLIAB", "NONE", system_account="CREDITORS"),
        AccountSeed("801", "Unpaid Expense Claims", "CURRLIAB", "NONE", system_account="UNPAIDEXPCLM"),
        AccountSeed("814", "Wages Payable - Payroll", "CURRLIAB", "NONE", system_account="WAGEPAYABLES"),
        AccountSeed("820", "GST", "CURRLIAB", "NONE", system_account="GST"),
        AccountSeed("825", "PAYE Payable", "CURRLIAB", "NONE"),
        AccountSeed("830", "Income Tax", "CURRLIAB", "NONE"),
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
        TaxRateSeed("15% GST on Income", "OUTPUT2", _GST, "OUTPUT", _SALES, (("GST", _GST),)),
        TaxRateSeed("15% GST on Expenses", "INPUT2", _GST, "INPUT", _PURCHASES, (("GST", _GST),)),
        TaxRateSeed("GST on Imports", "GSTONIMPORTS", _NIL, "GSTONIMPORTS", _PURCHASES),
        TaxRateSeed("No GST", "NONE", _NIL, "NONE", _ALL),
        TaxRateSeed("Zero Rated", "ZERORATED", _NIL, "EXEMPTOUTPUT", _SALES),
    ),
)
