"""Everything the simulated Xero knows: apps, users, organisations and their records, connections.

One `World` per simulator. Every route runs under `world.lock` (a single re-entrant lock): the
simulator is a test double whose correctness matters more than its throughput, and a coarse lock
makes each API call atomic, as a Xero request is.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from xero_simulator.clock import SimClock
from xero_simulator.issued_secrets import remember


class AppKind(StrEnum):
    WEB = "web"  # confidential client: Basic auth with a client secret
    PKCE = "pkce"  # public client: no secret, code_verifier instead
    CUSTOM_CONNECTION = "custom_connection"  # client_credentials for one organisation


@dataclass
class App:
    client_id: str
    name: str
    kind: AppKind
    client_secret: str | None
    redirect_uris: list[str]
    # Apps created on or after 2 March 2026 may ask only for granular scopes (FACTS.md §1.7).
    granular_only: bool = False
    webhook_key: str = field(default_factory=lambda: remember(secrets.token_urlsafe(48)))
    webhook_url: str | None = None
    custom_connection_tenant_id: str | None = None
    custom_connection_scopes: frozenset[str] = frozenset()


@dataclass
class User:
    user_id: str
    email: str
    first_name: str
    last_name: str
    organisation_ids: list[str]


@dataclass(frozen=True)
class ChangeEvent:
    """A change to a record that Xero announces by webhook (CONTACT, INVOICE, CREDITNOTE)."""

    tenant_id: str
    category: str
    event_type: str  # CREATE or UPDATE
    resource_id: str
    at: datetime
    data: dict[str, Any] | None = None  # CREDITNOTE events carry {Type, Status}


@dataclass
class Organisation:
    organisation_id: str
    name: str
    country_code: str
    base_currency: str
    short_code: str
    created: datetime
    timezone: str
    period_lock_date: date | None = None
    end_of_year_lock_date: date | None = None
    financial_year_end_day: int = 31
    financial_year_end_month: int = 12
    # Collection name as Xero spells it ("Contacts", "Invoices") -> record id -> record.
    collections: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # Number sequences: "INV" -> last used number.
    sequences: dict[str, int] = field(default_factory=dict)
    listeners: list[Callable[[ChangeEvent], None]] = field(default_factory=list, repr=False)

    def records(self, collection: str) -> dict[str, dict[str, Any]]:
        return self.collections.setdefault(collection, {})

    def next_number(self, prefix: str) -> str:
        self.sequences[prefix] = self.sequences.get(prefix, 0) + 1
        return f"{prefix}-{self.sequences[prefix]:04d}"

    def announce(
        self,
        category: str,
        event_type: str,
        resource_id: str,
        at: datetime,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Tell the webhook machinery that a record changed; no-op when nobody listens."""
        event = ChangeEvent(self.organisation_id, category, event_type, resource_id, at, data)
        for listener in self.listeners:
            listener(event)


@dataclass
class Connection:
    """A tenant connected to an app by a user's consent (OAS-ID `Connection`)."""

    id: str
    tenant_id: str
    client_id: str
    user_id: str
    auth_event_id: str
    created: datetime
    updated: datetime
    tenant_type: str = "ORGANISATION"


def new_id() -> str:
    return str(uuid.uuid4())


class World:
    """The simulator's state and the lock that serialises every change to it."""

    def __init__(self, clock: SimClock | None = None) -> None:
        self.lock = threading.RLock()
        self.clock = clock or SimClock()
        self.apps: dict[str, App] = {}
        self.users: dict[str, User] = {}
        self.organisations: dict[str, Organisation] = {}
        self.connections: dict[str, Connection] = {}
        self.change_listeners: list[Callable[[ChangeEvent], None]] = []

    def add_organisation(self, org: Organisation) -> Organisation:
        org.listeners = self.change_listeners  # shared list: listeners added later hear every org
        self.organisations[org.organisation_id] = org
        return org

    def organisation(self, tenant_id: str) -> Organisation | None:
        return self.organisations.get(tenant_id)

    def connections_of(self, client_id: str, user_id: str | None) -> list[Connection]:
        return [
            c
            for c in self.connections.values()
            if c.client_id == client_id and (user_id is None or c.user_id == user_id)
        ]

    def find_connection(self, client_id: str, user_id: str | None, tenant_id: str) -> Connection | None:
        for connection in self.connections_of(client_id, user_id):
            if connection.tenant_id == tenant_id:
                return connection
        return None
