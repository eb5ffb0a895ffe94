"""Tenants connected to the simulator through Xero's real OAuth flow (PKCE, code exchange, connections),
with their tokens in a moto stage's vault and their connection records in its table.

The Given of the token-custody integration tests. xero-sync's clock is the simulator's clock, so
advancing it moves Xero's token lifetimes and our leases and refresh-ahead windows together.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import boto3
import httpx

from local_stack.event_capture import captured_events
from shared.adapters.dynamodb_state import DynamoDbConnectionRepository, DynamoDbState
from shared.adapters.eventbridge import EventBridgeBus
from shared.adapters.secrets_manager import SecretsManagerAppSecrets, SecretsManagerTokenVault
from shared.adapters.xero_accounting_http import HttpXeroAccounting
from shared.adapters.xero_identity_http import HttpXeroIdentity
from shared.domain.connections import Connection
from shared.domain.platform_events import EventType
from shared.domain.tokens import TokenSet
from shared.ports.xero_accounting import XeroApiError
from shared.settings import XeroEndpoints
from shared.usecases.token_custody import TokenCustodian
from tests.connected_records import connected_record
from tests.integration.conftest import Stage
from tests.simulator.identity_flow import OFFLINE_SCOPES, REDIRECT_URI, Party, consent_to, pkce_pair, register
from xero_simulator.builders import create_organisation, create_user
from xero_simulator.clock import SimClock
from xero_simulator.server import Simulator


def simulator_endpoints(sim: Simulator) -> XeroEndpoints:
    """Xero's three hosts, all at the simulator (by their environment names: the fields have aliases)."""
    return XeroEndpoints(XERO_LOGIN_URL=sim.base_url, XERO_IDENTITY_URL=sim.base_url, XERO_API_URL=sim.base_url)


@dataclass
class XeroApp:
    """The simulator's app whose credentials fill the stage's Xero app secret, and the adapters over the stage."""

    sim: Simulator
    stage: Stage
    party: Party
    endpoints: XeroEndpoints
    identity: HttpXeroIdentity
    accounting: HttpXeroAccounting
    connections: DynamoDbConnectionRepository
    vault: SecretsManagerTokenVault
    events: EventBridgeBus
    _captured: list[dict[str, Any]] = field(default_factory=list)

    @property
    def clock(self) -> SimClock:
        return self.sim.world.clock

    def custodian(self, owner_id: str, identity: HttpXeroIdentity | None = None) -> TokenCustodian:
        return TokenCustodian(
            self.connections, self.vault, identity or self.identity, self.events, self.clock, owner_id
        )

    def connect(
        self, tenant_id: str | None = None, *, new_user: bool = False, scopes: tuple[str, ...] = OFFLINE_SCOPES
    ) -> ConnectedTenant:
        """Our tenant connects the app's user's first organisation (a new user and organisation if asked)."""
        party = self.party
        if new_user:
            user = create_user(self.sim.world, f"owner-{secrets.token_hex(3)}@example.com")
            org = create_organisation(self.sim.world, f"Other Company {secrets.token_hex(2)}", "AU", [user])
            party = Party(self.sim, self.party.app, user, [org], self.party.http)
        verifier, challenge = pkce_pair()
        code = consent_to(party, scopes, code_challenge=challenge, code_challenge_method="S256")["code"]
        grant = self.identity.exchange_code(code, REDIRECT_URI, verifier)
        assert grant.refresh_token is not None
        access_token = grant.access_token.get_secret_value()
        row = self.identity.connections(access_token, grant.authentication_event_id)[0]
        now = self.clock.now()
        tenant = tenant_id or f"tenant-{secrets.token_hex(4)}"
        tokens = TokenSet(
            access_token=grant.access_token,
            refresh_token=grant.refresh_token,
            expires_at=now + timedelta(seconds=grant.expires_in),
            scopes=grant.scopes,
            version=1,
        )
        self.vault.write(tenant, tokens)
        self.connections.put(connected_record(tenant, row, tokens, now, grant.authentication_event_id))
        return ConnectedTenant(self, tenant, row.tenant_id, row.id)

    def needs_reauth_events(self) -> list[dict[str, Any]]:
        """Every connection.needs_reauth event the stage's bus received so far."""
        self._captured.extend(captured_events(self.stage.names))
        return [e for e in self._captured if e["detail-type"] == EventType.CONNECTION_NEEDS_REAUTH.value]


@dataclass
class ConnectedTenant:
    app: XeroApp
    tenant_id: str
    xero_tenant_id: str
    xero_connection_id: str

    def connection(self) -> Connection:
        found = self.app.connections.get(self.tenant_id)
        assert found is not None
        return found

    def stored(self) -> TokenSet:
        found = self.app.vault.read(self.tenant_id)
        assert found is not None
        return found

    def xero_accepts(self, access_token: str) -> bool:
        """Whether the simulator's Accounting API answers GET /Organisation for this token and organisation."""
        try:
            self.app.accounting.organisation(access_token, self.xero_tenant_id)
        except XeroApiError:
            return False
        return True


def xero_app(sim: Simulator, stage: Stage, *, client: httpx.Client | None = None) -> XeroApp:
    """Register an app, a user and an organisation at the simulator, and put the app's credentials in the
    stage's Xero app secret, where the functions read them."""
    party = register(sim)
    assert party.app.client_secret is not None
    boto3.client("secretsmanager").put_secret_value(
        SecretId=stage.names.xero_app_secret,
        SecretString=json.dumps({"client_id": party.app.client_id, "client_secret": party.app.client_secret}),
    )
    endpoints = simulator_endpoints(sim)
    state = DynamoDbState.for_table(stage.names.state_table)
    return XeroApp(
        sim=sim,
        stage=stage,
        party=party,
        endpoints=endpoints,
        identity=HttpXeroIdentity(endpoints, SecretsManagerAppSecrets(stage.names), client),
        accounting=HttpXeroAccounting(endpoints),
        connections=state.connections,
        vault=SecretsManagerTokenVault(stage.names),
        events=EventBridgeBus(stage.names.event_bus),
    )
