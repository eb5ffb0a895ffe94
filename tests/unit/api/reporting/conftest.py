"""The reports and actions tests' world: the API over fakes with a scripted Xero, and one connected tenant."""

from __future__ import annotations

import pytest

from shared.domain.sync_settings import TenantSyncSettings
from tests.unit.api.reporting.reporting_world import ReportingWorld


@pytest.fixture
def world() -> ReportingWorld:
    return ReportingWorld()


@pytest.fixture
def tenant_id(world: ReportingWorld) -> str:
    """A connected tenant whose bank account `main` is matched to Xero's 090."""
    tenant = world.tenant()
    world.connect(tenant)
    world.records.settings.put(tenant, TenantSyncSettings(bank_accounts={"main": "090"}), world.clock.now())
    return tenant
