"""The sync worker's dependencies: adapters composed once per execution environment, at cold start.

`build_push` is also how the platform API composes its export (the same push, run in the API's
invocation at a user's priority); `build_pull` composes the sync from Xero over the same stores,
custodian and rate budget. Nothing here calls AWS or Xero: the adapters make their clients on first use.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from functions.sync_worker.settings import SyncWorkerSettings
from shared.adapters.dynamodb_change_feed import DynamoDbChangeFeed, DynamoDbPendingFetches
from shared.adapters.dynamodb_rate_budget import DynamoDbRateBudget
from shared.adapters.dynamodb_reconciliation import DynamoDbReconcileStates
from shared.adapters.dynamodb_records import DynamoDbRecords
from shared.adapters.dynamodb_state import DynamoDbState
from shared.adapters.dynamodb_told import DynamoDbToldElements
from shared.adapters.dynamodb_watches import DynamoDbWatches
from shared.adapters.eventbridge import EventBridgeBus
from shared.adapters.secrets_manager import SecretsManagerAppSecrets, SecretsManagerTokenVault
from shared.adapters.sqs import SqsTickQueue, SqsWorkQueue
from shared.adapters.xero_accounting_http import HttpXeroAccounting
from shared.adapters.xero_identity_http import HttpXeroIdentity
from shared.clock import Clock, SystemClock
from shared.settings import FunctionSettings, XeroEndpoints
from shared.usecases.pull.reconcile import SyncReconcile
from shared.usecases.pull.run import SyncPull
from shared.usecases.pull.watch import ReferenceWatch
from shared.usecases.push.run import SyncPush
from shared.usecases.rate_budgeted_xero import RateBudgetedXero
from shared.usecases.sync_work import SyncWork
from shared.usecases.token_custody import TokenCustodian


@dataclass(frozen=True)
class SyncWorkerDependencies:
    work: SyncWork


def build_push(settings: FunctionSettings, endpoints: XeroEndpoints, clock: Clock, owner: str) -> SyncPush:
    """A push over the stage's table, token secrets, bus and rate budget, calling Xero at `endpoints`.

    The rate budget's app item is named after the stage's Xero app secret: one Xero app per stage,
    so every function of the stage takes from the same app budget (docs/decisions.md)."""
    names, region = settings.names, settings.aws_region
    state = DynamoDbState.for_table(names.state_table, region_name=region)
    records = DynamoDbRecords.for_table(names.state_table, region_name=region)
    events = EventBridgeBus(names.event_bus, region_name=region)
    vault = SecretsManagerTokenVault(names, region_name=region)
    identity = HttpXeroIdentity(endpoints, SecretsManagerAppSecrets(names, region_name=region))
    budget = DynamoDbRateBudget(names.rate_budget_table, names.xero_app_secret)
    xero = RateBudgetedXero(HttpXeroAccounting(endpoints), budget, clock, events, state.connections)
    return SyncPush(
        records=records.store,
        settings=records.settings,
        schedule=records.schedule,
        connections=state.connections,
        custodian=TokenCustodian(state.connections, vault, identity, events, clock, owner),
        xero=xero,
        events=events,
        clock=clock,
    )


def build_pull(settings: FunctionSettings, push: SyncPush) -> SyncPull:
    """The sync from Xero over the stage's table and bus, sharing the push's stores, custodian and budget."""
    names, region = settings.names, settings.aws_region
    feed = DynamoDbChangeFeed(names.state_table, region_name=region)
    return SyncPull.beside(push, feed, DynamoDbPendingFetches(names.state_table, region_name=region))


def build_dependencies(settings: SyncWorkerSettings, clock: Clock | None = None) -> SyncWorkerDependencies:
    """The worker over the stage's resources; `clock` is the system's unless a test runs on the simulator's."""
    clock = clock or SystemClock()
    push = build_push(settings, settings, clock, f"sync-worker/{secrets.token_hex(4)}")
    queue = SqsWorkQueue(settings.names.work_queue, region_name=settings.aws_region)
    pull = build_pull(settings, push)
    names, region = settings.names, settings.aws_region
    states = DynamoDbReconcileStates(names.state_table, region_name=region)
    told = DynamoDbToldElements(names.state_table, region_name=region)
    watch = ReferenceWatch(
        pull, DynamoDbWatches(names.state_table, region_name=region), SqsTickQueue(names.tick_queue, region_name=region)
    )
    return SyncWorkerDependencies(work=SyncWork(push, pull, queue, clock, SyncReconcile(pull, states, told), watch))


@cache
def production_dependencies() -> SyncWorkerDependencies:
    """Built on the first invocation from the environment, then reused while the environment is warm."""
    return build_dependencies(SyncWorkerSettings())
