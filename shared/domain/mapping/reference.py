"""A tenant's Xero reference data (shared/domain/reference_data.py) read from Xero's own JSON.

The sync worker fetches GET /Organisation, /Accounts, /TaxRates and /TrackingCategories and hands
their collections here. Fields Xero leaves out take the model's defaults; lock dates arrive as
MS-JSON dates (FACTS.md §4.6).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.domain.mapping.xero_values import xero_date
from shared.domain.reference_data import (
    ReferenceData,
    XeroAccount,
    XeroTaxRate,
    XeroTrackingCategory,
    XeroTrackingOption,
)


def reference_data(
    organisation: dict[str, Any],
    accounts: list[dict[str, Any]],
    tax_rates: list[dict[str, Any]],
    tracking_categories: list[dict[str, Any]],
    fetched_at: datetime,
) -> ReferenceData:
    """The reference data of one organisation from the elements of Xero's four answers.

    `organisation` is the one element of GET /Organisation's `Organisations`; the others are the
    `Accounts`, `TaxRates` and `TrackingCategories` collections as Xero answers them. Raises
    ValueError (pydantic's ValidationError among them) when a required field is missing or a
    lock date is not a date.
    """
    return ReferenceData(
        organisation_name=organisation["Name"],
        base_currency=organisation["BaseCurrency"],
        period_lock_date=xero_date(organisation.get("PeriodLockDate")),
        end_of_year_lock_date=xero_date(organisation.get("EndOfYearLockDate")),
        accounts=[_account(account) for account in accounts],
        tax_rates=[_tax_rate(rate) for rate in tax_rates],
        tracking_categories=[_tracking_category(category) for category in tracking_categories],
        fetched_at=fetched_at,
    )


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields Xero sent, so that the ones it left out keep the model's defaults."""
    return {name: value for name, value in fields.items() if value is not None}


def accounts_of(elements: list[dict[str, Any]]) -> list[XeroAccount]:
    """The accounts of GET /Accounts's `Accounts` collection."""
    return [_account(account) for account in elements]


def _account(account: dict[str, Any]) -> XeroAccount:
    return XeroAccount(
        **_present(
            {
                "account_id": account["AccountID"],
                "code": account.get("Code") or None,  # bank accounts may have none, or ""
                "name": account["Name"],
                "type": account["Type"],
                "status": account.get("Status"),
                "tax_type": account.get("TaxType") or None,
                "bank_account_type": account.get("BankAccountType") or None,
                "enable_payments": account.get("EnablePaymentsToAccount"),
                "currency_code": account.get("CurrencyCode") or None,
            }
        )
    )


def _tax_rate(rate: dict[str, Any]) -> XeroTaxRate:
    effective = rate.get("EffectiveRate")
    return XeroTaxRate(
        **_present(
            {
                "tax_type": rate["TaxType"],
                "name": rate["Name"],
                "status": rate.get("Status"),
                # str() first: a JSON float such as 12.5 must mean 12.5, not its binary approximation.
                "effective_rate": Decimal(str(effective)) if effective is not None else None,
                "can_apply_to_revenue": rate.get("CanApplyToRevenue"),
                "can_apply_to_expenses": rate.get("CanApplyToExpenses"),
            }
        )
    )


def _tracking_category(category: dict[str, Any]) -> XeroTrackingCategory:
    return XeroTrackingCategory(
        **_present(
            {
                "category_id": category["TrackingCategoryID"],
                "name": category["Name"],
                "status": category.get("Status"),
                "options": [
                    XeroTrackingOption(
                        **_present(
                            {
                                "option_id": option["TrackingOptionID"],
                                "name": option["Name"],
                                "status": option.get("Status"),
                            }
                        )
                    )
                    for option in category.get("Options") or []
                ],
            }
        )
    )
