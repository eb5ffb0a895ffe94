"""Each country's starting chart of accounts and tax rates, as GET /Accounts and GET /TaxRates serve them."""

from __future__ import annotations

import pytest

from tests.simulator.conftest import connect_tenant
from xero_simulator.conformance import ACCOUNTING_URI, load_spec
from xero_simulator.server import Simulator

COUNTRIES = ("AU", "NZ", "GB", "US")
CLASS_FLAG = {
    "ASSET": "CanApplyToAssets",
    "EQUITY": "CanApplyToEquity",
    "EXPENSE": "CanApplyToExpenses",
    "LIABILITY": "CanApplyToLiabilities",
    "REVENUE": "CanApplyToRevenue",
}


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_account_uses_an_active_tax_rate_that_suits_its_class(simulator: Simulator, country: str) -> None:
    # Given a new organisation of the country
    tenant = connect_tenant(simulator, country=country)
    # When its accounts and tax rates are read
    accounts = tenant.api.get("/Accounts").json()["Accounts"]
    rates = {r["TaxType"]: r for r in tenant.api.get("/TaxRates").json()["TaxRates"]}
    # Then every account's TaxType is one of its ACTIVE rates, allowed on the account's class
    for account in accounts:
        rate = rates[account["TaxType"]]
        assert rate["Status"] == "ACTIVE"
        assert rate[CLASS_FLAG[account["Class"]]], (account["Code"], account["TaxType"])


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_chart_has_the_system_accounts_documents_post_to(simulator: Simulator, country: str) -> None:
    # Given a new organisation of the country
    tenant = connect_tenant(simulator, country=country)
    # When its accounts are read
    accounts = tenant.api.get("/Accounts").json()["Accounts"]
    # Then receivables, payables, the tax account, rounding and retained earnings are there
    system = {a.get("SystemAccount") for a in accounts}
    assert {"DEBTORS", "CREDITORS", "GST", "ROUNDING", "RETAINEDEARNINGS"} <= system


@pytest.mark.parametrize(("country", "currency"), [("AU", "AUD"), ("NZ", "NZD"), ("GB", "GBP"), ("US", "USD")])
def test_bank_accounts_are_in_the_countrys_currency(simulator: Simulator, country: str, currency: str) -> None:
    # Given a new organisation of the country
    tenant = connect_tenant(simulator, country=country)
    # When its bank accounts are read
    banks = tenant.api.get("/Accounts", params={"where": 'Type=="BANK"'}).json()["Accounts"]
    # Then they are in its base currency
    assert banks
    assert {b["CurrencyCode"] for b in banks} == {currency}


@pytest.mark.parametrize(
    ("country", "tax_type", "rate"),
    [
        ("AU", "OUTPUT", 10.0),
        ("NZ", "OUTPUT2", 15.0),
        ("NZ", "INPUT2", 15.0),
        ("GB", "OUTPUT2", 20.0),
        ("GB", "RROUTPUT", 5.0),
        ("GB", "ZERORATEDOUTPUT", 0.0),
        ("US", "OUTPUT", 0.0),
    ],
)
def test_the_countrys_sales_tax_rates_have_its_statutory_rate(
    simulator: Simulator, country: str, tax_type: str, rate: float
) -> None:
    # Given a new organisation of the country
    tenant = connect_tenant(simulator, country=country)
    # When the rate is read
    answer = tenant.api.get(f"/TaxRates/{tax_type}").json()["TaxRates"][0]
    # Then it charges the country's rate (US orgs add their own state rates: the system rate is nil)
    assert answer["EffectiveRate"] == rate


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_seeded_tax_type_is_in_the_specs_tax_type_enum(simulator: Simulator, country: str) -> None:
    # Given a new organisation of the country
    tenant = connect_tenant(simulator, country=country)
    # When its tax rates are read
    tax_types = {r["TaxType"] for r in tenant.api.get("/TaxRates").json()["TaxRates"]}
    # Then each TaxType is one Xero's spec lists
    assert tax_types <= set(load_spec(ACCOUNTING_URI)["components"]["schemas"]["TaxType"]["enum"])
