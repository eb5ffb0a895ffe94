"""Driving the simulator's OAuth 2.0 flow over HTTP, as a script or the platform's OAuth callback would.

Shared by the test_identity_* modules: registering an app, a user and organisations; reading the
sign-in and consent forms' hidden fields and posting them back; exchanging and refreshing tokens.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx

from xero_simulator.builders import create_app, create_organisation, create_user
from xero_simulator.server import Simulator
from xero_simulator.world import App, AppKind, Organisation, User

REDIRECT_URI = "http://localhost/callback"
STATE = "state-5d1c"
OFFLINE_SCOPES = ("openid", "profile", "email", "offline_access", "accounting.settings", "accounting.transactions")
GRANULAR_SCOPES = ("offline_access", "accounting.settings", "accounting.invoices")


@dataclass
class Party:
    """An app, a user and the user's organisations, plus an httpx client at the simulator's root."""

    sim: Simulator
    app: App
    user: User
    orgs: list[Organisation]
    http: httpx.Client

    @property
    def org(self) -> Organisation:
        return self.orgs[0]


def register(
    sim: Simulator, *, kind: AppKind = AppKind.WEB, granular_only: bool = False, organisations: int = 1
) -> Party:
    app = create_app(sim.world, "Acme Sync", [REDIRECT_URI], kind=kind, granular_only=granular_only)
    user = create_user(sim.world, f"owner-{secrets.token_hex(3)}@example.com", "Olive", "Owner")
    orgs = [create_organisation(sim.world, f"Demo Company {n}", "AU", [user]) for n in range(1, organisations + 1)]
    http = httpx.Client(base_url=sim.base_url, follow_redirects=False, timeout=10)
    return Party(sim, app, user, orgs, http)


@dataclass
class Form:
    """A form on a page: its action and the fields a browser would submit without any user input."""

    action: str = ""
    hidden: list[tuple[str, str]] = field(default_factory=list)


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, Form] = {}
        self.ids: set[str] = set()
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "form":
            self._current = self.forms.setdefault(found.get("id", ""), Form(action=found.get("action", "")))
        elif tag == "input" and found.get("type") == "hidden" and self._current is not None:
            self._current.hidden.append((found["name"], found.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def read_page(html: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(html)
    return reader


def authorize_params(app: App, scopes: tuple[str, ...] | list[str], **extra: str) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": " ".join(scopes),
        "state": STATE,
        **extra,
    }


def open_authorize(party: Party, params: dict[str, str]) -> httpx.Response:
    return party.http.get("/identity/connect/authorize", params=params)


def form_data(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Form fields as httpx sends them, repeated names (ticked checkboxes) included."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def submit(party: Party, page: httpx.Response, form_id: str, fields: list[tuple[str, str]]) -> httpx.Response:
    """Post a form of `page` as a browser would: its hidden fields plus what the user filled in or clicked."""
    form = read_page(page.text).forms[form_id]
    return party.http.post(form.action, data=form_data([*form.hidden, *fields]))


def sign_in(party: Party, page: httpx.Response, email: str | None = None) -> httpx.Response:
    return submit(party, page, "sign-in-form", [("email", email or party.user.email)])


def decide(party: Party, consent: httpx.Response, decision: str, tenant_ids: list[str]) -> httpx.Response:
    return submit(party, consent, "consent-form", [*(("tenant", t) for t in tenant_ids), ("decision", decision)])


def callback_query(answer: httpx.Response) -> dict[str, str]:
    """The query the app's redirect_uri receives from a 302."""
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(REDIRECT_URI), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def consent_to(
    party: Party,
    scopes: tuple[str, ...] | list[str] = OFFLINE_SCOPES,
    tenant_ids: list[str] | None = None,
    **extra: str,
) -> dict[str, str]:
    """Sign in as the party's user and allow the app: the callback query (code and state)."""
    page = open_authorize(party, authorize_params(party.app, scopes, **extra))
    consent = sign_in(party, page)
    tenants = tenant_ids if tenant_ids is not None else [o.organisation_id for o in party.orgs]
    return callback_query(decide(party, consent, "allow", tenants))


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge, computed independently of the simulator's code."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def client_auth(app: App) -> tuple[httpx.Auth, dict[str, str]]:
    """How each kind of app authenticates: Basic for secrets, client_id in the body for PKCE (FACTS.md §1.3)."""
    if app.client_secret is None:
        return httpx.Auth(), {"client_id": app.client_id}  # the base Auth sends no credentials
    return httpx.BasicAuth(app.client_id, app.client_secret), {}


def token_request(party: Party, fields: dict[str, str]) -> httpx.Response:
    auth, body = client_auth(party.app)
    return party.http.post("/connect/token", data={**body, **fields}, auth=auth)


def exchange(
    party: Party, code: str, *, redirect_uri: str = REDIRECT_URI, verifier: str | None = None
) -> httpx.Response:
    fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier is not None:
        fields["code_verifier"] = verifier
    return token_request(party, fields)


def refresh(party: Party, refresh_token: str) -> httpx.Response:
    return token_request(party, {"grant_type": "refresh_token", "refresh_token": refresh_token})


def connect(party: Party, scopes: tuple[str, ...] | list[str] = OFFLINE_SCOPES) -> dict[str, str]:
    """The whole flow for a web app: consent, exchange; the token response."""
    answer = exchange(party, consent_to(party, scopes)["code"])
    assert answer.status_code == 200, answer.text
    tokens: dict[str, str] = answer.json()
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def accounting(party: Party, token: str, tenant_id: str | None = None) -> httpx.Client:
    """An Accounting API client for this token and tenant (the party's first organisation by default)."""
    return httpx.Client(
        base_url=f"{party.sim.base_url}/api.xro/2.0",
        headers={
            **bearer(token),
            "xero-tenant-id": tenant_id or party.org.organisation_id,
            "Accept": "application/json",
        },
        timeout=10,
    )
