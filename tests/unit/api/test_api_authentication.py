"""Every platform API route requires a valid API key (x-api-key: xsk_<key id>_<secret>)."""

from __future__ import annotations

import logging

import pytest

from shared.observability import SERVICE, logger
from tests.log_audit import CapturingHandler
from tests.unit.api.api_world import NO_KEY, ApiWorld


def test_request_without_api_key_is_refused_with_a_401_problem(world: ApiWorld) -> None:
    # Given a tenant
    tenant_id = world.tenant()
    # When the platform reads it without an API key
    answer = world.call("GET", f"/v1/tenants/{tenant_id}", key=NO_KEY)
    # Then it is refused with a problem body
    assert answer.status == 401
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.body["title"] == "Unauthorized"


def test_key_with_a_wrong_secret_is_refused(world: ApiWorld) -> None:
    # Given the valid key with its secret part changed
    key_id = world.key.split("_")[1]
    # When it is used
    answer = world.call("GET", "/v1/tenants", key=f"xsk_{key_id}_not-the-secret")
    # Then it is refused
    assert answer.status == 401


def test_key_with_an_unknown_key_id_is_refused(world: ApiWorld) -> None:
    # Given the valid key's secret under a key id that was never issued
    secret = world.key.split("_", 2)[2]
    # When it is used
    answer = world.call("GET", "/v1/tenants", key=f"xsk_0000000000000000_{secret}")
    # Then it is refused
    assert answer.status == 401


@pytest.mark.parametrize("malformed", ["Bearer abc", "xsk_", "xsk_onlyid", "xsk__secret", "sk_live_abc"])
def test_malformed_key_is_refused(world: ApiWorld, malformed: str) -> None:
    # When a key that is not of the form xsk_<key id>_<secret> is sent
    answer = world.call("GET", "/v1/tenants", key=malformed)
    # Then it is refused
    assert answer.status == 401


def test_invalid_body_without_a_key_gets_401_not_the_validation_errors(world: ApiWorld) -> None:
    # When an unauthenticated caller sends a body that would fail validation
    answer = world.call("POST", "/v1/tenants", body={"name": ""}, key=NO_KEY)
    # Then it learns only that it must authenticate
    assert answer.status == 401
    assert "errors" not in answer.body


def test_unknown_route_with_a_key_is_a_404_problem(world: ApiWorld) -> None:
    # When an authenticated caller asks for a path the API does not have
    answer = world.call("GET", "/v1/organisations")
    # Then it gets a 404 problem
    assert answer.status == 404
    assert answer.headers["Content-Type"] == "application/problem+json"


def test_unknown_route_without_a_key_is_refused(world: ApiWorld) -> None:
    # When an unauthenticated caller probes for a path
    answer = world.call("GET", "/v1/organisations", key=NO_KEY)
    # Then it is refused before learning whether the path exists
    assert answer.status == 401


def test_api_key_never_appears_in_a_log_line(world: ApiWorld) -> None:
    # Given every log line of the service and of the libraries captured
    service = CapturingHandler(logger.registered_formatter)
    everything = CapturingHandler(logging.Formatter("%(name)s %(message)s %(args)s"))
    logging.getLogger(SERVICE).addHandler(service)
    logging.getLogger().addHandler(everything)
    try:
        # When the platform calls with its key, and with a wrong one
        world.call("POST", "/v1/tenants", body={"name": "Acme"})
        world.call("GET", "/v1/tenants", key=world.key + "x")
    finally:
        logging.getLogger(SERVICE).removeHandler(service)
        logging.getLogger().removeHandler(everything)
    # Then the key's id was logged, and its secret never
    lines = service.lines + everything.lines
    key_id, secret = world.key.split("_", 2)[1:]
    assert any(key_id in line for line in lines)
    assert not [line for line in lines if secret in line]
