"""The scheduled function as EventBridge's rules call it: each rule runs its own job, and counts the outcome."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from functions.scheduled_sync.dependencies import ScheduledSyncDependencies
from functions.scheduled_sync.handler import lambda_handler
from shared.domain.inbound.reconcile_state import fresh
from shared.domain.inbound.settings import SyncedKind
from shared.fakes.memory_reconciliation import MemoryReconcileStates
from shared.fakes.memory_records import MemorySyncSchedule
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.usecases.keep_alive import KeepAlive
from shared.usecases.reconcile_due import ReconcileDue
from shared.usecases.reconcile_missing import ReconcileMissing
from shared.usecases.sync_due import SyncDue
from tests.events import LocalLambdaContext, rule_arn, scheduled_event
from tests.metric_lines import emitted_metrics
from tests.unit.custody_world import CustodyWorld


def test_the_daily_rule_runs_keep_alive_alone_and_emits_its_counts(capsys: pytest.CaptureFixture[str]) -> None:
    # Given one connection idle for 8 days
    world = CustodyWorld()
    world.connect()
    world.clock.advance(timedelta(days=8))
    deps = ScheduledSyncDependencies(
        keep_alive=KeepAlive(world.connections, world.custodian(), world.clock),
        sync_due=SyncDue(MemorySyncSchedule(), MemoryWorkQueue(world.clock), world.clock),
    )
    # When the schedule fires
    result = lambda_handler(
        scheduled_event(rule_arn("xero-sync-test-keep-alive")), LocalLambdaContext("scheduled-sync"), deps=deps
    )
    # Then keep-alive refreshed it, and the counts are the result and the metrics
    assert result == {"keep_alive": {"refreshed": 1, "skipped": 0, "needs_reauth": 0, "failed": 0}}
    assert emitted_metrics(capsys.readouterr().out) == {
        "KeepAliveRefreshed": 1,
        "KeepAliveSkipped": 0,
        "KeepAliveNeedsReauth": 0,
        "KeepAliveFailed": 0,
    }


def test_the_minute_rule_nudges_due_tenants_and_leaves_keep_alive_alone(capsys: pytest.CaptureFixture[str]) -> None:
    # Given a connection idle for 8 days, and a tenant whose deferred push is due
    world = CustodyWorld()
    world.connect()
    world.clock.advance(timedelta(days=8))
    schedule = MemorySyncSchedule()
    schedule.defer("tenant-1", world.clock.now(), "waiting for Xero's minute limit")
    queue = MemoryWorkQueue(world.clock)
    deps = ScheduledSyncDependencies(
        keep_alive=KeepAlive(world.connections, world.custodian(), world.clock),
        sync_due=SyncDue(schedule, queue, world.clock),
    )
    # When the every-minute rule fires
    result = lambda_handler(
        scheduled_event(rule_arn("xero-sync-test-sync-due")), LocalLambdaContext("scheduled-sync"), deps=deps
    )
    # Then the tenant is nudged and no connection is refreshed (keep-alive's Scan is the daily rule's)
    assert (result, len(queue.bodies("tenant-1"))) == ({"sync_due": 1}, 1)
    assert emitted_metrics(capsys.readouterr().out) == {"SyncDueEnqueued": 1}
    assert world.connection().token_version == 1


def test_a_rule_with_no_job_runs_nothing() -> None:
    # Given the scheduled function's jobs
    world = CustodyWorld()
    queue = MemoryWorkQueue(world.clock)
    deps = ScheduledSyncDependencies(
        keep_alive=KeepAlive(world.connections, world.custodian(), world.clock),
        sync_due=SyncDue(MemorySyncSchedule(), queue, world.clock),
    )
    # When a rule it has no job for fires / Then nothing runs
    assert lambda_handler(scheduled_event(rule_arn("someone-elses-rule")), LocalLambdaContext("s"), deps=deps) == {}


def test_the_minute_rule_also_enqueues_the_due_reconciliations(capsys: pytest.CaptureFixture[str]) -> None:
    # Given a tenant whose invoices are due to be reconciled
    world = CustodyWorld()
    states = MemoryReconcileStates()
    states.put(fresh("tenant-1", SyncedKind.INVOICE, world.clock.now()))
    queue = MemoryWorkQueue(world.clock)
    deps = ScheduledSyncDependencies(
        keep_alive=KeepAlive(world.connections, world.custodian(), world.clock),
        sync_due=SyncDue(MemorySyncSchedule(), queue, world.clock),
        reconcile_due=ReconcileDue(states, queue, world.clock),
    )
    # When the every-minute rule fires
    result = lambda_handler(
        scheduled_event(rule_arn("xero-sync-test-sync-due")), LocalLambdaContext("scheduled-sync"), deps=deps
    )
    # Then one reconcile request is on the tenant's group, and counted
    assert result == {"sync_due": 0, "reconcile_due": 1}
    [body] = queue.bodies("tenant-1")
    assert json.loads(body)["reconcile"] == ["invoice"]
    assert emitted_metrics(capsys.readouterr().out)["ReconciliationsEnqueued"] == 1


def test_the_daily_rule_also_makes_the_reconciliation_states_connected_tenants_lack(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a connected tenant with no reconciliation state (connected before reconciliation existed)
    world = CustodyWorld()
    world.connect()
    states = MemoryReconcileStates()
    deps = ScheduledSyncDependencies(
        keep_alive=KeepAlive(world.connections, world.custodian(), world.clock),
        sync_due=SyncDue(MemorySyncSchedule(), MemoryWorkQueue(world.clock), world.clock),
        reconcile_missing=ReconcileMissing(world.connections, states, world.clock),
    )
    # When the daily rule fires
    result = lambda_handler(
        scheduled_event(rule_arn("xero-sync-test-keep-alive")), LocalLambdaContext("scheduled-sync"), deps=deps
    )
    # Then every kind's state was made, counted in the result and a metric
    assert result["reconcile_missing"] == len(SyncedKind) == len(states.listing(world.connection().tenant_id))
    assert emitted_metrics(capsys.readouterr().out)["ReconcileStatesCreated"] == len(SyncedKind)
