"""The identity adapter against the simulator's identity service: token endpoint, revocation, connections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from shared.adapters.xero_identity_http import HttpXeroIdentity
from shared.fakes.memory_app_secrets import MemoryAppSecrets
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import TokenGrant, XeroGrantError
from tests.integration.xero_connected import simulator_endpoints
from tests.simulator.identity_flow import OFFLINE_SCOPES, REDIRECT_URI, Party, consent_to, pkce_pair, register
from xero_simulator.server import Simulator


@dataclass
class Consented:
    party: Party
    identity: HttpXeroIdentity
    grant: TokenGrant

    @property
    def access_token(self) -> str:
        return self.grant.access_token.get_secret_value()

    @property
    def refresh_token(self) -> str:
        assert self.grant.refresh_token is not None
        return self.grant.refresh_token.get_secret_value()


def identity_for(sim: Simulator, party: Party, client_secret: str | None = None) -> HttpXeroIdentity:
    secrets = MemoryAppSecrets(party.app.client_id, client_secret or party.app.client_secret)
    return HttpXeroIdentity(simulator_endpoints(sim), secrets)


@pytest.fixture
def consented(simulator: Simulator) -> Consented:
    """A user who allowed the app two organisations; the PKCE code exchanged by the adapter."""
    party = register(simulator, organisations=2)
    identity = identity_for(simulator, party)
    verifier, challenge = pkce_pair()
    code = consent_to(party, OFFLINE_SCOPES, code_challenge=challenge, code_challenge_method="S256")["code"]
    return Consented(party, identity, identity.exchange_code(code, REDIRECT_URI, verifier))


def test_a_code_exchange_returns_tokens_carrying_the_consents_authentication_event_id(
    simulator: Simulator, consented: Consented
) -> None:
    # Given a consent for two organisations, exchanged (in the fixture) / Then the grant carries its event id
    connections = simulator.world.connections_of(consented.party.app.client_id, consented.party.user.user_id)
    assert {c.auth_event_id for c in connections} == {consented.grant.authentication_event_id}
    assert consented.grant.expires_in == 1800
    assert set(consented.grant.scopes) == set(OFFLINE_SCOPES)


def test_the_connections_of_one_consent_are_listed_with_their_ids_and_dates(
    simulator: Simulator, consented: Consented
) -> None:
    # When the connections of the consent are listed
    rows = consented.identity.connections(consented.access_token, consented.grant.authentication_event_id)
    # Then both organisations are there, with their connection ids and zone-aware dates
    expected = simulator.world.connections_of(consented.party.app.client_id, consented.party.user.user_id)
    assert {(r.id, r.tenant_id) for r in rows} == {(c.id, c.tenant_id) for c in expected}
    assert {r.tenant_name for r in rows} == {o.name for o in consented.party.orgs}
    assert all(isinstance(r.created, datetime) and r.created.tzinfo is not None for r in rows)


def test_a_refresh_returns_a_new_pair(simulator: Simulator, consented: Consented) -> None:
    # When the refresh token is spent
    renewed = consented.identity.refresh(consented.refresh_token)
    # Then Xero rotated it and the new access token is different
    assert renewed.refresh_token is not None
    assert renewed.refresh_token.get_secret_value() != consented.refresh_token
    assert renewed.access_token.get_secret_value() != consented.access_token
    assert simulator.counters.token_grants["refresh_token"] == 1


def test_a_refresh_token_xero_does_not_know_is_invalid_grant(consented: Consented) -> None:
    # When an unknown refresh token is spent, then Xero's invalid_grant is raised
    with pytest.raises(XeroGrantError) as refused:
        consented.identity.refresh("0" * 64)
    assert refused.value.error == "invalid_grant"


def test_a_wrong_client_secret_is_invalid_client(simulator: Simulator, consented: Consented) -> None:
    # Given the operator filled the app secret with a wrong client secret
    misconfigured = identity_for(simulator, consented.party, client_secret="not-the-secret")
    # When a refresh is attempted, then Xero's invalid_client is raised
    with pytest.raises(XeroGrantError) as refused:
        misconfigured.refresh(consented.refresh_token)
    assert refused.value.error == "invalid_client"


def test_a_revoked_grant_refuses_its_refresh_token_and_its_access_token(consented: Consented) -> None:
    # When the refresh token is revoked
    consented.identity.revoke(consented.refresh_token)
    # Then the refresh token is invalid_grant and the access token is refused with 401
    with pytest.raises(XeroGrantError, match="invalid_grant"):
        consented.identity.refresh(consented.refresh_token)
    with pytest.raises(XeroApiError) as refused:
        consented.identity.connections(consented.access_token)
    assert refused.value.status == 401


def test_deleting_a_connection_by_its_connection_id_removes_it(consented: Consented) -> None:
    # Given the consent's two connections
    first, second = consented.identity.connections(consented.access_token)
    # When the first is deleted by its connection id
    consented.identity.delete_connection(consented.access_token, first.id)
    # Then only the second is left
    assert [r.id for r in consented.identity.connections(consented.access_token)] == [second.id]


def test_deleting_a_connection_by_its_tenant_id_is_refused_with_404(consented: Consented) -> None:
    # Given a connection
    row = consented.identity.connections(consented.access_token)[0]
    # When it is deleted by its tenant id (the classic mistake, FACTS.md §1.6), then Xero answers 404
    with pytest.raises(XeroApiError) as refused:
        consented.identity.delete_connection(consented.access_token, row.tenant_id)
    assert refused.value.status == 404
