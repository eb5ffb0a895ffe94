"""POST /v1/tenants/{tenant_id}/connect-sessions: a hosted authorise URL, single use, 15 minutes,
bound to the tenant and to a return URL on the allow-list."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.unit.api.api_world import PUBLIC_BASE_URL, RETURN_URL, ApiWorld


def session_id_of(authorize_url: str) -> str:
    return parse_qs(urlsplit(authorize_url).query)["session"][0]


def test_authorise_url_is_the_hosted_page_on_the_public_base_url(world: ApiWorld) -> None:
    # Given a tenant
    tenant_id = world.tenant()
    # When the platform creates a connect session
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/connect-sessions", body={"return_url": RETURN_URL})
    # Then it gets the hosted authorise URL with the session in it
    assert answer.status == 201
    assert answer.body["authorize_url"].startswith(f"{PUBLIC_BASE_URL}/oauth/authorize?session=")


def test_session_expires_15_minutes_after_creation(world: ApiWorld) -> None:
    # When a connect session is created at 09:00
    answer = world.call("POST", f"/v1/tenants/{world.tenant()}/connect-sessions", body={"return_url": RETURN_URL})
    # Then it expires at 09:15
    assert answer.body["expires_at"] == "2026-01-05T09:15:00Z"


def test_session_is_stored_bound_to_the_tenant_and_the_return_url(world: ApiWorld) -> None:
    # Given a tenant
    tenant_id = world.tenant()
    # When a connect session is created for it
    answer = world.call("POST", f"/v1/tenants/{tenant_id}/connect-sessions", body={"return_url": RETURN_URL})
    # Then the session the URL names belongs to that tenant and return URL
    session = world.state.connect_sessions.take(session_id_of(answer.body["authorize_url"]), world.clock.now())
    assert session is not None
    assert (session.tenant_id, session.return_url) == (tenant_id, RETURN_URL)


def test_each_session_has_a_new_unguessable_id(world: ApiWorld) -> None:
    # Given a tenant
    path = f"/v1/tenants/{world.tenant()}/connect-sessions"
    # When two sessions are created
    first = session_id_of(world.call("POST", path, body={"return_url": RETURN_URL}).body["authorize_url"])
    second = session_id_of(world.call("POST", path, body={"return_url": RETURN_URL}).body["authorize_url"])
    # Then their ids differ and are long random strings (32 bytes of token_urlsafe)
    assert first != second
    assert len(first) >= 43


def test_return_url_off_the_allow_list_is_refused_with_the_allowed_prefixes(world: ApiWorld) -> None:
    # When the return URL is on a host the operator did not allow
    answer = world.call(
        "POST", f"/v1/tenants/{world.tenant()}/connect-sessions", body={"return_url": "https://evil.example.net/"}
    )
    # Then it is refused, saying which prefixes are allowed
    assert answer.status == 422
    [error] = answer.body["errors"]
    assert error["field"] == "body.return_url"
    assert error["problem"] == "return_url_not_allowed"
    assert "https://platform.example.com/xero/" in error["message"]


@pytest.mark.parametrize(
    "lookalike",
    [
        "https://platform.example.com.evil.net/xero/return",
        "https://platform.example.com@evil.net/xero/return",
        "http://platform.example.com/xero/return",
        "https://platform.example.com/xero-evil/return",
    ],
)
def test_lookalike_of_an_allowed_prefix_is_refused(world: ApiWorld, lookalike: str) -> None:
    # When the return URL only looks like an allowed one
    answer = world.call("POST", f"/v1/tenants/{world.tenant()}/connect-sessions", body={"return_url": lookalike})
    # Then it is refused
    assert answer.status == 422


def test_session_for_an_unknown_tenant_is_a_404(world: ApiWorld) -> None:
    # When a session is asked for a tenant that does not exist
    answer = world.call("POST", f"/v1/tenants/{uuid.uuid4()}/connect-sessions", body={"return_url": RETURN_URL})
    # Then the answer is 404
    assert answer.status == 404


def test_session_without_a_return_url_is_refused(world: ApiWorld) -> None:
    # When the body has no return URL
    answer = world.call("POST", f"/v1/tenants/{world.tenant()}/connect-sessions", body={})
    # Then it is refused, naming the field
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.return_url"
