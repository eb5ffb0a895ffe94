"""Token custody over in-memory ports and a scripted Xero identity, for the unit tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.platform_events import EventType, PlatformEvent
from shared.domain.tokens import TokenSet
from shared.fakes.clock import SettableClock
from shared.fakes.memory_event_bus import MemoryEventBus
from shared.fakes.memory_state import MemoryConnectionRepository
from shared.fakes.memory_token_vault import MemoryTokenVault
from shared.fakes.scripted_xero_identity import ScriptedXeroIdentity
from shared.usecases.token_custody import TokenCustodian

TENANT = "tenant-7f3a"
XERO_TENANT = "2f4c0d5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
OTHER_XERO_TENANT = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
ORGANISATION = "Demo Company (AU)"


@dataclass
class Pauses:
    """A sleeper that returns at once and remembers how long it was asked to wait."""

    asked: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)


@dataclass
class CustodyWorld:
    clock: SettableClock = field(default_factory=SettableClock)
    connections: MemoryConnectionRepository = field(default_factory=MemoryConnectionRepository)
    vault: MemoryTokenVault = field(default_factory=MemoryTokenVault)
    events: MemoryEventBus = field(default_factory=MemoryEventBus)
    pauses: Pauses = field(default_factory=Pauses)
    latency: float = 0.0  # seconds "Xero" takes to answer, to widen races between threads
    identity: ScriptedXeroIdentity = field(init=False)

    def __post_init__(self) -> None:
        self.identity = ScriptedXeroIdentity(self.clock, latency=self.latency)

    def connect(self, *, also: tuple[str, ...] = ()) -> TokenSet:
        """The tenant connected XERO_TENANT (plus `also`) just now: tokens in the vault, version 1."""
        grant = self.identity.grant([(XERO_TENANT, ORGANISATION), *((t, f"Org {t[:4]}") for t in also)])
        assert grant.refresh_token is not None
        now = self.clock.now()
        tokens = TokenSet(
            access_token=grant.access_token,
            refresh_token=grant.refresh_token,
            expires_at=now + timedelta(seconds=grant.expires_in),
            scopes=grant.scopes,
            version=1,
        )
        self.vault.write(TENANT, tokens)
        self.connections.put(
            Connection(
                tenant_id=TENANT,
                status=ConnectionStatus.CONNECTED,
                xero_tenant_id=XERO_TENANT,
                xero_connection_id="conn-1",
                organisation_name=ORGANISATION,
                scopes=grant.scopes,
                connected_since=now,
                token_version=1,
                access_expires_at=tokens.expires_at,
                refresh_token_issued_at=now,
                updated_at=now,
            )
        )
        return tokens

    def custodian(self, owner_id: str = "worker-1", *, real_sleep: bool = False) -> TokenCustodian:
        if real_sleep:
            return TokenCustodian(self.connections, self.vault, self.identity, self.events, self.clock, owner_id)
        return TokenCustodian(
            self.connections, self.vault, self.identity, self.events, self.clock, owner_id, sleep=self.pauses
        )

    def connection(self) -> Connection:
        found = self.connections.get(TENANT)
        assert found is not None
        return found

    def stored(self) -> TokenSet:
        found = self.vault.read(TENANT)
        assert found is not None
        return found

    def needs_reauth_events(self) -> list[PlatformEvent]:
        return self.events.of_type(EventType.CONNECTION_NEEDS_REAUTH)
