"""Token custody against the simulator's identity service and a moto stage (DynamoDB lease, Secrets
Manager vault, EventBridge bus): one refresh per rotation, lost answers and crashes recovered inside
Xero's grace, and disconnects from Xero's side detected once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest

from shared.adapters.xero_http import XERO_TIMEOUT
from shared.adapters.xero_identity_http import HttpXeroIdentity
from shared.domain.connections import ConnectionStatus
from shared.ports.xero_accounting import XeroApiError
from shared.usecases.token_custody import REFRESH_LEASE, ReauthorisationNeededError
from tests.integration.conftest import Stage
from tests.integration.xero_connected import ConnectedTenant, XeroApp, xero_app
from xero_simulator.server import Simulator

WORKERS = 50
TOKEN_LIFETIME = timedelta(minutes=30)


@pytest.fixture
def app(simulator: Simulator, stage: Stage) -> XeroApp:
    return xero_app(simulator, stage)


@pytest.fixture
def tenant(app: XeroApp) -> ConnectedTenant:
    return app.connect()


def refreshes(sim: Simulator) -> int:
    return sim.counters.token_grants["refresh_token"]


def test_fifty_workers_at_token_expiry_cause_exactly_one_refresh_at_xero(app: XeroApp, tenant: ConnectedTenant) -> None:
    # Given the connection's access token has expired, for Xero and for us (one clock)
    app.clock.advance(TOKEN_LIFETIME.total_seconds())
    custodians = [app.custodian(f"worker-{n}") for n in range(WORKERS)]
    start = threading.Barrier(WORKERS)

    def ask(index: int) -> str:
        start.wait()
        return custodians[index].access_token(tenant.tenant_id)

    # When 50 workers ask for a token at the same moment
    began = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        tokens = list(pool.map(ask, range(WORKERS)))
    elapsed = time.perf_counter() - began
    # Then Xero saw one refresh, and all 50 hold the same token, which Xero accepts
    assert refreshes(app.sim) == 1
    assert len(set(tokens)) == 1
    assert tenant.xero_accepts(tokens[0])
    assert tenant.connection().token_version == tenant.stored().version == 2
    print(f"\n{WORKERS} workers at expiry: one refresh, {elapsed:.2f} s")


class LosingTransport(httpx.BaseTransport):
    """Sends each refresh to Xero, reads its answer, and then fails as a reset connection would:
    Xero has rotated the refresh token, and the client never learns the new one."""

    def __init__(self, losses: int) -> None:
        self._inner = httpx.HTTPTransport()
        self.losses = losses

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if self.losses and request.url.path == "/connect/token" and b"grant_type=refresh_token" in request.content:
            self.losses -= 1
            response.read()
            response.close()
            raise httpx.ReadError("connection reset by peer", request=request)
        return response


@pytest.fixture
def losing_client() -> Iterator[tuple[httpx.Client, LosingTransport]]:
    transport = LosingTransport(losses=1)
    with httpx.Client(transport=transport, timeout=XERO_TIMEOUT) as client:
        yield client, transport


def test_a_refresh_whose_answer_is_lost_recovers_within_the_grace(
    app: XeroApp, tenant: ConnectedTenant, losing_client: tuple[httpx.Client, LosingTransport]
) -> None:
    # Given the access token expired, and the network will lose Xero's answer to the next refresh
    app.clock.advance(TOKEN_LIFETIME.total_seconds())
    client, transport = losing_client
    custodian = app.custodian("worker-1", HttpXeroIdentity(app.endpoints, app.identity._app_secrets, client))
    # When a worker asks for a token
    token = custodian.access_token(tenant.tenant_id)
    # Then Xero rotated twice (the lost answer, then the retry of the same refresh token), and the token works
    assert transport.losses == 0
    assert refreshes(app.sim) == 2
    assert tenant.xero_accepts(token)
    assert tenant.stored().access_token.get_secret_value() == token


def test_a_crash_between_xeros_rotation_and_the_vault_write_is_recovered_after_the_lease_expires(
    app: XeroApp, tenant: ConnectedTenant
) -> None:
    # Given a worker took the lease, had Xero rotate the refresh token, and died before storing the answer
    app.clock.advance(TOKEN_LIFETIME.total_seconds())
    version = tenant.connection().token_version
    assert app.connections.acquire_refresh_lease(tenant.tenant_id, "crashed", version, app.clock.now(), REFRESH_LEASE)
    app.identity.refresh(tenant.stored().refresh_token.get_secret_value())
    # When the next worker asks for a token once the lease has expired
    app.clock.advance((REFRESH_LEASE + timedelta(seconds=1)).total_seconds())
    token = app.custodian("worker-2").access_token(tenant.tenant_id)
    # Then it spent the stored refresh token again inside Xero's grace, and its token works
    assert refreshes(app.sim) == 2
    assert tenant.xero_accepts(token)
    assert tenant.connection().token_version == 2


def test_a_disconnect_from_xeros_side_is_detected_as_needs_reauth_with_one_event(
    app: XeroApp, tenant: ConnectedTenant
) -> None:
    # Given the user removed the app's connection in Xero
    answer = app.party.http.delete(f"/_sim/connections/{tenant.xero_connection_id}")
    assert answer.status_code == 200, answer.text
    custodian = app.custodian("worker-1")
    token = custodian.access_token(tenant.tenant_id)
    with pytest.raises(XeroApiError) as refused:
        app.accounting.organisation(token, tenant.xero_tenant_id)
    # When the worker reports Xero's 403, twice (as a second worker would)
    first = custodian.report_rejected(tenant.tenant_id, refused.value.status, refused.value.detail)
    second = app.custodian("worker-2").report_rejected(tenant.tenant_id, refused.value.status, refused.value.detail)
    # Then the connection needs reauthorisation, says why, and the platform got one event saying so
    assert (refused.value.status, first, second) == (403, True, True)
    connection = tenant.connection()
    assert connection.status is ConnectionStatus.NEEDS_REAUTH
    assert "disconnected" in (connection.last_error or "")
    [event] = app.needs_reauth_events()
    assert event["detail"]["tenant_id"] == tenant.tenant_id
    assert event["detail"]["data"]["reason"] == connection.last_error


def test_a_refresh_refused_after_a_disconnect_from_xeros_side_sets_needs_reauth_with_one_event(
    app: XeroApp, tenant: ConnectedTenant
) -> None:
    # Given the user removed the app's only connection in Xero, and the access token has expired
    answer = app.party.http.delete(f"/_sim/connections/{tenant.xero_connection_id}")
    assert answer.status_code == 200, answer.text
    app.clock.advance(TOKEN_LIFETIME.total_seconds())
    custodians = [app.custodian(f"worker-{n}") for n in range(5)]

    def ask(index: int) -> str:
        try:
            return custodians[index].access_token(tenant.tenant_id)
        except ReauthorisationNeededError:
            return "needs reauth"

    # When five workers ask for a token
    with ThreadPoolExecutor(len(custodians)) as pool:
        outcomes = list(pool.map(ask, range(len(custodians))))
    # Then Xero's invalid_grant made the connection need reauthorisation, announced once
    assert outcomes == ["needs reauth"] * 5
    assert tenant.connection().status is ConnectionStatus.NEEDS_REAUTH
    assert len(app.needs_reauth_events()) == 1
