"""The platform API's handler on moto, against the real Xero simulator: a tenant's status, its
connection test (ok, a missing scope, a disconnect made in Xero) and its disconnect (the simulator's
connection gone, the token secret deleted, the platform told on the bus)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import httpx
import pytest
from pydantic import SecretStr

from functions.api.dependencies import ApiDependencies
from functions.api.handler import lambda_handler
from local_stack.event_capture import captured_events
from shared.domain.tokens import TokenSet
from tests.connected_records import connected_record
from tests.events import LocalLambdaContext, http_api_event
from tests.integration.api_on_simulator import api_on_simulator
from tests.integration.conftest import Stage
from tests.simulator.identity_flow import OFFLINE_SCOPES, Party, connect
from xero_simulator.server import Simulator


@dataclass
class Platform:
    """The API composed over the stage's real adapters and the simulator, with a valid key."""

    deps: ApiDependencies
    key: str
    party: Party
    control: httpx.Client

    def call(self, method: str, path: str, body: Any = None, query: str = "") -> tuple[int, Any]:
        event = http_api_event(
            method,
            path,
            query=query,
            headers={"x-api-key": self.key, "content-type": "application/json"},
            body=json.dumps(body) if body is not None else None,
        )
        answer = lambda_handler(event, LocalLambdaContext("xero-sync-api"), deps=self.deps)
        return answer["statusCode"], json.loads(answer["body"])

    def connect_tenant(self, scopes: tuple[str, ...] = OFFLINE_SCOPES) -> str:
        """A tenant created through the API and connected to the party's organisation, stored as the
        OAuth callback stores it: tokens in their secret, the connection CONNECTED."""
        status, tenant = self.call("POST", "/v1/tenants", {"name": "Acme Plumbing"})
        assert status == 201
        tenant_id: str = tenant["tenant_id"]
        granted = connect(self.party, scopes)
        [row] = self.deps.identity.connections(granted["access_token"])
        now = datetime.now(UTC)
        tokens = TokenSet(
            access_token=SecretStr(granted["access_token"]),
            refresh_token=SecretStr(granted["refresh_token"]),
            expires_at=now + timedelta(seconds=int(granted["expires_in"])),
            scopes=tuple(granted["scope"].split()),
        )
        self.deps.vault.write(tenant_id, tokens)
        self.deps.connections.put(connected_record(tenant_id, row, tokens, now, row.auth_event_id))
        return tenant_id

    def simulator_connections(self) -> list[dict[str, Any]]:
        answer = self.control.get("/connections", params={"client_id": self.party.app.client_id})
        connections: list[dict[str, Any]] = answer.json()["connections"]
        return connections


@pytest.fixture
def platform(simulator: Simulator, stage: Stage, monkeypatch: pytest.MonkeyPatch) -> Iterator[Platform]:
    # Given the operator filled the stage's app secret with the (simulated) Xero app's credentials
    api = api_on_simulator(simulator, stage, monkeypatch)
    with httpx.Client(base_url=f"{simulator.base_url}/_sim", timeout=10) as control:
        yield Platform(api.deps, api.api_key, api.party, control)
    api.party.http.close()


def test_status_shows_the_connected_simulator_organisation(platform: Platform) -> None:
    # Given a tenant connected to the simulator's organisation
    tenant_id = platform.connect_tenant()
    # When the platform reads its connection
    status, body = platform.call("GET", f"/v1/tenants/{tenant_id}/connection")
    # Then it shows that organisation, connected, with the scopes Xero granted
    assert status == 200
    assert body["status"] == "connected"
    assert body["organisation"] == {"xero_tenant_id": platform.party.org.organisation_id, "name": "Demo Company 1"}
    assert set(body["scopes"]) == set(OFFLINE_SCOPES)
    assert body["token_health"]["access_token_expired"] is False


def test_connection_test_reads_the_organisation_from_the_simulator(platform: Platform) -> None:
    # Given a connected tenant
    tenant_id = platform.connect_tenant()
    # When the platform tests the connection
    status, body = platform.call("POST", f"/v1/tenants/{tenant_id}/connection/test")
    # Then the simulator answered GET /Organisation for the connected organisation
    assert status == 200
    assert body["outcome"] == "ok"
    assert body["organisation"]["xero_tenant_id"] == platform.party.org.organisation_id


def test_connection_test_without_accounting_settings_reports_the_missing_scope(platform: Platform) -> None:
    # Given a tenant that consented without accounting.settings
    tenant_id = platform.connect_tenant(scopes=("openid", "offline_access", "accounting.transactions"))
    # When the platform tests the connection
    _, body = platform.call("POST", f"/v1/tenants/{tenant_id}/connection/test")
    # Then the simulator's insufficient_scope refusal is reported as that missing scope
    assert body["outcome"] == "missing_scope"
    assert "accounting.settings" in body["message"]


def test_disconnect_made_in_xero_is_found_by_the_connection_test(platform: Platform, stage: Stage) -> None:
    # Given a connected tenant whose user then removed the app in Xero's connected apps page
    tenant_id = platform.connect_tenant()
    [connection] = platform.simulator_connections()
    assert platform.control.delete(f"/connections/{connection['id']}").status_code == 200
    # When the platform tests the connection
    _, body = platform.call("POST", f"/v1/tenants/{tenant_id}/connection/test")
    # Then it must connect again, the status says so, and the platform heard of it on the bus
    assert body["outcome"] == "reauthorisation_needed"
    _, connection_body = platform.call("GET", f"/v1/tenants/{tenant_id}/connection")
    assert connection_body["status"] == "needs_reauth"
    assert connection_body["reauthorisation_needed"] is True
    published = [event["detail-type"] for event in captured_events(stage.names)]
    assert "connection.needs_reauth" in published


def test_disconnect_removes_the_simulators_connection_and_the_token_secret(platform: Platform, stage: Stage) -> None:
    # Given a connected tenant
    tenant_id = platform.connect_tenant()
    assert len(platform.simulator_connections()) == 1
    # When the platform disconnects it
    status, body = platform.call("DELETE", f"/v1/tenants/{tenant_id}/connection")
    # Then the simulator has no connection left, the secret is gone and the status is disconnected
    assert status == 200
    assert body["status"] == "disconnected"
    assert platform.simulator_connections() == []
    with pytest.raises(boto3.client("secretsmanager").exceptions.ResourceNotFoundException):
        boto3.client("secretsmanager").describe_secret(SecretId=stage.names.token_secret(tenant_id))


def test_disconnect_is_published_once_and_repeats_answer_the_same(platform: Platform, stage: Stage) -> None:
    # Given a connected tenant
    tenant_id = platform.connect_tenant()
    # When the platform disconnects it twice
    first = platform.call("DELETE", f"/v1/tenants/{tenant_id}/connection")
    second = platform.call("DELETE", f"/v1/tenants/{tenant_id}/connection")
    # Then both answers are the same and the bus carried one connection.disconnected
    assert first == second
    published = [event for event in captured_events(stage.names) if event["detail-type"] == "connection.disconnected"]
    assert [event["detail"]["tenant_id"] for event in published] == [tenant_id]


def test_tenants_are_paged_through_the_state_table(platform: Platform) -> None:
    # Given three tenants
    created = [platform.call("POST", "/v1/tenants", {"name": f"Tenant {n}"})[1]["tenant_id"] for n in range(3)]
    # When they are listed two at a time
    _, first = platform.call("GET", "/v1/tenants", query="limit=2")
    _, second = platform.call("GET", "/v1/tenants", query=f"limit=2&cursor={first['next_cursor']}")
    # Then the two pages hold all three, in creation order
    assert [tenant["tenant_id"] for tenant in first["tenants"] + second["tenants"]] == created
    assert second["next_cursor"] is None
