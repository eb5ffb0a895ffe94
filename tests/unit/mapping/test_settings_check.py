"""A tenant's settings checked against its Xero reference data: one test per rule (issue 4, §2)."""

from __future__ import annotations

from typing import Any

from shared.domain.mapping.settings_check import SettingsProblem, check_settings
from shared.domain.records import Entity
from shared.domain.sync_settings import EntitySettings, TrackingMapping
from tests.unit.mapping.mapping_world import account, reference, settings, tax_rate, tracking_category

REGION_NORTH = {"north": "North"}


def problems_with(reference_changes: dict[str, Any] | None = None, **changes: Any) -> list[SettingsProblem]:
    return check_settings(settings(**changes), reference(**(reference_changes or {})))


def fields(problems: list[SettingsProblem]) -> list[str]:
    return [problem.field for problem in problems]


def with_accounts(*extra: Any) -> dict[str, Any]:
    return {"accounts": [*reference().accounts, *extra]}


def test_settings_that_match_the_organisation_have_no_problem() -> None:
    # Given the world's settings against its reference data
    # When they are checked / Then nothing is wrong
    assert problems_with() == []


def test_a_sales_account_is_required_while_invoices_go_to_xero() -> None:
    # Given no sales account
    # When the settings are checked / Then the sales account is asked for
    assert fields(problems_with(sales_account=None)) == ["sales_account"]


def test_no_sales_account_is_needed_when_invoices_stay_on_the_platform() -> None:
    # Given no sales account, and invoices kept off Xero
    kept = {Entity.INVOICE: EntitySettings(to_xero=False)}
    # When the settings are checked / Then nothing is wrong
    assert problems_with(sales_account=None, entities=kept) == []


def test_an_expense_account_is_required_while_bills_go_to_xero() -> None:
    # Given no expense account / When checked / Then it is asked for
    assert fields(problems_with(expense_account=None)) == ["expense_account"]


def test_a_fee_account_is_required_while_payments_go_to_xero() -> None:
    # Given no fee account / When checked / Then it is asked for (any payment may carry a fee)
    assert fields(problems_with(fee_account=None)) == ["fee_account"]


def test_an_account_missing_from_the_chart_is_a_problem() -> None:
    # Given a sales account the organisation does not have
    problems = problems_with(sales_account="999")
    # When checked / Then the problem names it
    assert problems == [
        SettingsProblem(field="sales_account", message="There is no account 999 in the Xero chart of accounts.")
    ]


def test_an_archived_account_is_a_problem() -> None:
    # Given a sales account archived in Xero
    archived = account("201", "REVENUE", status="ARCHIVED", name="Old Sales")
    # When checked / Then the problem says it is archived
    problems = problems_with(with_accounts(archived), sales_account="201")
    assert [p.message for p in problems] == ["The account 201 (Old Sales) is archived in Xero: choose an active one."]


def test_a_sales_account_must_be_a_revenue_account() -> None:
    # Given an expense account chosen for sales (and another expense account for costs)
    problems = problems_with(sales_account="310")
    # When checked / Then the sales account is refused for its type
    assert fields(problems) == ["sales_account"]
    assert "DIRECTCOSTS" in problems[0].message


def test_an_other_income_account_may_take_sales() -> None:
    # Given an OTHERINCOME account (of Xero's REVENUE class) for sales
    # When checked / Then nothing is wrong
    assert problems_with(sales_account="260") == []


def test_an_expense_account_must_be_a_cost_or_expense_account() -> None:
    # Given a revenue account chosen for costs
    # When checked / Then the expense account is refused for its type
    assert fields(problems_with(expense_account="260")) == ["expense_account"]


def test_a_fee_account_must_be_a_cost_or_expense_account() -> None:
    # Given a bank account chosen for fees
    # When checked / Then the fee account is refused for its type
    assert fields(problems_with(fee_account="090")) == ["fee_account"]


def test_sales_and_expense_accounts_must_differ() -> None:
    # Given one account for both sales and costs
    problems = problems_with(sales_account="200", expense_account="200")
    # When checked / Then one problem says they must differ
    assert any("also the sales account" in p.message for p in problems if p.field == "expense_account")


def test_an_item_account_missing_from_the_chart_is_a_problem() -> None:
    # Given an item mapped to an account the organisation does not have
    # When checked / Then the item's mapping is named
    assert fields(problems_with(item_accounts={"CONSULT": "999"})) == ["item_accounts.CONSULT"]


def test_an_archived_item_account_is_a_problem() -> None:
    # Given an item mapped to an archived account
    archived = account("201", "REVENUE", status="ARCHIVED")
    # When checked / Then the item's mapping is named
    assert fields(problems_with(with_accounts(archived), item_accounts={"CONSULT": "201"})) == ["item_accounts.CONSULT"]


def test_a_tax_type_xero_does_not_have_is_a_problem() -> None:
    # Given a platform tax code mapped to an unknown tax type
    # When checked / Then the mapping is named
    assert fields(problems_with(tax_rates={"GST": "OUTPUT9"})) == ["tax_rates.GST"]


def test_an_archived_tax_rate_is_a_problem() -> None:
    # Given a platform tax code mapped to an archived rate
    old = tax_rate("OLDGST", "10", status="ARCHIVED")
    changes = {"tax_rates": [*reference().tax_rates, old]}
    # When checked / Then the mapping is named
    assert fields(problems_with(changes, tax_rates={"GST": "OLDGST"})) == ["tax_rates.GST"]


def tracked(xero_category: str, options: dict[str, str], platform_category: str = "area") -> list[TrackingMapping]:
    return [TrackingMapping(platform_category=platform_category, xero_category=xero_category, options=options)]


def test_a_tracking_category_xero_does_not_have_is_a_problem() -> None:
    # Given a platform category mapped to an unknown Xero category
    # When checked / Then the mapping is named
    assert fields(problems_with(tracking=tracked("Department", {}))) == ["tracking.area"]


def test_an_archived_tracking_category_is_a_problem() -> None:
    # Given the Xero category is archived
    changes = {"tracking_categories": [tracking_category("Region", "North", status="ARCHIVED")]}
    # When checked / Then the mapping is named
    assert fields(problems_with(changes, tracking=tracked("Region", REGION_NORTH))) == ["tracking.area"]


def test_a_tracking_option_xero_does_not_have_is_a_problem() -> None:
    # Given a platform option mapped to an option the Xero category lacks
    # When checked / Then the option's mapping is named
    assert fields(problems_with(tracking=tracked("Region", {"east": "East"}))) == ["tracking.area.options.east"]


def test_an_archived_tracking_option_is_a_problem() -> None:
    # Given the Xero option is archived
    category = tracking_category("Region", "North")
    archived_north = category.model_copy(
        update={"options": [category.options[0].model_copy(update={"status": "ARCHIVED"})]}
    )
    # When checked / Then the option's mapping is named
    problems = problems_with({"tracking_categories": [archived_north]}, tracking=tracked("Region", REGION_NORTH))
    assert fields(problems) == ["tracking.area.options.north"]


def test_two_platform_categories_may_not_share_a_xero_category() -> None:
    # Given two platform categories both mapped to Region
    both = [*tracked("Region", REGION_NORTH), *tracked("Region", {}, platform_category="site")]
    # When checked / Then both mappings are named (Xero takes a category once per line)
    assert fields(problems_with(tracking=both)) == ["tracking.area", "tracking.site"]


def test_a_bank_account_must_take_payments() -> None:
    # Given a platform bank account matched to a current-asset account that takes no payments
    # When checked / Then the match is named
    problems = problems_with(bank_accounts={"main": "610"})
    assert fields(problems) == ["bank_accounts.main"]
    assert "cannot take payments" in problems[0].message


def test_an_account_with_payments_enabled_may_take_payments() -> None:
    # Given a current-asset account with EnablePaymentsToAccount
    clearing = account("615", "CURRENT", enable_payments=True)
    # When checked / Then nothing is wrong
    assert problems_with(with_accounts(clearing), bank_accounts={"main": "615"}) == []


def test_a_bank_account_missing_from_the_chart_is_a_problem() -> None:
    # Given a platform card matched to an unknown account
    # When checked / Then the match is named
    assert fields(problems_with(bank_accounts={"card": "095"})) == ["bank_accounts.card"]
