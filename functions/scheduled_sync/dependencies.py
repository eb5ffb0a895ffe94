"""The scheduled function's dependencies: adapters composed once per execution environment, at cold start.

Nothing here calls AWS or Xero: the adapters make their clients on first use.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from functions.scheduled_sync.settings import ScheduledSyncSettings
from shared.adapters.dynamodb_reconciliation import DynamoDbReconcileStates
from shared.adapters.dynamodb_records import DynamoDbRecords
from shared.adapters.dynamodb_state import DynamoDbState
from shared.adapters.eventbridge import EventBridgeBus
from shared.adapters.secrets_manager import SecretsManagerAppSecrets, SecretsManagerTokenVault
from shared.adapters.sqs import SqsWorkQueue
from shared.adapters.xero_identity_http import HttpXeroIdentity
from shared.clock import Clock, SystemClock
from shared.usecases.keep_alive import KeepAlive
from shared.usecases.reconcile_due import ReconcileDue
from shared.usecases.reconcile_missing import ReconcileMissing
from shared.usecases.sync_due import SyncDue
from shared.usecases.token_custody import TokenCustodian


@dataclass(frozen=True)
class ScheduledSyncDependencies:
    keep_alive: KeepAlive
    sync_due: SyncDue
    reconcile_due: ReconcileDue | None = None  # None: no reconciliation is scheduled
    reconcile_missing: ReconcileMissing | None = None  # None: connected tenants' missing states are not made


def build_dependencies(settings: ScheduledSyncSettings, clock: Clock | None = None) -> ScheduledSyncDependencies:
    """Keep-alive over DynamoDB, Secrets Manager, EventBridge and Xero's identity service of `settings`;
    `clock` is the system's unless a test runs on the simulator's."""
    names, region = settings.names, settings.aws_region
    state = DynamoDbState.for_table(names.state_table, region_name=region)
    clock = clock or SystemClock()
    custodian = TokenCustodian(
        state.connections,
        SecretsManagerTokenVault(names, region_name=region),
        HttpXeroIdentity(settings, SecretsManagerAppSecrets(names, region_name=region)),
        EventBridgeBus(names.event_bus, region_name=region),
        clock,
        # Names this execution environment in refresh leases; each attempt adds its own suffix.
        f"scheduled-sync/{secrets.token_hex(4)}",
    )
    records = DynamoDbRecords.for_table(names.state_table, region_name=region)
    queue = SqsWorkQueue(names.work_queue, region_name=region)
    reconcile_states = DynamoDbReconcileStates(names.state_table, region_name=region)
    return ScheduledSyncDependencies(
        keep_alive=KeepAlive(state.connections, custodian, clock),
        sync_due=SyncDue(records.schedule, queue, clock),
        reconcile_due=ReconcileDue(reconcile_states, queue, clock),
        reconcile_missing=ReconcileMissing(state.connections, reconcile_states, clock),
    )


@cache
def production_dependencies() -> ScheduledSyncDependencies:
    """Built on the first invocation from the environment, then reused while the environment is warm."""
    return build_dependencies(ScheduledSyncSettings())
