"""Realistic starting charts of accounts and tax rates per country, as a new Xero organisation has them.

Each country module defines a CHART: its accounts (code, name, type, tax type, extra fields), its
tax rates (every TaxType from the spec's TaxType enum), its currency, timezone, financial year end
and sales-tax settings; `seed_reference_data` writes them into an organisation. Seeded accounts with
a SystemAccount and every seeded tax rate are Xero's own: the API may not archive or delete them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from xero_simulator.world import Organisation, new_id

# Account type -> class (Xero derives Class from Type; it is read-only in the API).
ACCOUNT_CLASS = {
    "BANK": "ASSET",
    "CURRENT": "ASSET",
    "FIXED": "ASSET",
    "INVENTORY": "ASSET",
    "NONCURRENT": "ASSET",
    "PREPAYMENT": "ASSET",
    "CURRLIAB": "LIABILITY",
    "LIABILITY": "LIABILITY",
    "TERMLIAB": "LIABILITY",
    "PAYG": "LIABILITY",
    "EQUITY": "EQUITY",
    "DEPRECIATN": "EXPENSE",
    "DIRECTCOSTS": "EXPENSE",
    "EXPENSE": "EXPENSE",
    "OVERHEADS": "EXPENSE",
    "OTHERINCOME": "REVENUE",
    "REVENUE": "REVENUE",
    "SALES": "REVENUE",
}


@dataclass(frozen=True)
class AccountSeed:
    code: str
    name: str
    type: str
    tax_type: str
    system_account: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TaxRateSeed:
    name: str
    tax_type: str
    rate: Decimal
    report_tax_type: str
    applies_to: tuple[str, ...]  # of Assets, Equity, Expenses, Liabilities, Revenue
    components: tuple[tuple[str, Decimal], ...] = ()  # defaults to one component named after the rate


@dataclass(frozen=True)
class Chart:
    country_code: str
    currency: str
    timezone: str
    financial_year_end_day: int
    financial_year_end_month: int
    accounts: tuple[AccountSeed, ...]
    tax_rates: tuple[TaxRateSeed, ...]
    default_sales_tax: str = "Tax Exclusive"
    default_purchases_tax: str = "Tax Inclusive"
    # Organisation.Version, SalesTaxBasis and SalesTaxPeriod take region-specific values (OAS-ACC enums).
    version: str = "GLOBAL"
    sales_tax_basis: str = "NONE"
    sales_tax_period: str = "NONE"
    organisation_type: str = "COMPANY"


SUPPORTED_COUNTRIES = ("AU", "NZ", "GB", "US")


def chart_for(country_code: str) -> Chart:
    if country_code.upper() not in SUPPORTED_COUNTRIES:
        raise ValueError(f"no chart for country {country_code!r}; supported: {', '.join(SUPPORTED_COUNTRIES)}")
    module = importlib.import_module(f"xero_simulator.charts.{country_code.lower()}")
    chart: Chart = module.CHART
    return chart


def account_record(seed: AccountSeed, now: datetime) -> dict[str, Any]:
    record: dict[str, Any] = {
        "AccountID": new_id(),
        "Code": seed.code,
        "Name": seed.name,
        "Type": seed.type,
        "Status": "ACTIVE",
        "TaxType": seed.tax_type,
        "Class": ACCOUNT_CLASS[seed.type],
        "EnablePaymentsToAccount": False,
        "ShowInExpenseClaims": False,
        "ReportingCode": "",
        "HasAttachments": False,
        "UpdatedDateUTC": now,
        **seed.extra,
    }
    if seed.system_account:
        record["SystemAccount"] = seed.system_account
    if seed.type == "BANK":
        record.setdefault("BankAccountType", "BANK")
    return record


def tax_rate_record(seed: TaxRateSeed) -> dict[str, Any]:
    components = seed.components or ((seed.name, seed.rate),)
    flags = {
        f"CanApplyTo{target}": target in seed.applies_to
        for target in ("Assets", "Equity", "Expenses", "Liabilities", "Revenue")
    }
    return {
        "Name": seed.name,
        "TaxType": seed.tax_type,
        "ReportTaxType": seed.report_tax_type,
        "Status": "ACTIVE",
        "TaxComponents": [
            {"Name": name, "Rate": rate, "IsCompound": False, "IsNonRecoverable": False} for name, rate in components
        ],
        "DisplayTaxRate": seed.rate,
        "EffectiveRate": seed.rate,
        **flags,
        "_system": True,  # a rate Xero ships: it can be archived but never deleted
    }


def seed_reference_data(org: Organisation, now: datetime) -> None:
    """Give a new organisation its country's chart of accounts and tax rates (keyed by AccountID and TaxType)."""
    chart = chart_for(org.country_code)
    accounts = org.records("Accounts")
    for seed in chart.accounts:
        record = account_record(seed, now)
        accounts[record["AccountID"]] = record
    tax_rates = org.records("TaxRates")
    for rate in chart.tax_rates:
        tax_rates[rate.tax_type] = tax_rate_record(rate)
