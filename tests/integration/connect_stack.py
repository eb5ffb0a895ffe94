"""The OAuth callback function against moto and the real Xero simulator, driven as a browser would.

`ConnectStack` registers a Xero app at the simulator whose redirect URI is PUBLIC_BASE_URL +
/oauth/callback, fills the stage's app secret with its credentials, composes the function's real
adapters from its settings, and plays the tenant's browser: API Gateway HTTP API events to the
handler for our routes, httpx to the simulator's sign-in and consent forms in between.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import httpx
import pytest

from functions.oauth_callback.dependencies import OAuthCallbackDependencies, compose
from functions.oauth_callback.handler import lambda_handler
from functions.oauth_callback.settings import OAuthCallbackSettings
from local_stack.event_capture import captured_events
from shared.adapters.dynamodb_state import DynamoDbState
from shared.domain.connections import Connection
from shared.usecases.connect_sessions import create_connect_session
from shared.usecases.tenants import create_tenant
from tests.events import LocalLambdaContext, http_api_event
from tests.integration.conftest import Stage
from tests.simulator.identity_flow import Party, decide, sign_in
from tests.unit.connect_fakes import Answer
from xero_simulator.builders import create_app, create_organisation, create_user
from xero_simulator.server import Simulator

PUBLIC_BASE_URL = "http://localhost:8780"
CALLBACK_PATH = "/oauth/callback"
RETURN_URL = "http://localhost:8780/_platform/return?platform=demo"
ALLOWLIST = "http://localhost:8780/_platform/return"


@dataclass
class ConnectStack:
    sim: Simulator
    stage: Stage
    party: Party
    deps: OAuthCallbackDependencies
    state: DynamoDbState

    @classmethod
    def build(
        cls,
        sim: Simulator,
        stage: Stage,
        monkeypatch: pytest.MonkeyPatch,
        *,
        organisations: int = 1,
        client_secret: str | None = None,
    ) -> ConnectStack:
        """An app, a user with `organisations` organisations, and the function's real dependencies.

        `client_secret` overrides the secret the operator put in the app secret (a misconfiguration).
        """
        app = create_app(sim.world, "xero-sync integration", [PUBLIC_BASE_URL + CALLBACK_PATH])
        user = create_user(sim.world, f"owner-{secrets.token_hex(3)}@example.com", "Olive", "Owner")
        orgs = [create_organisation(sim.world, f"Company {n}", "AU", [user]) for n in range(1, organisations + 1)]
        http = httpx.Client(base_url=sim.base_url, follow_redirects=False, timeout=10)
        boto3.client("secretsmanager").put_secret_value(
            SecretId=stage.names.xero_app_secret,
            SecretString=json.dumps({"client_id": app.client_id, "client_secret": client_secret or app.client_secret}),
        )
        for name, value in {
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "RETURN_URL_ALLOWLIST": ALLOWLIST,
            "XERO_LOGIN_URL": sim.base_url,
            "XERO_IDENTITY_URL": sim.base_url,
            "XERO_API_URL": sim.base_url,
        }.items():
            monkeypatch.setenv(name, value)
        deps = compose(OAuthCallbackSettings())
        state = DynamoDbState.for_table(stage.names.state_table)
        return cls(sim, stage, Party(sim, app, user, orgs, http), deps, state)

    # -- the platform ------------------------------------------------------------------------------

    def hosted_authorise_url(self) -> tuple[str, str]:
        """A tenant and its hosted authorise URL, as the platform API creates them."""
        now = datetime.now(UTC)  # the function's clock is the system's, not the simulator's
        tenant = create_tenant(self.state.tenants, "Bayside Plumbing", None, now)
        issued = create_connect_session(
            self.state.tenants,
            self.state.connect_sessions,
            tenant.tenant_id,
            RETURN_URL,
            allowlist=(ALLOWLIST,),
            public_base_url=PUBLIC_BASE_URL,
            now=now,
        )
        return tenant.tenant_id, issued.authorize_url

    # -- the browser -------------------------------------------------------------------------------

    def call(self, method: str, url: str, form: dict[str, str] | None = None) -> Answer:
        """One request to our function through a real-shaped API Gateway event."""
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == PUBLIC_BASE_URL, url
        body = urlencode(form) if form is not None else None
        headers = {"content-type": "application/x-www-form-urlencoded"} if form is not None else {}
        event = http_api_event(method, parts.path, query=parts.query, headers=headers, body=body)
        raw: dict[str, Any] = lambda_handler(event, LocalLambdaContext("oauth-callback"), deps=self.deps)
        return Answer(raw)

    def to_xero(self, authorise_url: str) -> Answer:
        answer = self.call("GET", authorise_url)
        assert answer.status == 302, answer.body
        assert answer.location.startswith(self.sim.base_url)
        return answer

    def consent_page(self, to_xero: Answer) -> httpx.Response:
        """Follow our redirect to the simulator and sign in: Xero's consent page."""
        page = self.party.http.get(to_xero.location)
        assert page.status_code == 200, page.text
        consent = sign_in(self.party, page)
        assert consent.status_code == 200, consent.text
        return consent

    def decide(self, consent: httpx.Response, decision: str, organisations: list[str] | None = None) -> str:
        """Allow or deny at the simulator: the URL it redirects the browser to (our callback)."""
        tenants = organisations if organisations is not None else [o.organisation_id for o in self.party.orgs]
        answer = decide(self.party, consent, decision, tenants)
        assert answer.status_code == 302, answer.text
        location = answer.headers["location"]
        assert location.startswith(PUBLIC_BASE_URL + CALLBACK_PATH), location
        return location

    def consent_to_callback(self, organisations: list[str] | None = None) -> tuple[str, str]:
        """A tenant's connect up to Xero's redirect: the tenant id and the callback URL."""
        tenant_id, url = self.hosted_authorise_url()
        return tenant_id, self.decide(self.consent_page(self.to_xero(url)), "allow", organisations)

    def pick(self, picker: Answer, xero_tenant_id: str) -> Answer:
        page = picker.page()
        assert xero_tenant_id in page.radios
        return self.call("POST", page.form_action, {**page.hidden, "organisation": xero_tenant_id})

    # -- what was stored ---------------------------------------------------------------------------

    def token_secret(self, tenant_id: str) -> dict[str, Any] | None:
        client = boto3.client("secretsmanager")
        try:
            value = client.get_secret_value(SecretId=self.stage.names.token_secret(tenant_id))
        except client.exceptions.ResourceNotFoundException:
            return None
        stored: dict[str, Any] = json.loads(value["SecretString"])
        return stored

    def secret_key_id(self, tenant_id: str) -> str:
        described = boto3.client("secretsmanager").describe_secret(SecretId=self.stage.names.token_secret(tenant_id))
        return str(described["KmsKeyId"])

    def connection(self, tenant_id: str) -> Connection | None:
        return self.state.connections.get(tenant_id)

    def events(self) -> list[dict[str, Any]]:
        return captured_events(self.stage.names)

    def connections_at_xero(self, access_token: str) -> list[dict[str, Any]]:
        answer = self.party.http.get("/connections", headers={"Authorization": f"Bearer {access_token}"})
        assert answer.status_code == 200, answer.text
        rows: list[dict[str, Any]] = answer.json()
        return rows

    def verifier_of(self, callback_url: str) -> str:
        """The PKCE verifier behind a callback's state (taken and put back)."""
        state = parse_qs(urlsplit(callback_url).query)["state"][0]
        stored = self.state.oauth_states.take(state, datetime.now(UTC))
        assert stored is not None
        self.state.oauth_states.put(stored)
        return stored.code_verifier.get_secret_value()
