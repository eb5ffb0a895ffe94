"""The tenant's reference data read from Xero's answers to /Organisation, /Accounts, /TaxRates, /TrackingCategories."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from shared.domain.mapping.reference import reference_data
from shared.domain.reference_data import ReferenceData
from tests.unit.mapping.mapping_world import FETCHED_AT

ORGANISATION = {
    "Name": "Demo Company (AU)",
    "BaseCurrency": "AUD",
    "PeriodLockDate": "/Date(1711843200000+0000)/",  # 2024-03-31
    "EndOfYearLockDate": "/Date(1688083200000+0000)/",  # 2023-06-30
}
BANK = {
    "AccountID": "a-090",
    "Code": "090",
    "Name": "Business Bank Account",
    "Type": "BANK",
    "Status": "ACTIVE",
    "TaxType": "BASEXCLUDED",
    "BankAccountType": "BANK",
    "EnablePaymentsToAccount": False,
    "CurrencyCode": "AUD",
}
GST = {
    "Name": "GST on Income",
    "TaxType": "OUTPUT",
    "Status": "ACTIVE",
    "EffectiveRate": 10.0,
    "CanApplyToRevenue": True,
    "CanApplyToExpenses": False,
}
REGION = {
    "TrackingCategoryID": "c-1",
    "Name": "Region",
    "Status": "ACTIVE",
    "Options": [
        {"TrackingOptionID": "o-1", "Name": "North", "Status": "ACTIVE"},
        {"TrackingOptionID": "o-2", "Name": "West", "Status": "ARCHIVED"},
    ],
}


def read(organisation: dict[str, Any] | None = None, **answers: list[dict[str, Any]]) -> ReferenceData:
    return reference_data(
        organisation or ORGANISATION,
        answers.get("accounts", [BANK]),
        answers.get("tax_rates", [GST]),
        answers.get("tracking_categories", [REGION]),
        FETCHED_AT,
    )


def test_the_organisations_name_and_base_currency_are_read() -> None:
    # When the answers are read
    reference = read()
    # Then the organisation is named and its currency known
    assert (reference.organisation_name, reference.base_currency) == ("Demo Company (AU)", "AUD")


def test_lock_dates_are_read_from_ms_json_dates() -> None:
    # When an organisation with both lock dates is read
    reference = read()
    # Then both are days, and the later one is the lock date
    assert (reference.period_lock_date, reference.end_of_year_lock_date) == (date(2024, 3, 31), date(2023, 6, 30))
    assert reference.lock_date == date(2024, 3, 31)


def test_an_organisation_without_lock_dates_has_none() -> None:
    # Given an organisation that answers without lock dates
    organisation = {"Name": "Open Books", "BaseCurrency": "NZD"}
    # When it is read / Then nothing is locked
    assert read(organisation).lock_date is None


def test_an_account_keeps_what_the_mapping_needs() -> None:
    # When a bank account is read
    account = read().account("090")
    # Then its id, type, status, tax and bank details are kept
    assert account is not None
    assert (account.account_id, account.type, account.status, account.tax_type) == (
        "a-090",
        "BANK",
        "ACTIVE",
        "BASEXCLUDED",
    )
    assert (account.bank_account_type, account.enable_payments, account.currency_code) == ("BANK", False, "AUD")


def test_an_account_without_a_code_is_kept_without_one() -> None:
    # Given a bank account Xero answers with an empty Code
    paypal = {"AccountID": "a-pp", "Code": "", "Name": "PayPal", "Type": "BANK", "BankAccountType": "PAYPAL"}
    # When it is read
    reference = read(accounts=[paypal])
    # Then it has no code, and the model's default status
    assert (reference.accounts[0].code, reference.accounts[0].status) == (None, "ACTIVE")


def test_a_tax_rate_keeps_its_effective_rate_exactly() -> None:
    # Given a rate of 12.5 % as a JSON number
    rate = {**GST, "TaxType": "OUTPUT2", "EffectiveRate": 12.5}
    # When it is read
    read_rate = read(tax_rates=[rate]).tax_rate("OUTPUT2")
    # Then the rate is the decimal 12.5, and where it applies is kept
    assert read_rate is not None
    assert (read_rate.effective_rate, read_rate.can_apply_to_revenue, read_rate.can_apply_to_expenses) == (
        Decimal("12.5"),
        True,
        False,
    )


def test_a_tracking_category_keeps_its_options_and_their_statuses() -> None:
    # When a category with an archived option is read
    category = read().tracking_category("Region")
    # Then both options are kept with their statuses
    assert category is not None
    assert [(o.option_id, o.name, o.status) for o in category.options] == [
        ("o-1", "North", "ACTIVE"),
        ("o-2", "West", "ARCHIVED"),
    ]
