"""Australia: the chart of accounts and GST rates (10%) a new Xero AU organisation starts with.

Codes follow Xero's standard AU template (the Demo Company (AU) uses the same codes); the two bank
accounts stand in for the ones a new organisation adds first.
"""

from decimal import Decimal

from xero_simulator.charts import AccountSeed, Chart, TaxRateSeed

_BANK = {"BankAccountNumber": "062000 12345678", "CurrencyCode": "AUD", "EnablePaymentsToAccount": False}
_GST = Decimal("10.0000")
_NIL = Decimal("0.0000")
_ALL = ("Assets", "Equity", "Expenses", "Liabilities", "Revenue")
_SALES = ("Assets", "Equity", "Liabilities", "Revenue")
_PURCHASES = ("Assets", "Equity", "Expenses", "Liabilities")

CHART = Chart(
    country_code="AU",
    currency="AUD",
    timezone="AUSEASTERNSTANDARDTIME",
    financial_year_end_day=30,
    financial_year_end_month=6,
    default_sales_tax="Tax Exclusive",
    default_purchases_tax="Tax Inclusive",
    version="AU",
    sales_tax_basis="INVOICE",
    sales_tax_period="QUARTERLY1",
    accounts=(
        AccountSeed("090", "Business Bank Account", "BANK", "BASEXCLUDED", extra=_BANK),
        AccountSeed(
            "091",
            "Business Savings Account",
            "BANK",
            "BASEXCLUDED",
            extra={**_BANK, "BankAccountNumber": "062000 87654321"},
        ),
        AccountSeed("200", "Sales", "REVENUE", "OUTPUT"),
        AccountSeed("260", "Other Revenue", "REVENUE", "OUTPUT"),
        AccountSeed("270", "Interest Income", "REVENUE", "INPUTTAXED"),
        AccountSeed("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT"),
        AccountSeed("400", "Advertising", "EXPENSE", "INPUT"),
        AccountSeed("404", "Bank Fees", "EXPENSE", "INPUTTAXED"),
        AccountSeed("408", "Cleaning", "EXPENSE", "INPUT"),
        AccountSeed("412", "Consulting & Accounting", "EXPENSE", "INPUT"),
        AccountSeed("416", "Depreciation", "DEPRECIATN", "BASEXCLUDED"),
        AccountSeed("420", "Entertainment", "EXPENSE", "INPUT"),
        AccountSeed("425", "Freight & Courier", "EXPENSE", "INPUT"),
        AccountSeed("429", "General Expenses", "EXPENSE", "INPUT"),
        AccountSeed("433", "Insurance", "EXPENSE", "INPUT"),
        AccountSeed("437", "Interest Expense", "EXPENSE", "INPUTTAXED"),
        AccountSeed("441", "Legal expenses", "EXPENSE", "INPUT"),
        AccountSeed("445", "Light, Power, Heating", "EXPENSE", "INPUT"),
        AccountSeed("449", "Motor Vehicle Expenses", "EXPENSE", "INPUT"),
        AccountSeed("453", "Office Expenses", "EXPENSE", "INPUT"),
        AccountSeed("461", "Printing & Stationery", "EXPENSE", "INPUT"),
        AccountSeed("469", "Rent", "EXPENSE", "INPUT"),
        AccountSeed("473", "Repairs and Maintenance", "EXPENSE", "INPUT"),
        AccountSeed("477", "Wages and Salaries", "EXPENSE", "BASEXCLUDED"),
        AccountSeed("478", "Superannuation", "EXPENSE", "BASEXCLUDED"),
        AccountSeed("485", "Subscriptions", "EXPENSE", "INPUT"),
        AccountSeed("489", "Telephone & Internet", "EXPENSE", "INPUT"),
        AccountSeed("493", "Travel - National", "EXPENSE", "INPUT"),
        AccountSeed("494", "Travel - International", "EXPENSE", "EXEMPTEXPENSES"),
        AccountSeed("497", "Bank Revaluations", "EXPENSE", "BASEXCLUDED", system_account="BANKCURRENCYGAIN"),
        AccountSeed(
            "498", "Unrealised Currency Gains", "EXPENSE", "BASEXCLUDED", system_account="UNREALISEDCURRENCYGAIN"
        ),
        AccountSeed("499", "Realised Currency Gains", "EXPENSE", "BASEXCLUDED", system_account="REALISEDCURRENCYGAIN"),
        AccountSeed("505", "Income Tax Expense", "EXPENSE", "BASEXCLUDED"),
        AccountSeed("610", "Accounts Receivable", "CURRENT", "BASEXCLUDED", system_account="DEBTORS"),
        AccountSeed("620", "Prepayments", "CURRENT", "BASEXCLUDED"),
        AccountSeed("630", "Inventory", "INVENTORY", "BASEXCLUDED"),
        AccountSeed("710", "Office Equipment", "FIXED", "INPUT"),
        AccountSeed("711", "Less Accumulated Depreciation on Office Equipment", "FIXED", "BASEXCLUDED"),
        AccountSeed("720", "Computer Equipment", "FIXED", "INPUT"),
        AccountSeed("721", "Less Accumulated Depreciation on Computer Equipment", "FIXED", "BASEXCLUDED"),
        AccountSeed("800", "Accounts Payable", "CURRLIAB", "BASEXCLUDED", system_account="CREDITORS"),
        AccountSeed("801", "Unpaid Expense Claims", "CURRLIAB", "BASEXCLUDED", system_account="UNPAIDEXPCLM"),
        AccountSeed("804", "Wages Payable - Payroll", "CURRLIAB", "BASEXCLUDED", system_account="WAGEPAYABLES"),
        AccountSeed("820", "GST", "CURRLIAB", "BASEXCLUDED", system_account="GST"),
        AccountSeed("825", "PAYG Withholdings Payable", "CURRLIAB", "BASEXCLUDED"),
        AccountSeed("826", "Superannuation Payable", "CURRLIAB", "BASEXCLUDED"),
        AccountSeed("830", "Income Tax Payable", "CURRLIAB", "BASEXCLUDED"),
        AccountSeed("840", "Historical Adjustment", "CURRLIAB", "BASEXCLUDED", system_account="HISTORICAL"),
        AccountSeed("850", "Suspense", "CURRLIAB", "BASEXCLUDED"),
        AccountSeed("860", "Rounding", "CURRLIAB", "BASEXCLUDED", system_account="ROUNDING"),
        AccountSeed("877", "Tracking Transfers", "CURRLIAB", "BASEXCLUDED", system_account="TRACKINGTRANSFERS"),
        AccountSeed("880", "Owner A Drawings", "EQUITY", "BASEXCLUDED"),
        AccountSeed("881", "Owner A Share Capital", "EQUITY", "BASEXCLUDED"),
        AccountSeed("900", "Loan", "TERMLIAB", "BASEXCLUDED"),
        AccountSeed("960", "Retained Earnings", "EQUITY", "BASEXCLUDED", system_account="RETAINEDEARNINGS"),
        AccountSeed("970", "Owner A Funds Introduced", "EQUITY", "BASEXCLUDED"),
    ),
    tax_rates=(
        TaxRateSeed("GST on Income", "OUTPUT", _GST, "OUTPUT", _SALES, (("GST", _GST),)),
        TaxRateSeed("GST on Expenses", "INPUT", _GST, "INPUT", _PURCHASES, (("GST", _GST),)),
        TaxRateSeed("GST on Capital", "CAPEXINPUT", _GST, "CAPEXINPUT", ("Assets", "Equity", "Liabilities")),
        TaxRateSeed("GST Free Income", "EXEMPTOUTPUT", _NIL, "EXEMPTOUTPUT", _SALES),
        TaxRateSeed("GST Free Expenses", "EXEMPTEXPENSES", _NIL, "EXEMPTEXPENSES", _PURCHASES),
        TaxRateSeed("GST Free Capital", "EXEMPTCAPITAL", _NIL, "EXEMPTCAPITAL", ("Assets", "Equity", "Liabilities")),
        TaxRateSeed("GST Free Exports", "EXEMPTEXPORT", _NIL, "EXEMPTEXPORT", _SALES),
        TaxRateSeed("BAS Excluded", "BASEXCLUDED", _NIL, "BASEXCLUDED", _ALL),
        TaxRateSeed("Input Taxed", "INPUTTAXED", _NIL, "INPUTTAXED", _ALL),
        TaxRateSeed("GST on Imports", "GSTONIMPORTS", _NIL, "GSTONIMPORTS", _PURCHASES),
        TaxRateSeed(
            "GST on Capital Imports", "GSTONCAPIMPORTS", _NIL, "GSTONCAPIMPORTS", ("Assets", "Equity", "Liabilities")
        ),
    ),
)
