"""A connected tenant whose records the real push sends to the simulator, over moto's DynamoDB,
Secrets Manager and EventBridge, with the DynamoDB rate budget and the simulator's clock.

The Given of the push's integration tests: `world.write(entity, id, body)` is the platform's
write, `world.push()` one run of the sync worker, `world.xero(collection)` what Xero holds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from shared.adapters.dynamodb_rate_budget import DynamoDbRateBudget
from shared.adapters.dynamodb_records import DynamoDbRecords
from shared.adapters.xero_accounting_http import HttpXeroAccounting
from shared.domain.ledger import StoredRecord
from shared.domain.rate_limits import Priority
from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings
from shared.ports.records import RecordStore
from shared.usecases.push.run import PushReport, SyncPush
from shared.usecases.rate_budgeted_xero import RateBudgetedXero
from tests.integration.conftest import Stage
from tests.integration.xero_connected import ConnectedTenant, xero_app
from tests.simulator.identity_flow import OFFLINE_SCOPES
from xero_simulator.server import Simulator
from xero_simulator.world import Organisation

# The AU chart (xero_simulator/charts/au.py): Sales, Cost of Goods Sold, Bank Fees, the business bank account.
SETTINGS = TenantSyncSettings(
    enabled=True,
    sales_account="200",
    expense_account="310",
    fee_account="404",
    tax_rates={"GST": "OUTPUT", "GST_ON_EXPENSES": "INPUT"},
    bank_accounts={"main": "090"},
)
TODAY = date(2026, 11, 2)


@dataclass
class PushWorld:
    sim: Simulator
    stage: Stage
    tenant: ConnectedTenant
    records: DynamoDbRecords
    push_service: SyncPush
    budget: DynamoDbRateBudget

    @property
    def tenant_id(self) -> str:
        return self.tenant.tenant_id

    @property
    def org(self) -> Organisation:
        org = self.sim.world.organisation(self.tenant.xero_tenant_id)
        assert org is not None
        return org

    def write(self, entity: Entity, platform_id: str, body: dict[str, Any]) -> StoredRecord:
        return self.records.store.write(self.tenant_id, entity, platform_id, body, self.sim.world.clock.now())

    def delete(self, entity: Entity, platform_id: str) -> None:
        self.records.store.delete(self.tenant_id, entity, platform_id, self.sim.world.clock.now())

    def push(self, store: RecordStore | None = None) -> PushReport:
        service = self.push_service if store is None else replace(self.push_service, records=store)
        return service.run(self.tenant_id, priority=Priority.USER_WRITE)

    def record(self, entity: Entity, platform_id: str) -> StoredRecord:
        found = self.records.store.get(self.tenant_id, entity, platform_id)
        assert found is not None
        return found

    def xero(self, collection: str) -> list[dict[str, Any]]:
        """What Xero holds in `collection`, deleted and voided included."""
        with self.sim.world.lock:
            return [dict(record) for record in self.org.records(collection).values()]


def push_world(sim: Simulator, stage: Stage, settings: TenantSyncSettings = SETTINGS) -> PushWorld:
    """A tenant connected to a new AU organisation, its settings stored, and the push composed."""
    app = xero_app(sim, stage)
    tenant = app.connect(scopes=(*OFFLINE_SCOPES, "accounting.contacts"))
    records = DynamoDbRecords.for_table(stage.names.state_table)
    records.settings.put(tenant.tenant_id, settings, sim.world.clock.now())
    budget = DynamoDbRateBudget(stage.names.rate_budget_table, "push-test-app")
    xero = RateBudgetedXero(HttpXeroAccounting(app.endpoints), budget, app.clock, app.events, app.connections)
    push = SyncPush(
        records=records.store,
        settings=records.settings,
        schedule=records.schedule,
        connections=app.connections,
        custodian=app.custodian("push-test"),
        xero=xero,
        events=app.events,
        clock=app.clock,
    )
    return PushWorld(sim, stage, tenant, records, push, budget)


def a_contact(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, **fields}


def an_invoice(contact_id: str, *amounts: str, **fields: Any) -> dict[str, Any]:
    lines = [{"description": f"Work {n}", "unit_amount": amount, "tax_code": "GST"} for n, amount in enumerate(amounts)]
    return {
        "contact_id": contact_id,
        "date": TODAY.isoformat(),
        "due_date": (TODAY + timedelta(days=14)).isoformat(),
        "lines": lines,
        **fields,
    }


def a_payment(invoice_id: str, amount: str, **fields: Any) -> dict[str, Any]:
    return {"invoice_id": invoice_id, "date": TODAY.isoformat(), "amount": amount, "bank_account": "main", **fields}
