"""The every-minute reconciliation job over the state table's due index and the FIFO work queue (moto):
one run pages through the index to its end, and a run its deadline stops leaves the rest due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3

from shared.adapters.dynamodb_reconciliation import DUE_PAGE, DynamoDbReconcileStates
from shared.adapters.sqs import SqsWorkQueue
from shared.domain.inbound.reconcile_state import fresh
from shared.domain.inbound.settings import SyncedKind
from shared.fakes.clock import SettableClock
from shared.usecases.reconcile_due import CHUNK, ReconcileDue
from tests.integration.conftest import Stage

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class TickingClock(SettableClock):
    """Moves a second each time it is read: a run's deadline comes after a known number of looks."""

    def now(self) -> datetime:
        return self.advance(1)


def given_due(stage: Stage, tenants: int) -> DynamoDbReconcileStates:
    states = DynamoDbReconcileStates(stage.names.state_table)
    states.put_many(
        [fresh(f"tenant-{n:04}", kind, T0 - timedelta(minutes=1)) for n in range(tenants) for kind in SyncedKind]
    )
    return states


def queued(stage: Stage) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=stage.resources.work_queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def test_one_run_enqueues_all_2000_due_states_paging_through_the_due_index(stage: Stage) -> None:
    # Given 200 tenants with 10 due kinds each: 2,000 states, 20 pages of the due index
    states = given_due(stage, 200)
    clock = SettableClock(T0)
    # When the job runs once
    enqueued = ReconcileDue(states, SqsWorkQueue(stage.names.work_queue), clock).run(T0 + timedelta(seconds=50))
    # Then every state is enqueued and claimed, one message per tenant
    assert (enqueued, list(states.due(T0)), queued(stage)) == (2000, [], 200)
    assert 2000 // DUE_PAGE > 1


def test_a_run_stopped_by_its_deadline_leaves_the_rest_due_for_the_next(stage: Stage) -> None:
    # Given 50 tenants with 10 due kinds each, and a deadline that comes after two chunks
    states = given_due(stage, 50)
    clock = TickingClock(T0)
    job = ReconcileDue(states, SqsWorkQueue(stage.names.work_queue), clock)
    # When the job runs (it reads the clock once to start, then once before each chunk)
    enqueued = job.run(T0 + timedelta(seconds=3.5))
    # Then two chunks were enqueued and claimed, and the rest is due for the next run, which takes it
    assert (enqueued, len(list(states.due(T0)))) == (2 * CHUNK, 500 - 2 * CHUNK)
    assert job.run() == 500 - 2 * CHUNK
    assert queued(stage) == 50
