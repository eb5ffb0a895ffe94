"""The world of the sync from Xero's unit tests: a connected tenant over in-memory stores, and a Xero
whose records a test puts in place (FakeXeroRecords) and whose calls it can fail.

Xero's records are written as Xero answers them (MS-JSON dates and stamps, ids, Status), in the
mapping tests' AU world (tests/unit/mapping/mapping_world.py): the tenant's settings and reference
data are those, stored before the run, so reading needs no call for reference data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.inbound.settings import InboundEntitySettings, InboundSettings, SyncedKind
from shared.domain.ledger import Outcome, StoredRecord, SyncState
from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings
from shared.domain.tokens import TokenSet
from shared.domain.webhook_events import ChangeNotice
from shared.fakes.clock import SettableClock
from shared.fakes.memory_change_feed import MemoryChangeFeed, MemoryPendingFetches
from shared.fakes.memory_event_bus import MemoryEventBus
from shared.fakes.memory_rate_budget import MemoryRateBudget
from shared.fakes.memory_records import MemoryRecords
from shared.fakes.memory_state import MemoryState
from shared.fakes.memory_token_vault import MemoryTokenVault
from shared.fakes.scripted_xero_identity import ScriptedXeroIdentity
from shared.ports.xero_accounting import XeroAccounting, XeroAnswer, XeroRequest
from shared.usecases.pull.report import PullReport
from shared.usecases.pull.run import SyncPull
from shared.usecases.rate_budgeted_xero import RateBudgetedXero
from shared.usecases.token_custody import TokenCustodian
from tests.unit.mapping.mapping_world import reference, settings

TENANT = "tenant-1"
ORG = "org-1"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)
_GUID = re.compile(r'Guid\("([^"]+)"\)')
_ID_FIELDS = {
    "Items": "ItemID",
    "Contacts": "ContactID",
    "Invoices": "InvoiceID",
    "CreditNotes": "CreditNoteID",
    "Payments": "PaymentID",
}
_ID_FIELDS |= {"BankTransactions": "BankTransactionID"}


def ms(instant: datetime) -> str:
    return f"/Date({int(instant.timestamp() * 1000)}+0000)/"


class FakeXeroRecords(XeroAccounting):
    """Xero's records by collection and id, answered to GETs by IDs= or by a where of Guid()s; every
    call is kept, and `failures` are raised by the next calls, in order (None: that call is answered)."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, dict[str, Any]]] = {}
        self.calls: list[XeroRequest] = []
        self.failures: list[Exception | None] = []

    def put(self, collection: str, element: dict[str, Any]) -> dict[str, Any]:
        self.records.setdefault(collection, {})[str(element[_ID_FIELDS[collection]])] = element
        return element

    def call(self, access_token: str, xero_tenant_id: str, request: XeroRequest) -> XeroAnswer:
        self.calls.append(request)
        failure = self.failures.pop(0) if self.failures else None
        if failure is not None:
            raise failure
        assert request.method == "GET", request
        collection = request.path.strip("/")
        if "IDs" in request.params:
            ids = request.params["IDs"].split(",")
        else:
            ids = _GUID.findall(request.params.get("where", ""))
        held = self.records.get(collection, {})
        return XeroAnswer(status=200, body={collection: [held[i] for i in ids if i in held]})


def xero_contact(xero_id: str, name: str, updated: datetime, **fields: Any) -> dict[str, Any]:
    return {"ContactID": xero_id, "Name": name, "ContactStatus": "ACTIVE", "UpdatedDateUTC": ms(updated), **fields}


def xero_invoice(
    xero_id: str, contact_id: str, amount: str, updated: datetime, *, status: str = "AUTHORISED", **fields: Any
) -> dict[str, Any]:
    return {
        "Type": "ACCREC",
        "InvoiceID": xero_id,
        "InvoiceNumber": f"INV-{xero_id}",
        "Contact": {"ContactID": contact_id, "Name": "Someone"},
        "Date": ms(datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)),
        "Status": status,
        "LineAmountTypes": "Exclusive",
        "LineItems": [
            {
                "Description": "Work",
                "Quantity": 1,
                "UnitAmount": float(amount),
                "AccountCode": "200",
                "TaxType": "OUTPUT",
            }
        ],
        "CurrencyCode": "AUD",
        "Payments": [],
        "UpdatedDateUTC": ms(updated),
        **fields,
    }


def xero_payment(xero_id: str, invoice_id: str, amount: str, updated: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "PaymentID": xero_id,
        "Date": ms(datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)),
        "Amount": float(amount),
        "Status": "AUTHORISED",
        "PaymentType": "ACCRECPAYMENT",
        "Account": {"AccountID": "acc-090", "Code": "090"},
        "Invoice": {"Type": "ACCREC", "InvoiceID": invoice_id, "InvoiceNumber": f"INV-{invoice_id}"},
        "UpdatedDateUTC": ms(updated),
        **fields,
    }


def notice(
    resource_id: str, category: str = "CONTACT", *, at: datetime = NOW, tenant: str = TENANT, org: str = ORG
) -> ChangeNotice:
    return ChangeNotice(
        tenant_id=tenant,
        xero_tenant_id=org,
        category=category,
        event_type="UPDATE",
        resource_id=resource_id,
        event_date_utc=at.replace(tzinfo=None).isoformat(timespec="milliseconds"),
        receipt_key=f"{category}-{resource_id}-{at.isoformat()}",
    )


def inbound(**kinds: InboundEntitySettings) -> InboundSettings:
    return InboundSettings(kinds={SyncedKind(kind): chosen for kind, chosen in kinds.items()})


@dataclass
class PullWorld:
    clock: SettableClock = field(default_factory=lambda: SettableClock(NOW))
    records: MemoryRecords = field(default_factory=MemoryRecords)
    state: MemoryState = field(default_factory=MemoryState)
    feed: MemoryChangeFeed = field(default_factory=MemoryChangeFeed)
    pending: MemoryPendingFetches = field(default_factory=MemoryPendingFetches)
    events: MemoryEventBus = field(default_factory=MemoryEventBus)
    xero: FakeXeroRecords = field(default_factory=FakeXeroRecords)
    budget: MemoryRateBudget = field(default_factory=MemoryRateBudget)

    def __post_init__(self) -> None:
        now = self.clock.now()
        vault = MemoryTokenVault()
        tokens = TokenSet(
            access_token="access", refresh_token="refresh", expires_at=now + timedelta(days=1), scopes=(), version=1
        )
        vault.write(TENANT, tokens)
        self.state.connections.put(
            Connection(
                tenant_id=TENANT,
                status=ConnectionStatus.CONNECTED,
                xero_tenant_id=ORG,
                token_version=1,
                access_expires_at=now + timedelta(days=1),
                updated_at=now,
            )
        )
        self.use_settings(settings())
        self.records.settings.put_reference(TENANT, reference(fetched_at=now))
        custodian = TokenCustodian(
            self.state.connections, vault, ScriptedXeroIdentity(self.clock), self.events, self.clock, "test"
        )
        self.pull = SyncPull(
            records=self.records.store,
            settings=self.records.settings,
            schedule=self.records.schedule,
            connections=self.state.connections,
            custodian=custodian,
            xero=RateBudgetedXero(self.xero, self.budget, self.clock),
            feed=self.feed,
            pending=self.pending,
            events=self.events,
            clock=self.clock,
        )

    def use_settings(self, chosen: TenantSyncSettings) -> None:
        self.records.settings.put(TENANT, chosen, self.clock.now())

    def run(self, *notices: ChangeNotice) -> PullReport:
        return self.pull.run(TENANT, list(notices))

    def record(self, entity: Entity, platform_id: str) -> StoredRecord:
        found = self.records.store.get(TENANT, entity, platform_id)
        assert found is not None, f"no {entity.value} {platform_id}"
        return found

    def changes(self) -> list[tuple[str, str, str]]:
        """(kind, entity, platform id) of every change in the feed, in feed order."""
        return [(c.kind.value, c.entity.value, c.platform_id) for c in self.feed.everything(TENANT)]

    def event_types(self) -> list[str]:
        return [event.type.value for event in self.events.events if event.type.value.startswith("record.")]

    def synced_from_platform(
        self, entity: Entity, platform_id: str, body: dict[str, Any], xero_id: str, stamp: datetime
    ) -> StoredRecord:
        """A record the platform wrote and the push sent: Xero answered with `xero_id`, stamped `stamp`."""
        self.records.store.write(TENANT, entity, platform_id, body, self.clock.now())
        outcome = Outcome(
            state=SyncState.SYNCED,
            xero_id=xero_id,
            xero_status="ACTIVE" if entity is Entity.CONTACT else "AUTHORISED",
            xero_updated_at=stamp,
        )
        settled = self.records.store.settle(TENANT, entity, platform_id, 1, outcome, now=self.clock.now())
        assert settled is not None
        return settled
