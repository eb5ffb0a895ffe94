"""A tenant's Xero reference data, as the mapping and the settings check need it.

Pulled from Xero (GET /Organisation, /Accounts, /TaxRates, /TrackingCategories) on connect and
whenever it may have changed; parsed from Xero's JSON by shared/domain/mapping/reference.py.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class XeroAccount(BaseModel):
    account_id: str
    code: str | None = None  # bank accounts may have none
    name: str
    type: str  # Xero's AccountType: REVENUE, SALES, DIRECTCOSTS, EXPENSE, OVERHEADS, BANK, ...
    status: str = "ACTIVE"  # ACTIVE or ARCHIVED
    tax_type: str | None = None
    bank_account_type: str | None = None  # BANK, CREDITCARD, PAYPAL for bank accounts
    enable_payments: bool = False  # EnablePaymentsToAccount
    currency_code: str | None = None


class XeroTaxRate(BaseModel):
    tax_type: str
    name: str
    status: str = "ACTIVE"
    effective_rate: Decimal = Decimal(0)
    can_apply_to_revenue: bool = True
    can_apply_to_expenses: bool = True


class XeroTrackingOption(BaseModel):
    option_id: str
    name: str
    status: str = "ACTIVE"


class XeroTrackingCategory(BaseModel):
    category_id: str
    name: str
    status: str = "ACTIVE"
    options: list[XeroTrackingOption] = Field(default_factory=list)


class ToldElement(BaseModel):
    """What the platform was last told of one element (shared/domain/inbound/reference_changes.py)."""

    version: int
    digest: str
    deleted: bool = False


class ReferenceData(BaseModel):
    organisation_name: str
    base_currency: str
    period_lock_date: date | None = None
    end_of_year_lock_date: date | None = None
    accounts: list[XeroAccount] = Field(default_factory=list)
    tax_rates: list[XeroTaxRate] = Field(default_factory=list)
    tracking_categories: list[XeroTrackingCategory] = Field(default_factory=list)
    fetched_at: datetime
    # When the accounts were last read again on their own (If-Modified-Since), after fetched_at.
    accounts_checked_at: datetime | None = None
    # Per element (`account#<AccountID>`, `tax_rate#<TaxType>`, `tracking_category#<id>`): what the
    # platform was told of it, kept across reads (shared/domain/inbound/reference_changes.py).
    told: dict[str, ToldElement] = Field(default_factory=dict)

    @property
    def lock_date(self) -> date | None:
        """The later of the two lock dates: nothing dated on or before it can be written."""
        dates = [d for d in (self.period_lock_date, self.end_of_year_lock_date) if d is not None]
        return max(dates) if dates else None

    def account(self, code: str) -> XeroAccount | None:
        return next((account for account in self.accounts if account.code == code), None)

    def tax_rate(self, tax_type: str) -> XeroTaxRate | None:
        return next((rate for rate in self.tax_rates if rate.tax_type == tax_type), None)

    def tracking_category(self, name: str) -> XeroTrackingCategory | None:
        return next((category for category in self.tracking_categories if category.name == name), None)

    def with_accounts(self, changed: list[XeroAccount], at: datetime) -> ReferenceData:
        """This copy with the accounts Xero answered changed since (If-Modified-Since) put in place."""
        by_id = {account.account_id: account for account in self.accounts}
        by_id |= {account.account_id: account for account in changed}
        return self.model_copy(update={"accounts": list(by_id.values()), "accounts_checked_at": at})


def accounts_read_at(reference: ReferenceData) -> datetime:
    """The last instant the accounts were read, in full or by what changed since."""
    checked = reference.accounts_checked_at
    return max(reference.fetched_at, checked) if checked is not None else reference.fetched_at
