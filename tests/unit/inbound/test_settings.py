"""The tenant's settings for what comes from Xero: defaults, and the directions that are fixed."""

from __future__ import annotations

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
