"""United Kingdom: the chart of accounts and VAT rates (20%, 5%, 0%) a new Xero UK organisation starts with.

Xero UK's TaxTypes from the spec's TaxType enum: OUTPUT2/INPUT2 (20% standard), RROUTPUT/RRINPUT
(5% reduced), ZERORATEDOUTPUT/ZERORATEDINPUT (0%), EXEMPTOUTPUT/EXEMPTINPUT, NONE (outside the
scope of VAT), capital and reverse-charge rates. Xero calls the organisation's country GB.
"""

from decimal import Decimal

from xero_simulator.charts import AccountSeed, Chart, TaxRateSeed

_BANK = {"BankAccountNumber": "40-11-62 12345678", "CurrencyCode": "GBP", "EnablePaymentsToAccount": False}
_STANDARD = Decimal("20.0000")
_REDUCED = Decimal("5.0000")
_NIL = Decimal("0.0000")
_ALL = ("Assets", "Equity", "Expenses", "Liabilities", "Revenue")
_SALES = ("Assets", "Equity", "Liabilities", "Revenue")
_PURCHASES = ("Assets", "Equity", "Expenses", "Liabilities")
_CAPITAL = ("Assets", "Equity", "Liabilities")

CHART = Chart(
    country_code="GB",
    currency="GBP",
    timezone="GMTSTANDARDTIME",
    financial_year_end_day=31,
    financial_year_end_month=3,
    default_sales_tax="Tax Exclusive",
    default_purchases_tax="Tax Inclusive",
    version="UK",
    sales_tax_basis="ACCRUAL",
    sales_tax_period="QUARTERLY1",
    accounts=(
        AccountSeed("090", "Business Current Account", "BANK", "NONE", extra=_BANK),
        AccountSeed(
            "091", "Business Savings Account", "BANK", "NONE", extra={**_BANK, "BankAccountNumber": "40-11-62 87654321"}
        ),
        AccountSeed("200", "Sales", "SALES", "OUTPUT2"),
        AccountSeed("260", "Other Revenue", "REVENUE", "OUTPUT2"),
        AccountSeed("270", "Interest Income", "OTHERINCOME", "EXEMPTOUTPUT"),
        AccountSeed("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT2"),
        AccountSeed("320", "Direct Wages", "DIRECTCOSTS", "NONE"),
        AccountSeed("325", "Direct Expenses", "DIRECTCOSTS", "INPUT2"),
        AccountSeed("400", "Advertising & Marketing", "OVERHEADS", "INPUT2"),
        AccountSeed("401", "Audit & Accountancy fees", "OVERHEADS", "INPUT2"),
        AccountSeed("404", "Bank Charges", "OVERHEADS", "EXEMPTINPUT"),
        AccountSeed("408", "Cleaning", "OVERHEADS", "INPUT2"),
        AccountSeed("412", "Consulting", "OVERHEADS", "INPUT2"),
        AccountSeed("416", "Depreciation Expense", "DEPRECIATN", "NONE"),
        AccountSeed("420", "Entertainment-100% business", "OVERHEADS", "INPUT2"),
        AccountSeed("425", "Postage, Freight & Courier", "OVERHEADS", "INPUT2"),
        AccountSeed("429", "General Expenses", "OVERHEADS", "INPUT2"),
        AccountSeed("433", "Insurance", "OVERHEADS", "EXEMPTINPUT"),
        AccountSeed("437", "Interest Paid", "OVERHEADS", "EXEMPTINPUT"),
        AccountSeed("441", "Legal Expenses", "OVERHEADS", "INPUT2"),
        AccountSeed("445", "Light, Power, Heating", "OVERHEADS", "RRINPUT"),
        AccountSeed("449", "Motor Vehicle Expenses", "OVERHEADS", "INPUT2"),
        AccountSeed("453", "Office Expenses", "OVERHEADS", "INPUT2"),
        AccountSeed("461", "Printing & Stationery", "OVERHEADS", "INPUT2"),
        AccountSeed("469", "Rent", "OVERHEADS", "INPUT2"),
        AccountSeed("473", "Repairs & Maintenance", "OVERHEADS", "INPUT2"),
        AccountSeed("477", "Salaries", "OVERHEADS", "NONE"),
        AccountSeed("478", "Employers National Insurance", "OVERHEADS", "NONE"),
        AccountSeed("479", "Pensions Costs", "OVERHEADS", "NONE"),
        AccountSeed("485", "Subscriptions", "OVERHEADS", "INPUT2"),
        AccountSeed("489", "Telephone & Internet", "OVERHEADS", "INPUT2"),
        AccountSeed("493", "Travel - National", "OVERHEADS", "INPUT2"),
        AccountSeed("494", "Travel - International", "OVERHEADS", "ZERORATEDINPUT"),
        AccountSeed("497", "Bank Revaluations", "OVERHEADS", "NONE", system_account="BANKCURRENCYGAIN"),
        AccountSeed("498", "Unrealised Currency Gains", "OVERHEADS", "NONE", system_account="UNREALISEDCURRENCYGAIN"),
        AccountSeed("499", "Realised Currency Gains", "OVERHEADS", "NONE", system_account="REALISEDCURRENCYGAIN"),
        AccountSeed("500", "Corporation Tax", "OVERHEADS", "NONE"),
        AccountSeed("610", "Accounts Receivable", "CURRENT", "NONE", system_account="DEBTORS"),
        AccountSeed("620", "Prepayments", "CURRENT", "NONE"),
        AccountSeed("630", "Inventory", "INVENTORY", "NONE"),
        AccountSeed("710", "Office Equipment", "FIXED", "INPUT2"),
        AccountSeed("711", "Office Equipment Accumulated Depreciation", "FIXED", "NONE"),
        AccountSeed("720", "Computer Equipment", "FIXED", "INPUT2"),
        AccountSeed("721", "Computer Equipment Accumulated Depreciation", "FIXED", "NONE"),
        AccountSeed("800", "Accounts Payable", "CURRLIAB", "NONE", system_account="CREDITORS"),
        AccountSeed("801", "Unpaid Expense Claims", "CURRLIAB", "NONE", system_account="UNPAIDEXPCLM"),
        AccountSeed("814", "Wages Payable - Payroll", "CURRLIAB", "NONE", system_account="WAGEPAYABLES"),
        AccountSeed("820", "VAT", "CURRLIAB", "NONE", system_account="GST"),
        AccountSeed("825", "PAYE Payable", "CURRLIAB", "NONE"),
        AccountSeed("826", "NIC Payable", "CURRLIAB", "NONE"),
        AccountSeed("830", "Provision for Corporation Tax", "CURRLIAB", "NONE"),
        AccountSeed("835", "Directors' Loan Account", "CURRLIAB", "NONE"),
        AccountSeed("840", "Historical Adjustment", "CURRLIAB", "NONE", system_account="HISTORICAL"),
        AccountSeed("850", "Suspense", "CURRLIAB", "NONE"),
        AccountSeed("858", "Pensions Payable", "CURRLIAB", "NONE"),
        AccountSeed("860", "Rounding", "CURRLIAB", "NONE", system_account="ROUNDING"),
        AccountSeed("877", "Tracking Transfers", "CURRLIAB", "NONE", system_account="TRACKINGTRANSFERS"),
        AccountSeed("900", "Loan", "TERMLIAB", "NONE"),
        AccountSeed("910", "Hire Purchase Loan", "TERMLIAB", "NONE"),
        AccountSeed("950", "Capital - Ordinary Shares", "EQUITY", "NONE"),
        AccountSeed("960", "Retained Earnings", "EQUITY", "NONE", system_account="RETAINEDEARNINGS"),
        AccountSeed("970", "Owner A Funds Introduced", "EQUITY", "NONE"),
    ),
    tax_rates=(
        TaxRateSeed("20% (VAT on Income)", "OUTPUT2", _STANDARD, "OUTPUT", _SALES, (("VAT", _STANDARD),)),
        TaxRateSeed("20% (VAT on Expenses)", "INPUT2", _STANDARD, "INPUT", _PURCHASES, (("VAT", _STANDARD),)),
        TaxRateSeed("5% (VAT on Income)", "RROUTPUT", _REDUCED, "OUTPUT", _SALES, (("VAT", _REDUCED),)),
        TaxRateSeed("5% (VAT on Expenses)", "RRINPUT", _REDUCED, "INPUT", _PURCHASES, (("VAT", _REDUCED),)),
        TaxRateSeed("Zero Rated Income", "ZERORATEDOUTPUT", _NIL, "ZERORATEDOUTPUT", _SALES),
        TaxRateSeed("Zero Rated Expenses", "ZERORATEDINPUT", _NIL, "ZERORATEDINPUT", _PURCHASES),
        TaxRateSeed("Exempt Income", "EXEMPTOUTPUT", _NIL, "EXEMPTOUTPUT", _SALES),
        TaxRateSeed("Exempt Expenses", "EXEMPTINPUT", _NIL, "EXEMPTINPUT", _PURCHASES),
        TaxRateSeed("No VAT", "NONE", _NIL, "NONE", _ALL),
        TaxRateSeed(
            "20% (VAT on Capital Sales)",
            "CAPEXOUTPUT2",
            _STANDARD,
            "CAPITALSALESOUTPUT",
            _CAPITAL,
            (("VAT", _STANDARD),),
        ),
        TaxRateSeed(
            "20% (VAT on Capital Purchases)",
            "CAPEXINPUT2",
            _STANDARD,
            "CAPITALEXPENSESINPUT",
            _CAPITAL,
            (("VAT", _STANDARD),),
        ),
        TaxRateSeed("Reverse Charge Expenses (20%)", "REVERSECHARGES", _STANDARD, "REVERSECHARGES", _PURCHASES),
        TaxRateSeed(
            "Domestic Reverse Charge @ 20% (VAT on Income)", "DRCHARGESUPPLY20", _NIL, "DRCHARGESUPPLY", _SALES
        ),
        TaxRateSeed("Domestic Reverse Charge @ 20% (VAT on Expenses)", "DRCHARGE20", _STANDARD, "DRCHARGE", _PURCHASES),
    ),
)
