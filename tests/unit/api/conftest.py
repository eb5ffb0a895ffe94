"""Fixtures of the platform API's unit tests: an API over in-memory fakes, and a connected tenant."""

from __future__ import annotations

import pytest

from tests.unit.api.api_world import ApiWorld


@pytest.fixture
def world() -> ApiWorld:
    """The API over fresh in-memory fakes, with a valid API key."""
    return ApiWorld()


@pytest.fixture
def tenant_id(world: ApiWorld) -> str:
    """A tenant connected to ORGANISATION just now."""
    tenant = world.tenant()
    world.connect(tenant)
    return tenant
