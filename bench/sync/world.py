"""The benchmark's world: Xero simulated in process with its real limits on a fast clock, tenants
connected through its OAuth flow, and the real push composed as the sync worker composes it.

What is real: the simulator (xero_simulator, served over HTTP on loopback, enforcing 5 concurrent,
60 a minute and 5,000 a day per tenant and 10,000 a minute per app), the OAuth flow
(shared/usecases/oauth_flow.py: the hosted authorise URL, Xero's sign-in and consent pages, the
code exchange, GET /connections), the token custodian over HttpXeroIdentity, the push
(shared/usecases/push/), RateBudgetedXero over HttpXeroAccounting and the rate budget's rules.
What is in memory instead of AWS: the record store, settings and schedule, the connections, the
token vault, the app's secrets, the event bus and the rate budget (MemoryRateBudget keeps the same
rules as the DynamoDB one; only it answers fast enough for a clock running many times faster than
wall time, see tests/integration/test_rate_budget_against_simulator.py).

xero-sync's clock is the simulator's clock, so Xero's minute windows, the budget's and the
driver's waits all run on the same simulated time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

import httpx

from bench.sync.call_log import CallLog
from functions.oauth_callback.settings import DEFAULT_SCOPES
from local_stack.browser import Browser
from shared.adapters.xero_accounting_http import HttpXeroAccounting
from shared.adapters.xero_identity_http import HttpXeroIdentity
from shared.domain.oauth import CONNECT_SESSION_LIFETIME, ConnectSession
from shared.domain.rate_limits import Limits
from shared.domain.sync_settings import TenantSyncSettings
from shared.fakes.memory_app_secrets import MemoryAppSecrets
from shared.fakes.memory_event_bus import MemoryEventBus
from shared.fakes.memory_rate_budget import MemoryRateBudget
from shared.fakes.memory_records import MemoryRecords
from shared.fakes.memory_state import MemoryState
from shared.fakes.memory_token_vault import MemoryTokenVault
from shared.settings import XeroEndpoints
from shared.usecases.oauth_flow import OAuthClientSettings, OAuthFlow, ReturnToPlatform
from shared.usecases.push.run import SyncPush
from shared.usecases.rate_budgeted_xero import RateBudgetedXero
from shared.usecases.token_custody import TokenCustodian
from xero_simulator.builders import create_app, create_organisation, create_user
from xero_simulator.clock import SimClock
from xero_simulator.server import Simulator, SimulatorServer
from xero_simulator.world import Organisation

REDIRECT_URI = "https://xero-sync.bench.invalid/oauth/callback"
RETURN_URL = "https://platform.bench.invalid/xero/connected"
# A call reaches the simulator within ~0.1 s of wall time of its permit (loopback, but the tenants'
# threads and the simulator's share one GIL); the budget's arrival margin is that, in Xero's time.
ARRIVAL_WALL_SECONDS = 0.1


class ConnectFailedError(Exception):
    """A tenant did not end connected: the OAuth flow went somewhere unexpected."""


@dataclass(frozen=True)
class ConnectedTenant:
    tenant_id: str
    xero_tenant_id: str


class SyncWorld:
    """One scenario's world; use it as a context manager (the simulator is served while inside).

    `scale` is how many simulated seconds pass in a second of wall time."""

    def __init__(self, scale: float) -> None:
        # Xero's real limits are the simulator's defaults (xero_simulator/rate_limits.py). Not strict:
        # checking every answer against Xero's OpenAPI spec is a test's guard, and its cost would pass
        # as simulated time; requests are still checked against the spec, as Xero does.
        self.simulator = Simulator(SimClock(scale=scale), strict=False)
        self.calls = CallLog(self.clock)
        self.simulator.counters = self.calls
        self._server = SimulatorServer(self.simulator)
        base_url = self._server.base_url
        self.endpoints = XeroEndpoints(login_url=base_url, identity_url=base_url, api_url=base_url)
        app = create_app(self.simulator.world, "xero-sync benchmark", [REDIRECT_URI])
        self.app_secrets = MemoryAppSecrets(app.client_id, app.client_secret, "bench-webhook-key")
        # One pool for every tenant's thread; generous timeouts, as ten threads share one interpreter.
        self._http = httpx.Client(timeout=httpx.Timeout(connect=3.0, read=30.0, write=5.0, pool=30.0))
        self.identity = HttpXeroIdentity(self.endpoints, self.app_secrets, self._http)
        self.budget = MemoryRateBudget(Limits(arrival_margin=ARRIVAL_WALL_SECONDS * scale))
        self.records = MemoryRecords()
        self.state = MemoryState()
        self.vault = MemoryTokenVault()
        self.events = MemoryEventBus()

    @property
    def clock(self) -> SimClock:
        return self.simulator.world.clock

    def __enter__(self) -> SyncWorld:
        self._server.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._http.close()
        self._server.stop()

    def organisation(self, xero_tenant_id: str) -> Organisation:
        org = self.simulator.world.organisation(xero_tenant_id)
        if org is None:
            raise KeyError(f"the simulator has no organisation {xero_tenant_id}")
        return org

    def connect(self, tenant_id: str, settings: TenantSyncSettings) -> ConnectedTenant:
        """A Xero user with a new AU organisation connects it for `tenant_id` through the hosted
        authorise URL, as a browser would; the tenant's sync settings are stored."""
        world = self.simulator.world
        user = create_user(world, f"owner@{tenant_id}.example")
        org = create_organisation(world, f"{tenant_id} Pty Ltd", "AU", [user])
        session = ConnectSession(
            session_id=secrets.token_urlsafe(32),
            tenant_id=tenant_id,
            return_url=RETURN_URL,
            expires_at=self.clock.now() + CONNECT_SESSION_LIFETIME,
        )
        self.state.connect_sessions.put(session)
        flow = self._oauth_flow()
        to_xero = flow.start_authorise(session.session_id)
        state, code = _consent(to_xero.location, user.email, org.organisation_id)
        back = flow.complete_callback(state, code, None)
        connection = self.state.connections.get(tenant_id)
        if not isinstance(back, ReturnToPlatform) or connection is None or connection.xero_tenant_id is None:
            raise ConnectFailedError(f"{tenant_id} did not connect: {back}")
        self.records.settings.put(tenant_id, settings, self.clock.now())
        return ConnectedTenant(tenant_id, connection.xero_tenant_id)

    def push(self) -> SyncPush:
        """The push as the sync worker composes it, over this world's stores and the simulator."""
        xero = RateBudgetedXero(
            HttpXeroAccounting(self.endpoints, self._http), self.budget, self.clock, self.events, self.state.connections
        )
        custodian = TokenCustodian(
            self.state.connections, self.vault, self.identity, self.events, self.clock, "bench-sync-worker"
        )
        return SyncPush(
            records=self.records.store,
            settings=self.records.settings,
            schedule=self.records.schedule,
            connections=self.state.connections,
            custodian=custodian,
            xero=xero,
            events=self.events,
            clock=self.clock,
        )

    def _oauth_flow(self) -> OAuthFlow:
        settings = OAuthClientSettings(
            login_url=self.endpoints.login_url,
            redirect_uri=REDIRECT_URI,
            scopes=DEFAULT_SCOPES,
            return_url_allowlist=(RETURN_URL,),
        )
        return OAuthFlow(
            settings=settings,
            sessions=self.state.connect_sessions,
            states=self.state.oauth_states,
            connections=self.state.connections,
            vault=self.vault,
            identity=self.identity,
            app_secrets=self.app_secrets,
            events=self.events,
            clock=self.clock,
        )


def _consent(authorize_url: str, email: str, xero_tenant_id: str) -> tuple[str, str]:
    """Sign in to the simulated Xero and allow the organisation; the state and code Xero sends back."""
    browser = Browser()
    # Xero's last answer redirects to our callback, which is not served here: read it, do not follow it.
    browser.http.follow_redirects = False
    try:
        sign_in = browser.open(authorize_url)
        consent = browser.submit(sign_in, "sign-in-form", [("email", email)])
        answer = browser.submit(consent, "consent-form", [("tenant", xero_tenant_id), ("decision", "allow")])
    finally:
        browser.close()
    query = parse_qs(urlsplit(answer.headers.get("location", "")).query)
    if "code" not in query or "state" not in query:
        raise ConnectFailedError(f"Xero's consent did not send a code back ({answer.status_code})")
    return query["state"][0], query["code"][0]
