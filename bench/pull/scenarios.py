"""The sync from Xero's scenarios on the in-process world (bench/pull/world.py): the import (a connect's
first reconciliation), webhook events delivered to the webhook intake and consumed in the work queue's
batches of messages, and an idle tenant's day.

Waits the rate budget asks for are slept out in wall time on the scaled clock, as bench/sync/driver.py
does for the push; the idle day jumps the clock from one scheduled minute to the next instead (nothing
happens between them).
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from bench.pull.figures import (
    RECONCILIATION_PER_MINUTE,
    earliest_last_call,
    fetch_minimum,
    idle_minimum_per_hour,
    import_minimum,
    tenants_served,
)
from bench.pull.world import EditError, PullWorld
from bench.sync.world import ConnectedTenant
from shared.domain.inbound.pending import waiting
from shared.domain.inbound.settings import SyncedKind
from shared.domain.records import Entity
from shared.domain.sync_requests import SyncRequest
from shared.domain.webhook_events import ChangeNotice, ChangeNotices
from shared.fakes.memory_work_queue import MemoryWorkQueue, SentMessage
from shared.usecases.keep_alive import KeepAlive
from shared.usecases.reconcile_due import ReconcileDue

SQS_BATCH = 10  # the most messages one invocation of the sync worker receives (the FIFO event source)
LONGEST_WAIT = timedelta(minutes=5)  # longer: a daily limit or a stuck run; the bench stops and says so
MOST_RUNS = 10_000
SCHEDULE_TICK = timedelta(minutes=1)  # the scheduled function's rule


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """The budgeted client's metrics (EMF on stdout) are not the figures."""
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        yield


class StuckError(RuntimeError):
    """A run was told to wait longer than a benchmark of this size may, or never finished."""


def _sleep_until(world: PullWorld, until: datetime | None) -> float:
    """Sleep out a wait on the scaled clock; the simulated seconds waited."""
    if until is None:
        return 0.0
    wait = (until - world.clock.now()).total_seconds()
    if wait > LONGEST_WAIT.total_seconds():
        raise StuckError(f"told to wait until {until.isoformat()}")
    if wait > 0:
        time.sleep(world.clock.wall_seconds(wait))
    return max(wait, 0.0)


def _calls_since(world: PullWorld, tenant: ConnectedTenant, first: int) -> Counter[str]:
    return Counter(call.endpoint for call in world.calls.of(tenant.xero_tenant_id)[first:])


def _held(world: PullWorld, tenant: ConnectedTenant) -> dict[SyncedKind, int]:
    org = world.organisation(tenant.xero_tenant_id)
    with world.simulator.world.lock:
        invoices = list(org.records("Invoices").values())
        return {
            SyncedKind.CONTACT: len(org.records("Contacts")),
            SyncedKind.INVOICE: sum(1 for i in invoices if i.get("Type") == "ACCREC"),
            SyncedKind.BILL: sum(1 for i in invoices if i.get("Type") == "ACCPAY"),
            SyncedKind.CREDIT_NOTE: len(org.records("CreditNotes")),
            SyncedKind.PAYMENT: len(org.records("Payments")),
            SyncedKind.ITEM: len(org.records("Items")),
            SyncedKind.BANK_TRANSACTION: len(org.records("BankTransactions")),
        }


def import_everything(world: PullWorld, tenant: ConnectedTenant, contacts: int, invoices: int) -> dict[str, Any]:
    """Seed the organisation, then reconcile every kind from scratch (a connect's first read) to the end."""
    seeded = world.seed(tenant, {"contacts": contacts, "invoices": invoices})
    world.take_heard()  # the seed's webhooks: a connect reads everything anyway
    held = _held(world, tenant)
    first = len(world.calls.of(tenant.xero_tenant_id))
    started, wall, waited, runs = world.clock.now(), time.perf_counter(), 0.0, 0
    left = list(SyncedKind)
    with quiet():
        while left:
            runs += 1
            if runs > MOST_RUNS:
                raise StuckError(f"the import did not finish: {left}")
            world.reconcile.run(tenant.tenant_id, left)
            states = {kind: world.states.get(tenant.tenant_id, kind) for kind in left}
            left = [kind for kind, state in states.items() if state is None or state.last_success is None]
            dues = [state.due_at for state in states.values() if state is not None and state.due_at is not None]
            if left:
                waited += _sleep_until(world, min(dues, default=None))
    seconds = (world.clock.now() - started).total_seconds()
    calls = _calls_since(world, tenant, first)
    least = import_minimum(held)
    taken = {entity.value: dict(world.records.store.status(tenant.tenant_id, entity).counts) for entity in Entity}
    return {
        "seeded": {kind: len(ids) for kind, ids in seeded.created.items()},
        "xero_holds": {kind.value: count for kind, count in held.items()},
        "xero_calls": {"measured": sum(calls.values()), "minimum": sum(least.values())},
        "calls_by_endpoint": {
            endpoint: {"measured": calls.get(endpoint, 0), "minimum": least.get(endpoint, 0)}
            for endpoint in sorted({*calls, *least})
        },
        "simulated_minutes": {
            "measured": round(seconds / 60, 2),
            "minimum": earliest_last_call(sum(least.values()), RECONCILIATION_PER_MINUTE),
            "allowance_per_minute": RECONCILIATION_PER_MINUTE,
        },
        "simulated_seconds_waiting_for_the_budget": round(waited, 1),
        "reconcile_runs": runs,
        "platform_records": taken,
        "wall_seconds": round(time.perf_counter() - wall, 1),
    }


def edit_invoices(world: PullWorld, tenant: ConnectedTenant, ids: Sequence[str], round_: int) -> list[SentMessage]:
    """A Xero user edits each invoice once (its reference); the queue messages the webhook intake enqueued
    for the deliveries Xero's webhooks made of the changes (one per delivery and tenant)."""
    world.take_heard()
    for n, invoice_id in enumerate(ids):
        world.act(tenant, "POST", f"/Invoices/{invoice_id}", {"Invoices": [{"Reference": f"edit {round_}.{n}"}]})
    heard = [h for h in world.take_heard() if h.change.tenant_id == tenant.xero_tenant_id]
    messages = world.deliver(heard)
    invoices = {notice.resource_id for notice in notices_in(messages) if notice.category == "INVOICE"}
    if len(invoices) != len(ids):
        raise EditError(f"{len(ids)} invoices edited, {len(invoices)} INVOICE notices enqueued")
    return messages


def notices_in(messages: Sequence[SentMessage]) -> list[ChangeNotice]:
    """The notices the webhook's messages carry, in order."""
    return [notice for m in messages for notice in ChangeNotices.model_validate_json(m.body).notices]


def _drain(world: PullWorld, tenant: ConnectedTenant) -> tuple[int, float]:
    """Run the pull with no new notices at each nudge until nothing is kept; (runs, simulated seconds waited)."""
    runs, waited = 0, 0.0
    while world.pending.listing(tenant.tenant_id):
        runs += 1
        if runs > MOST_RUNS:
            raise StuckError("kept fetches never drained")
        report = world.pull.run(tenant.tenant_id, [])
        waited += _sleep_until(world, report.deferred_until)
    return runs, waited


def consume(
    world: PullWorld, tenant: ConnectedTenant, messages: Sequence[SentMessage], *, paced: bool
) -> dict[str, Any]:
    """The pull on the notices of `messages` in the queue's batches of 10 messages. Paced: each batch is
    read before the next arrives (a wait is slept out, then the kept batch read); otherwise batches arrive
    back to back and what the budget holds up is kept and read at the nudge."""
    first = len(world.calls.of(tenant.xero_tenant_id))
    started, runs, waited, fetched = world.clock.now(), 0, 0.0, 0
    with quiet():
        for start in range(0, len(messages), SQS_BATCH):
            report = world.pull.run(tenant.tenant_id, notices_in(messages[start : start + SQS_BATCH]))
            runs += 1
            fetched += report.fetched
            if paced and report.deferred_until is not None:
                waited += _sleep_until(world, report.deferred_until)
                more, slept = _drain(world, tenant)
                runs, waited = runs + more, waited + slept
        more, slept = _drain(world, tenant)
    calls = _calls_since(world, tenant, first)
    notices = notices_in(messages)
    return {
        "fetch_calls": {"measured": sum(calls.values()), "minimum": fetch_minimum(len(notices))},
        "calls_by_endpoint": dict(calls),
        "queue_messages": len(messages),
        "worker_batches": math.ceil(len(messages) / SQS_BATCH),
        "pull_runs": runs + more,
        "simulated_minutes": round((world.clock.now() - started).total_seconds() / 60, 2),
        "simulated_seconds_waiting_for_the_budget": round(waited + slept, 1),
    }


def consume_kept(world: PullWorld, tenant: ConnectedTenant, messages: Sequence[SentMessage]) -> dict[str, Any]:
    """The alternative: every notice kept (as the pull keeps what it cannot read now), then read in one run,
    50 ids a call, through the same pull."""
    first = len(world.calls.of(tenant.xero_tenant_id))
    now = world.clock.now()
    notices = notices_in(messages)
    world.pending.keep(
        tenant.tenant_id, [waiting(notice, None, now, "bench: kept to read together") for notice in notices]
    )
    with quiet():
        runs, waited = _drain(world, tenant)
    calls = _calls_since(world, tenant, first)
    return {
        "fetch_calls": {"measured": sum(calls.values()), "minimum": fetch_minimum(len(notices))},
        "calls_by_endpoint": dict(calls),
        "pull_runs": runs,
        "simulated_seconds_waiting_for_the_budget": round(waited, 1),
    }


def idle_day(world: PullWorld, tenant: ConnectedTenant, hours: int) -> dict[str, Any]:
    """Nothing changes in Xero; the scheduled function runs every minute (ReconcileDue, what is due is
    enqueued) and the worker reconciles what each request names; keep-alive runs once a day. The clock
    jumps minute to minute. The first hour settles the kinds onto their intervals; the hours after it are
    measured."""
    world.clock.set_scale(1.0)  # jumps carry the time; the few wall seconds of work barely move it
    queue = MemoryWorkQueue(world.clock)
    due = ReconcileDue(world.states, queue, world.clock)
    keep_alive = KeepAlive(world.state.connections, world.pull.custodian, world.clock)
    xero_id = tenant.xero_tenant_id
    grants_before = world.calls.snapshot()["tokenGrants"]
    measured_from = world.clock.now() + timedelta(hours=1)
    first_measured: int | None = None
    per_hour: Counter[int] = Counter()
    kept_alive: Counter[str] = Counter()
    handled = 0
    end = world.clock.now() + timedelta(hours=hours + 1)
    with quiet():
        while world.clock.now() < end:
            if first_measured is None and world.clock.now() >= measured_from:
                first_measured = len(world.calls.of(xero_id))
            due.run()
            for message in queue.messages[handled:]:
                request = SyncRequest.model_validate_json(message.body)
                world.reconcile.run(request.tenant_id, list(request.reconcile))
            handled = len(queue.messages)
            if (world.clock.now() - measured_from) % timedelta(days=1) < SCHEDULE_TICK:
                counts = keep_alive.run()
                kept_alive.update({k: v for k, v in counts.model_dump().items() if v})
            world.clock.advance(SCHEDULE_TICK.total_seconds())
    calls = world.calls.of(xero_id)[first_measured or 0 :]
    start = measured_from.timestamp()
    for call in calls:
        per_hour[int((call.at - start) // 3600)] += 1
    measured = len(calls) / hours
    least = idle_minimum_per_hour()
    grants = world.calls.snapshot()["tokenGrants"]
    return {
        "hours_measured": hours,
        "calls_per_hour": {"measured": round(measured, 3), "minimum": least},
        "calls_by_endpoint_per_hour": {
            endpoint: round(count / hours, 3) for endpoint, count in sorted(Counter(c.endpoint for c in calls).items())
        },
        "busiest_hour_calls": max(per_hour.values(), default=0),
        "tenants_one_app_serves": {"measured": tenants_served(measured), "minimum_calls_allow": tenants_served(least)},
        "token_grants_in_the_day": _grant_delta(grants_before, grants),
        "keep_alive": dict(kept_alive),
        "reconcile_requests": handled,
    }


def _grant_delta(before: Any, after: Any) -> Any:
    if isinstance(after, dict):
        return {
            key: _grant_delta(before.get(key, 0) if isinstance(before, dict) else 0, value)
            for key, value in after.items()
        }
    return after - before if isinstance(after, int) else after
