"""GET /connections and DELETE /connections/{id}, and disconnecting from Xero's side (FACTS.md §1.6)."""

from __future__ import annotations

import re

import jwt

from tests.simulator.identity_flow import accounting, bearer, connect, consent_to, exchange, register
from xero_simulator.identity.connections import disconnect
from xero_simulator.server import Simulator

NAIVE_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$")


def test_connections_lists_the_connected_tenants_in_xeros_shape(simulator: Simulator) -> None:
    # Given a user who connected one organisation
    party = register(simulator)
    tokens = connect(party)
    # When the app lists its connections
    answer = party.http.get("/connections", headers=bearer(tokens["access_token"]))
    # Then it gets one Connection with the spec's fields and zone-less datetimes
    (connection,) = answer.json()
    assert answer.status_code == 200
    assert connection["tenantId"] == party.org.organisation_id
    assert connection["tenantName"] == party.org.name
    assert connection["tenantType"] == "ORGANISATION"
    assert connection["id"] != connection["tenantId"]
    assert NAIVE_UTC.match(connection["createdDateUtc"])
    assert NAIVE_UTC.match(connection["updatedDateUtc"])


def test_connections_sends_only_the_app_minute_limit_header(simulator: Simulator) -> None:
    # When the tenantless /connections is called
    party = register(simulator)
    answer = party.http.get("/connections", headers=bearer(connect(party)["access_token"]))
    # Then only X-AppMinLimit-Remaining comes back, no tenant day or minute header
    assert "x-appminlimit-remaining" in answer.headers
    assert "x-minlimit-remaining" not in answer.headers
    assert "x-daylimit-remaining" not in answer.headers


def test_connections_take_from_the_app_minute_budget(simulator: Simulator) -> None:
    # Given an app allowed two calls a minute, already used twice
    party = register(simulator)
    simulator.limiter.limits.app_per_minute = 2
    token = connect(party)["access_token"]
    party.http.get("/connections", headers=bearer(token))
    party.http.get("/connections", headers=bearer(token))
    # When it lists its connections again, then Xero answers 429 for the app minute limit
    answer = party.http.get("/connections", headers=bearer(token))
    assert answer.status_code == 429
    assert "retry-after" in answer.headers


def test_connections_filter_by_auth_event_id(simulator: Simulator) -> None:
    # Given two organisations connected by two separate consents
    party = register(simulator, organisations=2)
    first_org, second_org = party.orgs
    exchange(party, consent_to(party, tenant_ids=[first_org.organisation_id])["code"])
    latest = exchange(party, consent_to(party, tenant_ids=[second_org.organisation_id])["code"]).json()
    event = jwt.decode(latest["access_token"], options={"verify_signature": False})["authentication_event_id"]
    # When the app asks only for the connections of the latest consent
    answer = party.http.get("/connections", params={"authEventId": event}, headers=bearer(latest["access_token"]))
    # Then only that consent's tenant is listed, though the token covers both
    assert [c["tenantId"] for c in answer.json()] == [second_org.organisation_id]
    assert len(party.http.get("/connections", headers=bearer(latest["access_token"])).json()) == 2


def test_connections_without_a_token_is_401(simulator: Simulator) -> None:
    # When /connections is called without a bearer token, then Xero answers 401
    party = register(simulator)
    assert party.http.get("/connections").status_code == 401


def test_connections_lists_only_the_users_own_connections(simulator: Simulator) -> None:
    # Given two users of one app, each connected to their own organisation
    party = register(simulator)
    neighbour = register(simulator)
    neighbour.app = party.app
    connect(neighbour)
    # When the first user's token lists connections, then only their organisation is there
    listed = party.http.get("/connections", headers=bearer(connect(party)["access_token"])).json()
    assert [c["tenantId"] for c in listed] == [party.org.organisation_id]


def test_deleting_a_connection_answers_204_and_removes_it(simulator: Simulator) -> None:
    # Given a connection
    party = register(simulator)
    headers = bearer(connect(party)["access_token"])
    connection = party.http.get("/connections", headers=headers).json()[0]
    # When it is deleted by its id
    answer = party.http.delete(f"/connections/{connection['id']}", headers=headers)
    # Then Xero answers 204 and it is no longer listed
    assert answer.status_code == 204
    assert party.http.get("/connections", headers=headers).json() == []


def test_deleting_by_tenant_id_is_404(simulator: Simulator) -> None:
    # Given a connection
    party = register(simulator)
    headers = bearer(connect(party)["access_token"])
    # When the app deletes using the tenant id instead of the connection id
    answer = party.http.delete(f"/connections/{party.org.organisation_id}", headers=headers)
    # Then Xero answers 404 and the connection stays
    assert answer.status_code == 404
    assert len(party.http.get("/connections", headers=headers).json()) == 1


def test_deleting_another_users_connection_is_404(simulator: Simulator) -> None:
    # Given two users of one app, each connected
    party = register(simulator)
    neighbour = register(simulator)
    neighbour.app = party.app
    neighbour_headers = bearer(connect(neighbour)["access_token"])
    neighbours_connection = party.http.get("/connections", headers=neighbour_headers).json()[0]
    # When the first user's token deletes the neighbour's connection, then Xero answers 404
    answer = party.http.delete(
        f"/connections/{neighbours_connection['id']}", headers=bearer(connect(party)["access_token"])
    )
    assert answer.status_code == 404


def test_accounting_calls_for_a_deleted_connection_are_403(simulator: Simulator) -> None:
    # Given a tenant the app can read
    party = register(simulator)
    token = connect(party)["access_token"]
    api = accounting(party, token)
    assert api.get("/Organisation").status_code == 200
    # When the app deletes the connection
    connection = party.http.get("/connections", headers=bearer(token)).json()[0]
    party.http.delete(f"/connections/{connection['id']}", headers=bearer(token))
    # Then calls for that tenant answer 403
    assert api.get("/Organisation").status_code == 403


def test_accounting_calls_after_a_disconnect_from_xeros_side_are_403(simulator: Simulator) -> None:
    # Given a tenant the app can read
    party = register(simulator)
    api = accounting(party, connect(party)["access_token"])
    assert api.get("/Organisation").status_code == 200
    # When the user removes the app in Xero (Settings > Connected apps)
    (connection,) = simulator.world.connections_of(party.app.client_id, party.user.user_id)
    disconnect(simulator, connection.id)
    # Then calls for that tenant answer 403
    assert api.get("/Organisation").status_code == 403


def test_deleting_one_connection_leaves_the_other_tenant_readable(simulator: Simulator) -> None:
    # Given a token for two connected organisations
    party = register(simulator, organisations=2)
    token = connect(party)["access_token"]
    first, second = party.orgs
    listed = party.http.get("/connections", headers=bearer(token)).json()
    first_connection = next(c for c in listed if c["tenantId"] == first.organisation_id)
    # When the first is deleted
    party.http.delete(f"/connections/{first_connection['id']}", headers=bearer(token))
    # Then the same token still reads the second
    assert accounting(party, token, second.organisation_id).get("/Organisation").status_code == 200
