"""The platform API over in-memory ports, a scripted Xero and a settable clock, called with real-shaped
API Gateway HTTP API events (tests/events.py) through the deployed lambda_handler."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from functions.api.dependencies import ApiDependencies
from functions.api.handler import lambda_handler
from functions.api.settings import ApiSettings
from shared.domain.connections import Connection
from shared.domain.ledger import Outcome, StoredRecord
from shared.domain.records import Entity
from shared.domain.tenants import Tenant
from shared.domain.tokens import TokenSet
from shared.fakes.clock import SettableClock
from shared.fakes.memory_event_bus import MemoryEventBus
from shared.fakes.memory_reconciliation import MemoryReconcileStates
from shared.fakes.memory_records import MemoryRecords
from shared.fakes.memory_state import MemoryState
from shared.fakes.memory_token_vault import MemoryTokenVault
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.fakes.scripted_xero_identity import DEFAULT_SCOPES, ScriptedXeroIdentity
from shared.usecases.api_keys import create_api_key
from shared.usecases.token_custody import TokenCustodian
from tests.connected_records import connected_record
from tests.events import LocalLambdaContext, http_api_event
from tests.unit.api.scripted_accounting import ScriptedXeroAccounting
from tests.unit.api.settling_exporter import SettlingExporter

PUBLIC_BASE_URL = "https://sync.example.com"
RETURN_URL = "https://platform.example.com/xero/return"
ALLOWLIST = "https://platform.example.com/xero/,http://127.0.0.1:8780/_platform/return"
XERO_TENANT = "2f4c0d5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
ORGANISATION = "Demo Company (AU)"
NO_KEY = ""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def body(self) -> Any:
        return json.loads(self.text)


class ApiWorld:
    """Everything the API touches, in memory; `key` is a valid API key."""

    def __init__(self) -> None:
        self.clock = SettableClock()
        self.state = MemoryState()
        self.vault = MemoryTokenVault()
        self.events = MemoryEventBus()
        self.identity = ScriptedXeroIdentity(self.clock)
        self.accounting = ScriptedXeroAccounting(self.identity)
        self.records = MemoryRecords()
        self.reconcile_states = MemoryReconcileStates()
        self.queue = MemoryWorkQueue(self.clock)
        self.exporter = SettlingExporter(self.records.store, self.clock)
        self.settings = ApiSettings(PUBLIC_BASE_URL=PUBLIC_BASE_URL, RETURN_URL_ALLOWLIST=ALLOWLIST)
        self.key = create_api_key(self.state.api_keys, "platform backend", self.clock.now()).key
        self.deps = ApiDependencies(
            settings=self.settings,
            clock=self.clock,
            tenants=self.state.tenants,
            connections=self.state.connections,
            connect_sessions=self.state.connect_sessions,
            api_keys=self.state.api_keys,
            vault=self.vault,
            identity=self.identity,
            accounting=self.accounting,
            custodian=TokenCustodian(
                self.state.connections, self.vault, self.identity, self.events, self.clock, "api", sleep=_no_wait
            ),
            events=self.events,
            records=self.records.store,
            sync_settings=self.records.settings,
            work_queue=self.queue,
            exporter=self.exporter,
            reconcile_states=self.reconcile_states,
        )

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw_body: str | None = None,
        query: str = "",
        key: str | None = None,
        content_type: str = "application/json",
    ) -> Answer:
        """Send one request through lambda_handler; `key` defaults to the valid key (NO_KEY sends none)."""
        headers = {"content-type": content_type, "user-agent": "platform-backend/1.0"}
        presented = self.key if key is None else key
        if presented:
            headers["x-api-key"] = presented
        payload = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
        event = http_api_event(method, path, query=query, headers=headers, body=payload)
        answer = lambda_handler(event, LocalLambdaContext("xero-sync-api"), deps=self.deps)
        return Answer(answer["statusCode"], answer.get("headers", {}), answer.get("body", ""))

    def put_record(self, tenant_id: str, entity: str, platform_id: str, body: Any) -> Answer:
        """PUT one record through the API."""
        return self.call("PUT", f"/v1/tenants/{tenant_id}/records/{entity}/{platform_id}", body=body)

    def settle(self, tenant_id: str, entity: Entity, platform_id: str, outcome: Outcome) -> StoredRecord:
        """The sync worker's verdict on the record's current version, as if Xero had just answered."""
        record = self.records.store.get(tenant_id, entity, platform_id)
        assert record is not None
        settled = self.records.store.settle(
            tenant_id, entity, platform_id, record.version, outcome, now=self.clock.now()
        )
        assert settled is not None
        return settled

    def sync_requests(self) -> list[tuple[str, dict[str, Any]]]:
        """Every SyncRequest the work queue delivered, as (message group, JSON body), in order."""
        return [(message.group_id, json.loads(message.body)) for message in self.queue.messages]

    def tenant(self, name: str = "Acme Plumbing") -> str:
        """A tenant created just now; its id."""
        tenant = Tenant(tenant_id=str(uuid.uuid4()), name=name, created_at=self.clock.now())
        self.state.tenants.create(tenant)
        return tenant.tenant_id

    def connect(
        self,
        tenant_id: str,
        *,
        scopes: tuple[str, ...] = DEFAULT_SCOPES,
        organisations: tuple[tuple[str, str], ...] = ((XERO_TENANT, ORGANISATION),),
    ) -> TokenSet:
        """The tenant connected the first of `organisations` just now (the grant covers all of them),
        as the OAuth callback leaves it: tokens in the vault, the connection CONNECTED."""
        grant = self.identity.grant(list(organisations), scopes)
        for xero_tenant_id, name in organisations:
            self.accounting.names[xero_tenant_id] = name
        access_token = grant.access_token.get_secret_value()
        row = next(r for r in self.identity.connections(access_token) if r.tenant_id == organisations[0][0])
        now = self.clock.now()
        tokens = TokenSet(
            access_token=grant.access_token,
            # Without offline_access Xero issues no refresh token; the vault's model needs one, so the
            # access token stands in (that connection's test never gets as far as refreshing).
            refresh_token=grant.refresh_token or grant.access_token,
            expires_at=now + timedelta(seconds=grant.expires_in),
            scopes=grant.scopes,
        )
        self.vault.write(tenant_id, tokens)
        self.state.connections.put(connected_record(tenant_id, row, tokens, now, grant.authentication_event_id))
        return tokens

    def connection(self, tenant_id: str) -> Connection:
        found = self.state.connections.get(tenant_id)
        assert found is not None
        return found


def _no_wait(_: float) -> None:
    return None
