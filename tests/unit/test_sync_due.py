"""Nudging deferred tenants: the scheduled function enqueues a sync request for each one that is due."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from shared.fakes.clock import SettableClock
from shared.fakes.memory_records import MemorySyncSchedule
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.usecases.sync_due import SyncDue

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def a_job() -> tuple[SyncDue, MemorySyncSchedule, MemoryWorkQueue, SettableClock]:
    clock = SettableClock(T0)
    schedule, queue = MemorySyncSchedule(), MemoryWorkQueue(clock)
    return SyncDue(schedule, queue, clock), schedule, queue, clock


def test_a_tenant_whose_deferral_ended_gets_a_sync_request_in_its_own_group() -> None:
    # Given a tenant deferred for 30 s, and 31 s gone by
    job, schedule, queue, clock = a_job()
    schedule.defer("tenant-1", T0 + timedelta(seconds=30), "waiting for Xero's minute limit")
    clock.advance(timedelta(seconds=31))
    # When the job runs
    enqueued = job.run()
    # Then one request went to the tenant's group, at backfill priority
    [body] = queue.bodies("tenant-1")
    assert (enqueued, json.loads(body)["reason"], json.loads(body)["priority"]) == (1, "schedule", 1)


def test_a_tenant_still_waiting_is_not_nudged() -> None:
    # Given a tenant deferred for another minute
    job, schedule, queue, _ = a_job()
    schedule.defer("tenant-1", T0 + timedelta(minutes=1), "waiting for Xero's minute limit")
    # When the job runs / Then nothing is enqueued
    assert (job.run(), queue.bodies()) == (0, [])


def test_one_run_nudges_all_2000_due_tenants_a_chunk_at_a_time() -> None:
    # Given 2,000 tenants whose deferral has ended, four times the old 500 a run
    job, schedule, queue, _ = a_job()
    for n in range(2000):
        schedule.defer(f"tenant-{n:04}", T0, "waiting for Xero's minute limit")
    # When the job runs once / Then every one is nudged once
    assert job.run(T0 + timedelta(seconds=50)) == 2000
    assert len({json.loads(body)["tenant_id"] for body in queue.bodies()}) == 2000


def test_a_run_whose_deadline_has_come_nudges_no_one_and_the_tenants_stay_due() -> None:
    # Given a due tenant / When the job runs at its deadline / Then nothing is enqueued, and it is still due
    job, schedule, queue, _ = a_job()
    schedule.defer("tenant-1", T0, "waiting for Xero's minute limit")
    assert (job.run(T0), queue.bodies(), list(schedule.due(T0))) == (0, [], ["tenant-1"])
