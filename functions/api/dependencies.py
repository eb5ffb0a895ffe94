"""The platform API's dependencies: adapters composed once per execution environment, at cold start.

Nothing here calls AWS or Xero: the adapters make their clients on first use, so importing the
handler stays cheap and a test's environment (moto's endpoint) is seen when the first call is made.
Routes get the dependencies of the current invocation through `api_dependencies` (Powertools'
Depends), so a test passes fakes to `lambda_handler` instead of patching.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from aws_lambda_powertools.event_handler.request import Request

from functions.api.settings import ApiSettings
from functions.sync_worker.dependencies import build_push
from shared.adapters.dynamodb_change_feed import DynamoDbChangeFeed
from shared.adapters.dynamodb_reconciliation import DynamoDbReconcileStates
from shared.adapters.dynamodb_records import DynamoDbRecords
from shared.adapters.dynamodb_state import DynamoDbState
from shared.adapters.eventbridge import EventBridgeBus
from shared.adapters.secrets_manager import SecretsManagerAppSecrets, SecretsManagerTokenVault
from shared.adapters.sqs import SqsWorkQueue
from shared.adapters.xero_identity_http import HttpXeroIdentity
from shared.clock import Clock, SystemClock
from shared.ports.change_feed import ChangeFeed
from shared.ports.event_bus import EventBus
from shared.ports.reconciliation import ReconcileStates
from shared.ports.records import RecordStore, SyncSettingsStore
from shared.ports.state import ApiKeyStore, ConnectionRepository, ConnectSessionStore, TenantRepository
from shared.ports.token_vault import TokenVault
from shared.ports.work_queue import WorkQueue
from shared.ports.xero_identity import XeroIdentity
from shared.usecases.change_feed import ChangeFeedReader
from shared.usecases.connection_test import OrganisationReader
from shared.usecases.disconnect import Disconnection
from shared.usecases.export import Exporter
from shared.usecases.initial_sync import InitialSync
from shared.usecases.rate_budgeted_xero import RateBudgetedXero
from shared.usecases.records import PlatformRecords
from shared.usecases.reports.bank_review import BankReview
from shared.usecases.reports.financial import FinancialReports
from shared.usecases.reports.mark_paid import MarkPaid
from shared.usecases.reports.tenant_calls import TenantCalls
from shared.usecases.token_custody import TokenCustodian

# The key under which lambda_handler puts the invocation's dependencies into the resolver's context.
CONTEXT_KEY = "deps"


@dataclass(frozen=True)
class ApiDependencies:
    settings: ApiSettings
    clock: Clock
    tenants: TenantRepository
    connections: ConnectionRepository
    connect_sessions: ConnectSessionStore
    api_keys: ApiKeyStore
    vault: TokenVault
    identity: XeroIdentity
    accounting: OrganisationReader
    custodian: TokenCustodian
    events: EventBus
    records: RecordStore
    sync_settings: SyncSettingsStore
    work_queue: WorkQueue
    exporter: Exporter
    # Reports and actions (shared/usecases/reports/): the rate-budgeted client every call to Xero goes through.
    xero: RateBudgetedXero | None = None
    # The changes made in Xero (shared/usecases/change_feed.py), in the stage's table.
    change_feed: ChangeFeed | None = None
    # The initial sync's progress (shared/usecases/initial_sync.py): the reconciliation states.
    reconcile_states: ReconcileStates | None = None

    @property
    def platform_records(self) -> PlatformRecords:
        return PlatformRecords(
            tenants=self.tenants,
            records=self.records,
            settings=self.sync_settings,
            queue=self.work_queue,
            clock=self.clock,
        )

    @property
    def tenant_calls(self) -> TenantCalls:
        if self.xero is None:
            raise RuntimeError("reports and actions need the rate-budgeted Xero client (ApiDependencies.xero)")
        return TenantCalls(self.tenants, self.connections, self.custodian, self.xero, self.clock)

    @property
    def initial_sync(self) -> InitialSync:
        if self.xero is None or self.reconcile_states is None:
            raise RuntimeError("the initial sync's progress needs ApiDependencies.xero and .reconcile_states")
        return InitialSync(self.reconcile_states, self.sync_settings, self.connections, self.xero.budget, self.clock)

    @property
    def reports(self) -> FinancialReports:
        return FinancialReports(self.tenant_calls, self.records)

    @property
    def mark_paid(self) -> MarkPaid:
        return MarkPaid(self.tenant_calls, self.records, self.sync_settings, self.platform_records)

    @property
    def bank_review(self) -> BankReview:
        return BankReview(self.tenant_calls, self.records, self.sync_settings)

    @property
    def changes(self) -> ChangeFeedReader:
        return ChangeFeedReader(self.tenants, self.change_feed, self.clock)

    @property
    def disconnection(self) -> Disconnection:
        return Disconnection(
            tenants=self.tenants,
            connections=self.connections,
            vault=self.vault,
            identity=self.identity,
            custodian=self.custodian,
            events=self.events,
            clock=self.clock,
        )


def compose(settings: ApiSettings) -> ApiDependencies:
    """The real adapters for `settings` (AWS through AWS_ENDPOINT_URL when set, Xero at its endpoints)."""
    names, region = settings.names, settings.aws_region
    state = DynamoDbState.for_table(names.state_table, region_name=region)
    records = DynamoDbRecords.for_table(names.state_table, region_name=region)
    vault = SecretsManagerTokenVault(names, region_name=region)
    identity = HttpXeroIdentity(settings, SecretsManagerAppSecrets(names, region_name=region))
    events = EventBridgeBus(names.event_bus, region_name=region)
    clock = SystemClock()
    push = build_push(settings, settings, clock, f"api/{secrets.token_hex(4)}")
    return ApiDependencies(
        settings=settings,
        clock=clock,
        tenants=state.tenants,
        connections=state.connections,
        connect_sessions=state.connect_sessions,
        api_keys=state.api_keys,
        vault=vault,
        identity=identity,
        # The connection test's GET /Organisation takes from the rate budget, as every call to Xero does.
        accounting=push.xero,
        # One custodian per execution environment; it names its leases with this id plus a random suffix.
        custodian=TokenCustodian(state.connections, vault, identity, events, clock, f"api/{secrets.token_hex(4)}"),
        events=events,
        records=records.store,
        sync_settings=records.settings,
        work_queue=SqsWorkQueue(names.work_queue, region_name=region),
        # An export is the sync worker's push, run in this invocation at a user's priority.
        exporter=push,
        xero=push.xero,
        change_feed=DynamoDbChangeFeed(names.state_table, region_name=region),
        reconcile_states=DynamoDbReconcileStates(names.state_table, region_name=region),
    )


@cache
def production_dependencies() -> ApiDependencies:
    """Read the settings from the environment and compose the adapters, once per process."""
    return compose(ApiSettings())


def dependencies_of(context: dict[str, Any]) -> ApiDependencies:
    """The dependencies lambda_handler put into the resolver's context for this invocation."""
    return cast(ApiDependencies, context[CONTEXT_KEY])


def api_dependencies(request: Request) -> ApiDependencies:
    """Powertools dependency: routes declare `deps: Annotated[ApiDependencies, Depends(api_dependencies)]`."""
    return dependencies_of(request.context)
