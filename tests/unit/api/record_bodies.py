"""Canonical record bodies and Xero reference data as the platform API's tests send and store them."""

from __future__ import annotations

from typing import Any

from shared.domain.reference_data import (
    ReferenceData,
    XeroAccount,
    XeroTaxRate,
    XeroTrackingCategory,
    XeroTrackingOption,
)
from shared.fakes.clock import DEFAULT_START

SALES_ACCOUNT = "200"
EXPENSE_ACCOUNT = "310"
FEE_ACCOUNT = "404"
BANK_ACCOUNT = "090"


def contact(name: str = "Bayside Club", **fields: Any) -> dict[str, Any]:
    return {"name": name, "email": "accounts@bayside.example", **fields}


def invoice(contact_id: str = "cus-1", *, unit_amount: str = "150.00", **fields: Any) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "date": "2026-01-05",
        "due_date": "2026-02-04",
        "lines": [{"description": "Blocked drain, 2 hours", "quantity": "2", "unit_amount": unit_amount}],
        **fields,
    }


def reference_data() -> ReferenceData:
    """A small Xero organisation: one account of each kind the settings name, GST, one tracking category."""
    return ReferenceData(
        organisation_name="Demo Company (AU)",
        base_currency="AUD",
        accounts=[
            XeroAccount(account_id="a-200", code=SALES_ACCOUNT, name="Sales", type="REVENUE"),
            XeroAccount(account_id="a-310", code=EXPENSE_ACCOUNT, name="Cost of Goods Sold", type="DIRECTCOSTS"),
            XeroAccount(account_id="a-404", code=FEE_ACCOUNT, name="Bank Fees", type="OVERHEADS"),
            XeroAccount(account_id="a-090", code=BANK_ACCOUNT, name="Business Bank", type="BANK"),
            XeroAccount(account_id="a-260", code="260", name="Old Sales", type="REVENUE", status="ARCHIVED"),
        ],
        tax_rates=[XeroTaxRate(tax_type="OUTPUT", name="GST on Income")],
        tracking_categories=[
            XeroTrackingCategory(
                category_id="t-1", name="Region", options=[XeroTrackingOption(option_id="o-1", name="North")]
            )
        ],
        fetched_at=DEFAULT_START,
    )


def settings(**fields: Any) -> dict[str, Any]:
    """Settings that pass the check against reference_data()."""
    return {
        "sales_account": SALES_ACCOUNT,
        "expense_account": EXPENSE_ACCOUNT,
        "fee_account": FEE_ACCOUNT,
        "tax_rates": {"GST": "OUTPUT"},
        "bank_accounts": {"stripe": BANK_ACCOUNT},
        **fields,
    }
