"""Australia: the chart and GST rates a new Xero AU organisation starts with."""

from decimal import Decimal

from xero_simulator.charts import AccountSeed, Chart, TaxRateSeed

_BANK = {"BankAccountNumber": "062000 12345678", "CurrencyCode": "AUD", "EnablePaymentsToAccount": False}

CHART = Chart(
    country_code="AU",
    currency="AUD",
    timezone="AUSEASTERNSTANDARDTIME",
    financial_year_end_day=30,
    financial_year_end_month=6,
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
        AccountSeed("420", "Entertainment", "EXPENSE", "INPUT"),
        AccountSeed("429", "General Expenses", "EXPENSE", "INPUT"),
        AccountSeed("433", "Insurance", "EXPENSE", "INPUT"),
        AccountSeed("445", "Light, Power, Heating", "EXPENSE", "INPUT"),
        AccountSeed("453", "Office Expenses", "EXPENSE", "INPUT"),
        AccountSeed("461", "Printing & Stationery", "EXPENSE", "INPUT"),
        AccountSeed("469", "Rent", "EXPENSE", "INPUT"),
        AccountSeed("477", "Wages and Salaries", "EXPENSE", "BASEXCLUDED"),
        AccountSeed("485", "Subscriptions", "EXPENSE", "INPUT"),
        AccountSeed("489", "Telephone & Internet", "EXPENSE", "INPUT"),
        AccountSeed("493", "Travel - National", "EXPENSE", "INPUT"),
        AccountSeed("610", "Accounts Receivable", "CURRENT", "BASEXCLUDED", system_account="DEBTORS"),
        AccountSeed("620", "Prepayments", "CURRENT", "BASEXCLUDED"),
        AccountSeed("630", "Inventory", "INVENTORY", "BASEXCLUDED"),
        AccountSeed("710", "Office Equipment", "FIXED", "INPUT"),
        AccountSeed("720", "Computer Equipment", "FIXED", "INPUT"),
        AccountSeed("800", "Accounts Payable", "CURRLIAB", "BASEXCLUDED", system_account="CREDITORS"),
        AccountSeed("801", "Unpaid Expense Claims", "CURRLIAB", "BASEXCLUDED", system_account="UNPAIDEXPCLM"),
        AccountSeed("820", "GST", "CURRLIAB", "BASEXCLUDED", system_account="GST"),
        AccountSeed("825", "PAYG Withholdings Payable", "CURRLIAB", "BASEXCLUDED"),
        AccountSeed("840", "Historical Adjustment", "CURRLIAB", "BASEXCLUDED", system_account="HISTORICAL"),
        AccountSeed("860", "Rounding", "CURRLIAB", "BASEXCLUDED", system_account="ROUNDING"),
        AccountSeed("877", "Tracking Transfers", "CURRLIAB", "BASEXCLUDED"),
        AccountSeed("900", "Loan", "TERMLIAB", "BASEXCLUDED"),
        AccountSeed("960", "Retained Earnings", "EQUITY", "BASEXCLUDED", system_account="RETAINEDEARNINGS"),
        AccountSeed("970", "Owner A Funds Introduced", "EQUITY", "BASEXCLUDED"),
    ),
    tax_rates=(
        TaxRateSeed(
            "GST on Income", "OUTPUT", Decimal("10.0000"), "OUTPUT", ("Assets", "Equity", "Liabilities", "Revenue")
        ),
        TaxRateSeed(
            "GST on Expenses", "INPUT", Decimal("10.0000"), "INPUT", ("Assets", "Equity", "Expenses", "Liabilities")
        ),
        TaxRateSeed(
            "GST Free Income",
            "EXEMPTOUTPUT",
            Decimal("0.0000"),
            "EXEMPTOUTPUT",
            ("Assets", "Equity", "Liabilities", "Revenue"),
        ),
        TaxRateSeed(
            "GST Free Expenses",
            "EXEMPTEXPENSES",
            Decimal("0.0000"),
            "EXEMPTEXPENSES",
            ("Assets", "Equity", "Expenses", "Liabilities"),
        ),
        TaxRateSeed(
            "BAS Excluded",
            "BASEXCLUDED",
            Decimal("0.0000"),
            "BASEXCLUDED",
            ("Assets", "Equity", "Expenses", "Liabilities", "Revenue"),
        ),
        TaxRateSeed(
            "Input Taxed",
            "INPUTTAXED",
            Decimal("0.0000"),
            "INPUTTAXED",
            ("Assets", "Equity", "Expenses", "Liabilities", "Revenue"),
        ),
        TaxRateSeed(
            "GST on Capital", "CAPEXINPUT", Decimal("10.0000"), "CAPEXINPUT", ("Assets", "Equity", "Liabilities")
        ),
        TaxRateSeed(
            "GST on Imports",
            "GSTONIMPORTS",
            Decimal("0.0000"),
            "GSTONIMPORTS",
            ("Assets", "Equity", "Expenses", "Liabilities"),
        ),
    ),
)
