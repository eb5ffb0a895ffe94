"""Fixtures for simulator tests: a connected app, user and organisation, and an httpx client for them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest

from tests.served_simulator import served
from tests.simulator.control_api import control_client
from tests.simulator.webhook_receiver import WebhookReceiver, running_receiver
from xero_simulator.builders import create_app, create_organisation, create_user, direct_principal
from xero_simulator.clock import SimClock
from xero_simulator.server import Simulator
from xero_simulator.world import App, Organisation, User

BROAD_SCOPES = (
    "openid",
    "profile",
    "email",
    "offline_access",
    "accounting.transactions",
    "accounting.settings",
    "accounting.contacts",
    "accounting.reports.read",
)


@dataclass
class Tenant:
    """A tenant connected with broad scopes; `api` is an httpx client with its token and tenant header."""

    sim: Simulator
    app: App
    user: User
    org: Organisation
    token: str
    api: httpx.Client

    def client(self, token: str | None = None, tenant_id: str | None = None) -> httpx.Client:
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if tenant_id is not None:
            headers["xero-tenant-id"] = tenant_id
        return httpx.Client(base_url=f"{self.sim.base_url}/api.xro/2.0", headers=headers, timeout=10)


def connect_tenant(sim: Simulator, scopes: list[str] | tuple[str, ...] = BROAD_SCOPES, country: str = "AU") -> Tenant:
    app = create_app(sim.world, "Platform Test App", ["http://localhost/callback"])
    user = create_user(sim.world, "owner@example.com")
    org = create_organisation(sim.world, "Demo Company (AU)", country, [user])
    principal = direct_principal(sim.world, app, user, [org.organisation_id], scopes)
    token = sim.tokens.issue(principal, sim.world.clock.now())
    probe = Tenant(sim, app, user, org, token, httpx.Client())
    probe.api = probe.client(token, org.organisation_id)
    return probe


@contextmanager
def tenant_at(moment: datetime) -> Iterator[Tenant]:
    """A tenant of a simulator whose clock starts at `moment`: for what depends on the time of day."""
    with served(Simulator(SimClock(moment), strict=True)) as sim:
        connected = connect_tenant(sim)
        yield connected
        connected.api.close()


@pytest.fixture
def tenant(simulator: Simulator) -> Iterator[Tenant]:
    connected = connect_tenant(simulator)
    yield connected
    connected.api.close()


@pytest.fixture
def control(simulator: Simulator) -> Iterator[httpx.Client]:
    """A client of the simulator's control API (/_sim)."""
    with control_client(simulator) as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A loopback webhook receiver that records raw deliveries."""
    yield from running_receiver()
