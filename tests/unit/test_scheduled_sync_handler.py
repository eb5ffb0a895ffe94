"""The scheduled function as EventBridge's schedule calls it: it runs keep-alive and counts the outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest

from functions.scheduled_sync.dependencies import ScheduledSyncDependencies
from functions.scheduled_sync.handler import lambda_handler
from shared.fakes.memory_records import MemorySyncSchedule
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.usecases.keep_alive import KeepAlive
from shared.usecases.sync_due import SyncDue
from tests.events import LocalLambdaContext, rule_arn, scheduled_event
from tests.metric_lines import emitted_metrics
from tests.unit.custody_world import CustodyWorld


def test_a_scheduled_event_runs_keep_alive_and_emits_its_counts(capsys: pytest.CaptureFixture[str]) -> None:
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
    assert result == {"keep_alive": {"refreshed": 1, "skipped": 0, "needs_reauth": 0, "failed": 0}, "sync_due": 0}
    assert emitted_metrics(capsys.readouterr().out) == {
        "KeepAliveRefreshed": 1,
        "KeepAliveSkipped": 0,
        "KeepAliveNeedsReauth": 0,
        "KeepAliveFailed": 0,
        "SyncDueEnqueued": 0,
    }
