"""The every-minute reconciliation job at scale: one run drains what is due, within its deadline, a request
per tenant, ten requests a call to the queue; what it did not reach or the queue refused stays due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from shared.domain.inbound.reconcile_state import CLAIM, fresh
from shared.domain.inbound.settings import SyncedKind
from shared.domain.sync_requests import SyncRequest
from shared.fakes.clock import SettableClock
from shared.fakes.memory_reconciliation import MemoryReconcileStates
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.ports.work_queue import SQS_BATCH, OutgoingMessage
from shared.usecases.reconcile_due import CHUNK, ReconcileDue

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
KINDS = list(SyncedKind)


class CountingQueue(MemoryWorkQueue):
    """Counts the batches it is handed; each takes `seconds` of the clock, and `refused` groups are refused."""

    def __init__(self, clock: SettableClock, seconds: float = 0.0, refused: frozenset[str] = frozenset()) -> None:
        super().__init__(clock)
        self.clock, self.seconds, self.refused = clock, seconds, refused
        self.batches: list[int] = []

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[OutgoingMessage]:
        self.batches.append(len(messages))
        self.clock.advance(self.seconds)
        taken = [outgoing for outgoing in messages if outgoing.group_id not in self.refused]
        super().send_batch(taken)
        return [outgoing for outgoing in messages if outgoing.group_id in self.refused]


def due_tenants(states: MemoryReconcileStates, tenants: int) -> None:
    """`tenants` tenants with every kind due a minute ago."""
    for n in range(tenants):
        for kind in KINDS:
            states.put(fresh(f"tenant-{n:04}", kind, T0 - timedelta(minutes=1)))


def requests(queue: MemoryWorkQueue) -> list[SyncRequest]:
    return [SyncRequest.model_validate_json(body) for body in queue.bodies()]


def test_one_run_enqueues_all_2000_due_states_one_request_per_tenant_naming_all_its_kinds() -> None:
    # Given 200 tenants with 10 due kinds each: 2,000 due states, four times the old 500 a run
    clock, states = SettableClock(T0), MemoryReconcileStates()
    due_tenants(states, 200)
    queue = CountingQueue(clock)
    # When the job runs once
    enqueued = ReconcileDue(states, queue, clock).run(T0 + timedelta(seconds=50))
    # Then every state is enqueued and claimed, one request per tenant with its ten kinds
    sent = requests(queue)
    assert (enqueued, list(states.due(T0))) == (2000, [])
    assert (len(sent), len({request.tenant_id for request in sent})) == (200, 200)
    assert all(set(request.reconcile) == set(KINDS) for request in sent)
    # And each chunk's requests were handed to the queue together (it sends them ten a call)
    assert queue.batches == [CHUNK // len(KINDS)] * (2000 // CHUNK)


def test_a_run_stopped_by_its_deadline_leaves_the_rest_due_for_the_next_run() -> None:
    # Given 2,000 due states, and a queue that takes a second a chunk
    clock, states = SettableClock(T0), MemoryReconcileStates()
    due_tenants(states, 200)
    queue = CountingQueue(clock, seconds=1)
    # When the job runs with two and a half seconds to go
    enqueued = ReconcileDue(states, queue, clock).run(T0 + timedelta(seconds=2.5))
    # Then three chunks were enqueued and claimed, and the rest is still due
    assert (enqueued, len(list(states.due(clock.now())))) == (3 * CHUNK, 2000 - 3 * CHUNK)
    # And the next run takes the rest
    assert ReconcileDue(states, queue, clock).run() == 2000 - 3 * CHUNK
    assert len({request.tenant_id for request in requests(queue)}) == 200


def test_a_tenant_whose_due_kinds_straddle_two_chunks_gets_both_requests() -> None:
    # Given 95 due states ahead of tenant-late's ten: a chunk ends inside tenant-late's kinds
    clock, states = SettableClock(T0), MemoryReconcileStates()
    due_tenants(states, 9)
    for kind in KINDS[:5]:
        states.put(fresh("tenant-0009", kind, T0 - timedelta(minutes=1)))
    for kind in KINDS:
        states.put(fresh("tenant-late", kind, T0 - timedelta(minutes=1)))
    queue = CountingQueue(clock)
    # When the job runs
    enqueued = ReconcileDue(states, queue, clock).run()
    # Then both of tenant-late's requests were kept by the queue (their deduplication ids differ)
    late = [request for request in requests(queue) if request.tenant_id == "tenant-late"]
    assert (enqueued, [len(request.reconcile) for request in late]) == (105, [5, 5])
    assert {kind for request in late for kind in request.reconcile} == set(KINDS)


def test_a_request_the_queue_refused_leaves_its_tenant_s_states_due() -> None:
    # Given two tenants with due kinds, and a queue that refuses the first one's group
    clock, states = SettableClock(T0), MemoryReconcileStates()
    due_tenants(states, 2)
    queue = CountingQueue(clock, refused=frozenset({"tenant-0000"}))
    # When the job runs
    enqueued = ReconcileDue(states, queue, clock).run()
    # Then only the other tenant's states are enqueued and claimed; the refused ones are due next run
    assert enqueued == len(KINDS)
    assert {state.tenant_id for state in states.due(T0)} == {"tenant-0000"}
    assert {state.tenant_id for state in states.due(T0 + CLAIM)} == {"tenant-0000", "tenant-0001"}


def test_the_queue_port_sends_a_batch_as_single_messages_where_a_queue_cannot_batch() -> None:
    # Given the in-memory queue (it keeps the port's default send_batch)
    queue = MemoryWorkQueue(SettableClock(T0))
    batch = [
        OutgoingMessage(f"t-{n}", f"d-{n}", SyncRequest(tenant_id=f"t-{n}", reason="x")) for n in range(SQS_BATCH + 1)
    ]
    # When a batch of eleven is sent / Then all are taken, none refused, in order
    assert queue.send_batch(batch) == []
    assert [SyncRequest.model_validate_json(body).tenant_id for body in queue.bodies()] == [
        f"t-{n}" for n in range(SQS_BATCH + 1)
    ]
