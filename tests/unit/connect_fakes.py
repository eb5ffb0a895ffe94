"""The OAuth callback function over fakes: the tenant's browser, "Xero" and the stores, in one place.

`ConnectWorld` composes the function with in-memory ports and a scripted Xero identity service, and
plays the browser: it opens the hosted authorise URL, consents at "Xero", and brings Xero's
redirect back to the callback, each through the real handler with API Gateway HTTP API events.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from functions.oauth_callback.dependencies import OAuthCallbackDependencies
from functions.oauth_callback.handler import lambda_handler
from functions.oauth_callback.responses import Responses
from shared.domain.oauth import CONNECT_SESSION_LIFETIME, ConnectSession
from shared.fakes.clock import SettableClock
from shared.fakes.memory_app_secrets import MemoryAppSecrets
from shared.fakes.memory_event_bus import MemoryEventBus
from shared.fakes.memory_state import MemoryState
from shared.fakes.memory_token_vault import MemoryTokenVault
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.fakes.scripted_xero_identity import ScriptedXeroIdentity
from shared.observability import SERVICE, logger
from shared.usecases.oauth_flow import OAuthClientSettings, OAuthFlow
from tests.events import LocalLambdaContext, http_api_event

PUBLIC_BASE_URL = "https://connect.xero-sync.test"
REDIRECT_URI = f"{PUBLIC_BASE_URL}/oauth/callback"
PICK_URL = f"{PUBLIC_BASE_URL}/oauth/pick"
LOGIN_URL = "https://login.xero.test"
RETURN_URL = "https://platform.test/settings/xero?from=connect"
ALLOWLIST = ("https://platform.test/settings/",)
SCOPES = ("openid", "offline_access", "accounting.settings", "accounting.transactions")
TENANT = "tenant-7f3a"
ORG_A = ("2f2a6c1e-4d0c-4d3b-8f87-7b0e1a1c0a01", "Demo Company (AU)")
ORG_B = ("9b0d2d1c-6a3e-4f55-9c1d-5e2f3a4b0b02", "Bayside Plumbing")


@dataclass
class Answer:
    """A function response, read as a browser would."""

    raw: dict[str, Any]

    @property
    def status(self) -> int:
        return int(self.raw["statusCode"])

    @property
    def headers(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.raw.get("headers", {}).items()}

    @property
    def location(self) -> str:
        return self.headers["location"]

    @property
    def query(self) -> dict[str, str]:
        """The query of the redirect's Location."""
        return {k: v[0] for k, v in parse_qs(urlsplit(self.location).query).items()}

    @property
    def body(self) -> str:
        return str(self.raw.get("body", ""))

    def page(self) -> PageReader:
        reader = PageReader()
        reader.feed(self.body)
        return reader


class PageReader(HTMLParser):
    """The ids, form fields and radio values of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hidden: dict[str, str] = {}
        self.radios: list[str] = []
        self.links: list[str] = []
        self.form_action = ""
        self.main_id = ""  # the id of <main>, which names the page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "main":
            self.main_id = found.get("id", "")
        if tag == "form":
            self.form_action = found.get("action", "")
        if tag == "a":
            self.links.append(found.get("href", ""))
        if tag == "input" and found.get("type") == "hidden":
            self.hidden[found["name"]] = found.get("value", "")
        if tag == "input" and found.get("type") == "radio":
            self.radios.append(found.get("value", ""))


@contextmanager
def service_log() -> Iterator[list[str]]:
    """The lines xero-sync's logger writes while the block runs, formatted as in Lambda."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(logger.registered_formatter)
    logging.getLogger(SERVICE).addHandler(handler)
    try:
        yield lines
    finally:
        logging.getLogger(SERVICE).removeHandler(handler)


@dataclass
class ConnectWorld:
    clock: SettableClock = field(default_factory=SettableClock)
    state: MemoryState = field(default_factory=MemoryState)
    vault: MemoryTokenVault = field(default_factory=MemoryTokenVault)
    bus: MemoryEventBus = field(default_factory=MemoryEventBus)
    app_secrets: MemoryAppSecrets = field(default_factory=MemoryAppSecrets)
    work_queue: MemoryWorkQueue = field(default_factory=MemoryWorkQueue)
    allowlist: tuple[str, ...] = ALLOWLIST
    identity: ScriptedXeroIdentity = field(init=False)

    def __post_init__(self) -> None:
        self.identity = ScriptedXeroIdentity(self.clock)

    @property
    def flow(self) -> OAuthFlow:
        return OAuthFlow(
            settings=OAuthClientSettings(
                login_url=LOGIN_URL, redirect_uri=REDIRECT_URI, scopes=SCOPES, return_url_allowlist=self.allowlist
            ),
            sessions=self.state.connect_sessions,
            states=self.state.oauth_states,
            connections=self.state.connections,
            vault=self.vault,
            identity=self.identity,
            app_secrets=self.app_secrets,
            events=self.bus,
            clock=self.clock,
            work_queue=self.work_queue,
        )

    # -- the platform ------------------------------------------------------------------------------

    def connect_session(self, tenant_id: str = TENANT, return_url: str = RETURN_URL) -> str:
        """A connect session as the platform API issues it (shared/usecases/connect_sessions.py)."""
        session_id = secrets.token_urlsafe(16)
        self.state.connect_sessions.put(
            ConnectSession(
                session_id=session_id,
                tenant_id=tenant_id,
                return_url=return_url,
                expires_at=self.clock.now() + CONNECT_SESSION_LIFETIME,
            )
        )
        return session_id

    # -- the browser -------------------------------------------------------------------------------

    def request(self, method: str, path: str, query: dict[str, str] | None = None, form: str | None = None) -> Answer:
        headers = {"content-type": "application/x-www-form-urlencoded"} if form is not None else {}
        event = http_api_event(method, path, query=urlencode(query or {}), headers=headers, body=form)
        deps = OAuthCallbackDependencies(self.flow, Responses.of(PICK_URL, self.allowlist))
        return Answer(lambda_handler(event, LocalLambdaContext("oauth-callback"), deps=deps))

    def open_authorise(self, session_id: str) -> Answer:
        return self.request("GET", "/oauth/authorize", {"session": session_id})

    def consent(
        self, authorise: Answer, organisations: list[tuple[str, str]] | None = None, scopes: tuple[str, ...] = SCOPES
    ) -> dict[str, str]:
        """The user allows the app at "Xero": the query Xero redirects back with (code and state)."""
        sent = authorise.query
        code = self.identity.authorise(
            organisations if organisations is not None else [ORG_A],
            scopes,
            redirect_uri=sent["redirect_uri"],
            code_challenge=sent["code_challenge"],
        )
        return {"code": code, "state": sent["state"]}

    def callback(self, query: dict[str, str]) -> Answer:
        return self.request("GET", "/oauth/callback", query)

    def connect(self, organisations: list[tuple[str, str]] | None = None, tenant_id: str = TENANT) -> Answer:
        """The whole browser flow up to the callback's answer."""
        authorise = self.open_authorise(self.connect_session(tenant_id))
        return self.callback(self.consent(authorise, organisations))

    def pick(self, picker: Answer, organisation: str | None, token: str | None = None) -> Answer:
        fields = {"pick_token": token if token is not None else picker.page().hidden["pick_token"]}
        if organisation is not None:
            fields["organisation"] = organisation
        return self.request("POST", "/oauth/pick", form=urlencode(fields))

    def verifier_of(self, state: str) -> str:
        """The PKCE verifier kept in a state, leaving the state in place."""
        stored = self.state.oauth_states.take(state, self.clock.now())
        assert stored is not None
        self.state.oauth_states.put(stored)
        return stored.code_verifier.get_secret_value()

    def later(self, minutes: float) -> None:
        self.clock.advance(timedelta(minutes=minutes))
