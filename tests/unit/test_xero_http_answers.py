"""How the Xero adapters read answers that the simulator cannot produce on demand: transport
failures before and after sending, outages of the identity service, and the token's claims."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from urllib.parse import unquote

import httpx
import pytest

from shared.adapters.xero_identity_http import HttpXeroIdentity, authentication_event_id
from shared.fakes.memory_app_secrets import MemoryAppSecrets
from shared.ports.xero_identity import XeroAnswerLostError, XeroGrantError, XeroUnavailableError
from shared.settings import XeroEndpoints

Answer = Callable[[httpx.Request], httpx.Response]
CLIENT_SECRET = "s3cret"


def identity_answering(answer: Answer, client_secret: str = CLIENT_SECRET) -> HttpXeroIdentity:
    client = httpx.Client(transport=httpx.MockTransport(answer))
    return HttpXeroIdentity(XeroEndpoints(), MemoryAppSecrets("client-1", client_secret), client)


def test_a_failure_to_connect_is_unavailable_and_not_a_lost_answer() -> None:
    # Given Xero cannot be reached at all
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    # When a refresh is attempted, then it is a plain outage: Xero saw nothing
    with pytest.raises(XeroUnavailableError) as raised:
        identity_answering(refuse).refresh("refresh-token")
    assert not isinstance(raised.value, XeroAnswerLostError)


@pytest.mark.parametrize("failure", [httpx.ReadError, httpx.RemoteProtocolError, httpx.ReadTimeout])
def test_a_failure_after_the_request_was_sent_is_a_lost_answer(failure: type[httpx.TransportError]) -> None:
    # Given the connection fails once the request has gone out
    def lose(request: httpx.Request) -> httpx.Response:
        raise failure("the answer never came", request=request)

    # When a refresh is attempted, then the answer is reported lost (Xero may have rotated the token)
    with pytest.raises(XeroAnswerLostError):
        identity_answering(lose).refresh("refresh-token")


@pytest.mark.parametrize(
    "outage",
    [
        httpx.Response(503, text="The Xero API is currently offline for maintenance"),
        httpx.Response(500, json={"error": "server_error"}),
        httpx.Response(429, json={"error": "rate_limited"}),
    ],
)
def test_outages_of_the_token_endpoint_are_unavailable_not_refusals(outage: httpx.Response) -> None:
    # Given the token endpoint answers an outage / When a refresh is attempted / Then it is "try later"
    with pytest.raises(XeroUnavailableError):
        identity_answering(lambda request: outage).refresh("refresh-token")


def test_a_refusal_of_the_token_endpoint_carries_xeros_error_code() -> None:
    # Given the token endpoint refuses with 400 {"error": "invalid_grant"} (FACTS.md §1.5)
    refusal = httpx.Response(400, json={"error": "invalid_grant"})
    # When a refresh is attempted, then the error code is raised as a grant error
    with pytest.raises(XeroGrantError) as refused:
        identity_answering(lambda request: refusal).refresh("refresh-token")
    assert refused.value.error == "invalid_grant"


def test_client_credentials_are_form_encoded_before_the_basic_header_is_built() -> None:
    # Given a client secret with characters that RFC 6749 §2.3.1 requires to be encoded
    seen: list[httpx.Request] = []

    def remember(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"access_token": "a.b.c", "refresh_token": "r", "expires_in": 1800})

    # When a refresh is sent
    identity_answering(remember, client_secret="a:b%c+d").refresh("refresh-token")
    # Then the Basic header decodes, part by part, to the original credentials; the body is a form
    scheme, encoded = seen[0].headers["Authorization"].split(" ")
    client_id, secret = base64.b64decode(encoded).decode().split(":")
    assert (scheme, unquote(client_id), unquote(secret)) == ("Basic", "client-1", "a:b%c+d")
    assert seen[0].headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert seen[0].content == b"grant_type=refresh_token&refresh_token=refresh-token"


def jwt_with(claims: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256'})}.{part(claims)}.not-a-signature"


def test_the_authentication_event_id_is_read_from_the_access_tokens_claims() -> None:
    # Given an access token whose claims name its consent / When it is read / Then the id comes out
    assert authentication_event_id(jwt_with({"authentication_event_id": "event-42", "sub": "u"})) == "event-42"


@pytest.mark.parametrize("token", ["opaque-token", "a.!!!.c", jwt_with({"sub": "u"})])
def test_a_token_without_a_readable_authentication_event_id_gives_none(token: str) -> None:
    # Given a token that is not a JWT, is garbled, or lacks the claim / Then there is no id
    assert authentication_event_id(token) is None
