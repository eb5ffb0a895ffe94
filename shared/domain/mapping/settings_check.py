"""A tenant's sync settings checked against its live Xero reference data (issue 4, §2).

Run whenever either changes. Each problem names the setting (`field`, e.g. "sales_account" or
"tax_rates.GST") and says in the tenant's words what to change. The rules:

- The default accounts exist in the chart and are ACTIVE (Xero refuses archived accounts on new
  lines). The sales account is revenue (REVENUE, SALES or OTHERINCOME: every account of Xero's
  REVENUE class); the expense and fee accounts are direct costs or expenses (DIRECTCOSTS,
  EXPENSE, OVERHEADS); sales and expense differ (issue 4: revenue against direct costs).
- A default account is required when the entity that falls back on it goes to Xero: the sales
  account for invoices, the expense account for bills, the fee account for payments (any payment
  may carry the platform's fee, which becomes a bill coded to it).
- Item accounts exist and are ACTIVE. Mapped tax types exist and are ACTIVE.
- Tracking categories and their options exist by name and are ACTIVE; two platform categories may
  not share one Xero category (Xero takes a category once per line).
- Bank accounts exist, are ACTIVE and take payments: a BANK account, or one with
  EnablePaymentsToAccount (FACTS.md §4.8).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pydantic import BaseModel

from shared.domain.records import Entity
from shared.domain.reference_data import ReferenceData, XeroAccount
from shared.domain.sync_settings import TenantSyncSettings

ACTIVE = "ACTIVE"
SALES_ACCOUNT_TYPES = frozenset({"REVENUE", "SALES", "OTHERINCOME"})
EXPENSE_ACCOUNT_TYPES = frozenset({"DIRECTCOSTS", "EXPENSE", "OVERHEADS"})


@dataclass(frozen=True)
class DefaultAccountRule:
    """A default account: which setting, which entity falls back on it, and the account types it may be."""

    field: str
    needed_by: Entity
    types: frozenset[str]
    kind: str  # how a message names the types


DEFAULT_ACCOUNTS = (
    DefaultAccountRule("sales_account", Entity.INVOICE, SALES_ACCOUNT_TYPES, "a revenue account"),
    DefaultAccountRule("expense_account", Entity.BILL, EXPENSE_ACCOUNT_TYPES, "a direct cost or expense account"),
    DefaultAccountRule("fee_account", Entity.PAYMENT, EXPENSE_ACCOUNT_TYPES, "a direct cost or expense account"),
)


class SettingsProblem(BaseModel):
    field: str
    message: str


def check_settings(settings: TenantSyncSettings, reference: ReferenceData) -> list[SettingsProblem]:
    """Every problem of `settings` against `reference`, in the order of the settings; [] when none."""
    problems: list[SettingsProblem] = []
    for rule in DEFAULT_ACCOUNTS:
        problems += _default_account(settings, reference, rule)
    if settings.sales_account is not None and settings.sales_account == settings.expense_account:
        problems.append(
            SettingsProblem(
                field="expense_account",
                message=f"The expense account {settings.expense_account} is also the sales account: choose two "
                "different accounts so that sales and costs are kept apart.",
            )
        )
    for item_code, code in settings.item_accounts.items():
        account = _usable_account(reference, f"item_accounts.{item_code}", code)
        if isinstance(account, SettingsProblem):
            problems.append(account)
    problems += _tax_rates(settings, reference)
    problems += _tracking(settings, reference)
    problems += _bank_accounts(settings, reference)
    return problems


def _usable_account(reference: ReferenceData, field: str, code: str) -> XeroAccount | SettingsProblem:
    """The account with this code if it exists and is ACTIVE, else the problem with it."""
    account = reference.account(code)
    if account is None:
        return SettingsProblem(field=field, message=f"There is no account {code} in the Xero chart of accounts.")
    if account.status != ACTIVE:
        return SettingsProblem(
            field=field,
            message=f"The account {code} ({account.name}) is {account.status.lower()} in Xero: choose an active one.",
        )
    return account


def _default_account(
    settings: TenantSyncSettings, reference: ReferenceData, rule: DefaultAccountRule
) -> list[SettingsProblem]:
    field = rule.field
    code: str | None = getattr(settings, field)
    if code is None:
        if not settings.entity(rule.needed_by).to_xero:
            return []
        return [
            SettingsProblem(
                field=field,
                message=f"Choose {rule.kind} for the {field.replace('_', ' ')}: "
                f"{rule.needed_by.value}s go to Xero and need it.",
            )
        ]
    account = _usable_account(reference, field, code)
    if isinstance(account, SettingsProblem):
        return [account]
    if account.type not in rule.types:
        return [
            SettingsProblem(
                field=field,
                message=f"The account {account.code} ({account.name}) is of type {account.type}: choose {rule.kind} "
                f"({', '.join(sorted(rule.types))}).",
            )
        ]
    return []


def _tax_rates(settings: TenantSyncSettings, reference: ReferenceData) -> list[SettingsProblem]:
    problems = []
    for platform_code, tax_type in settings.tax_rates.items():
        rate = reference.tax_rate(tax_type)
        field = f"tax_rates.{platform_code}"
        if rate is None:
            problems.append(SettingsProblem(field=field, message=f"Xero has no tax rate with the tax type {tax_type}."))
        elif rate.status != ACTIVE:
            problems.append(
                SettingsProblem(
                    field=field,
                    message=f"The tax rate {tax_type} ({rate.name}) is {rate.status.lower()} in Xero: choose an "
                    "active one.",
                )
            )
    return problems


def _tracking(settings: TenantSyncSettings, reference: ReferenceData) -> list[SettingsProblem]:
    problems = []
    shared = {name for name, count in Counter(m.xero_category for m in settings.tracking).items() if count > 1}
    for mapping in settings.tracking:
        field = f"tracking.{mapping.platform_category}"
        if mapping.xero_category in shared:
            problems.append(
                SettingsProblem(
                    field=field,
                    message=f"Another platform category also maps to the Xero tracking category "
                    f"{mapping.xero_category}: Xero takes each category once on a line.",
                )
            )
        category = reference.tracking_category(mapping.xero_category)
        if category is None:
            problems.append(
                SettingsProblem(field=field, message=f"Xero has no tracking category {mapping.xero_category}.")
            )
            continue
        if category.status != ACTIVE:
            problems.append(
                SettingsProblem(
                    field=field,
                    message=f"The tracking category {category.name} is {category.status.lower()} in Xero.",
                )
            )
        options = {option.name: option for option in category.options}
        for platform_option, xero_option in mapping.options.items():
            option = options.get(xero_option)
            option_field = f"{field}.options.{platform_option}"
            if option is None:
                problems.append(
                    SettingsProblem(
                        field=option_field,
                        message=f"The tracking category {category.name} has no option {xero_option} in Xero.",
                    )
                )
            elif option.status != ACTIVE:
                problems.append(
                    SettingsProblem(
                        field=option_field,
                        message=f"The option {xero_option} of {category.name} is {option.status.lower()} in Xero.",
                    )
                )
    return problems


def _bank_accounts(settings: TenantSyncSettings, reference: ReferenceData) -> list[SettingsProblem]:
    problems = []
    for platform_account, code in settings.bank_accounts.items():
        field = f"bank_accounts.{platform_account}"
        account = _usable_account(reference, field, code)
        if isinstance(account, SettingsProblem):
            problems.append(account)
        elif account.type != "BANK" and not account.enable_payments:
            problems.append(
                SettingsProblem(
                    field=field,
                    message=f"The account {code} ({account.name}) cannot take payments: choose a bank account, or "
                    "enable payments to this account in Xero.",
                )
            )
    return problems
