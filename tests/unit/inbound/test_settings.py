"""The tenant's settings for what comes from Xero: defaults, and the directions that are fixed."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from shared.domain.inbound.settings import Direction, InboundEntitySettings, InboundSettings, Side, SyncedKind
from shared.domain.records import Entity


def test_a_kind_the_tenant_has_not_set_takes_the_default() -> None:
    # Given settings for contacts only
    settings = InboundSettings(kinds={SyncedKind.CONTACT: InboundEntitySettings(conflict_winner=Side.XERO)})
    # When invoices and contacts are asked for / Then invoices take the default, contacts the choice
    assert (settings.of(Entity.INVOICE).reconcile_interval_minutes, settings.of(Entity.CONTACT).conflict_winner) == (
        15,
        Side.XERO,
    )


def test_tax_rates_come_from_xero_only() -> None:
    # Given a tenant asking for tax rates both ways / When the settings are made / Then they are refused
    with pytest.raises(ValidationError, match="tax rates come one way from Xero"):
        InboundSettings(kinds={SyncedKind.TAX_RATE: InboundEntitySettings(direction=Direction.BOTH)})


def test_tracking_options_go_both_ways_without_their_deletions() -> None:
    # Given the defaults / When tracking categories are asked for / Then both ways, deletions not synced
    tracking = InboundSettings().of(SyncedKind.TRACKING_CATEGORY)
    assert (tracking.direction, tracking.sync_deletions) == (Direction.BOTH, False)


def test_an_interval_is_at_least_a_minute() -> None:
    # Given an interval of zero / When the settings are made / Then it is refused
    with pytest.raises(ValidationError):
        InboundEntitySettings(reconcile_interval_minutes=0)


def test_a_kind_given_in_part_keeps_its_defaults_for_the_rest() -> None:
    # When a tenant sets only the start day of its bank transactions, and only the winner for tax rates
    chosen = InboundSettings.model_validate(
        {"kinds": {"bank_transaction": {"since": "2026-01-01"}, "tax_rate": {"conflict_winner": "xero"}}}
    )
    # Then bank transactions keep their daily interval and direction, and tax rates their fixed direction
    bank = chosen.of(SyncedKind.BANK_TRANSACTION)
    assert (bank.since, bank.reconcile_interval_minutes, bank.direction) == (
        date(2026, 1, 1),
        1440,
        Direction.FROM_XERO,
    )
    assert chosen.of(SyncedKind.TAX_RATE).direction is Direction.FROM_XERO
    # And a value given as null is kept as given, also once stored and read back
    on_change = InboundSettings.model_validate({"kinds": {"contact": {"reconcile_interval_minutes": None}}})
    assert on_change.of(SyncedKind.CONTACT).reconcile_interval_minutes is None
    assert InboundSettings.model_validate_json(on_change.model_dump_json()) == on_change
