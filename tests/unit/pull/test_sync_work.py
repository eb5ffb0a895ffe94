"""The sync worker's batch with the sync from Xero: change notices are pulled per tenant, every tenant
of the batch gets a pull after its push, and only what failed goes back to the queue."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

from shared.domain.inbound.watch import OVERLAP, WATCH_EVERY, WATCH_FOR, Watch, WatchTick
from shared.domain.records import Entity
from shared.domain.sync_requests import SyncRequest
from shared.domain.webhook_events import ChangeNotice, ChangeNotices
from shared.fakes.memory_watches import MemoryTickQueue, MemoryWatches
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.ports.work_queue import change_notices_group, sync_requests_group
from shared.usecases.pull.watch import ReferenceWatch
from shared.usecases.push.run import SyncPush
from shared.usecases.sync_work import QueuedMessage, SyncWork
from tests.unit.pull.pull_world import NOW, TENANT, PullWorld, notice, xero_contact
from tests.unit.pull.test_pull import a_contact_body


def work_of(world: PullWorld) -> SyncWork:
    pull = world.pull
    push = SyncPush(
        records=pull.records,
        settings=pull.settings,
        schedule=pull.schedule,
        connections=pull.connections,
        custodian=pull.custodian,
        xero=pull.xero,
        events=pull.events,
        clock=pull.clock,
    )
    return SyncWork(push, pull, MemoryWorkQueue(world.clock), world.clock)


def as_message(
    number: int, item: ChangeNotice | ChangeNotices | SyncRequest, group: str | None = None
) -> QueuedMessage:
    default = (
        sync_requests_group(item.tenant_id) if isinstance(item, SyncRequest) else change_notices_group(item.tenant_id)
    )
    return QueuedMessage(f"m-{number}", group or default, item.model_dump_json())


def test_change_notices_are_pulled_and_acknowledged() -> None:
    # Given a contact new in Xero and its notice on the tenant's group of changes
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    # When the worker handles the batch / Then the contact is on the platform and nothing comes back
    assert work_of(world).handle([as_message(1, notice("x-c1"))], None) == set()
    assert world.changes() == [("created", "contact", "xero-x-c1")]


def test_a_batch_of_old_and_new_messages_is_one_pull_of_every_notice() -> None:
    # Given three contacts new in Xero, one announced by a single notice queued before the deploy and two
    # by a message of one delivery's notices
    world = PullWorld()
    for xero_id in ("x-c1", "x-c2", "x-c3"):
        world.xero.put("Contacts", xero_contact(xero_id, f"Club {xero_id}", NOW))
    old = as_message(1, notice("x-c1"))
    new = as_message(2, ChangeNotices(tenant_id=TENANT, notices=[notice("x-c2"), notice("x-c3")]))
    # When the worker handles the batch
    failed = work_of(world).handle([old, new], None)
    # Then both are acknowledged and the pull read the three contacts in one call
    assert failed == set()
    assert [sorted(call.params["IDs"].split(",")) for call in world.xero.calls] == [["x-c1", "x-c2", "x-c3"]]
    assert sorted(world.changes()) == [("created", "contact", f"xero-x-c{n}") for n in (1, 2, 3)]


def test_a_message_of_notices_in_another_tenant_s_group_is_acknowledged_unread() -> None:
    # Given a message of notices for tenant-1 found in another tenant's group of changes
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    forged = as_message(1, ChangeNotices(tenant_id=TENANT, notices=[notice("x-c1")]), change_notices_group("tenant-2"))
    # When handled / Then it is acknowledged, and Xero is not read for it
    assert work_of(world).handle([forged], None) == set()
    assert world.xero.calls == []


def test_a_message_of_notices_holding_another_tenant_s_notice_is_acknowledged_unread() -> None:
    # Given a message for tenant-1 whose notices include one of tenant-2 (written by hand, not by the webhook)
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    body = {"kind": "xero.changes", "tenant_id": TENANT, "notices": [notice("x-c1", tenant="tenant-2").model_dump()]}
    mixed = QueuedMessage("m-1", change_notices_group(TENANT), json.dumps(body))
    # When handled / Then it is acknowledged, and Xero is not read for it
    assert work_of(world).handle([mixed], None) == set()
    assert world.xero.calls == []


def test_a_notice_in_another_tenant_s_group_is_acknowledged_unread() -> None:
    # Given a notice for tenant-1 found in another tenant's group of changes
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    forged = as_message(1, notice("x-c1"), group=change_notices_group("tenant-2"))
    # When handled / Then it is acknowledged, and Xero is not read for it
    assert work_of(world).handle([forged], None) == set()
    assert world.xero.calls == []


def test_a_sync_request_also_pulls_the_tenant_s_kept_fetches_that_are_due() -> None:
    # Given a notice kept while the push held the lease, now due
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    world.records.schedule.acquire(TENANT, "push", NOW, timedelta(minutes=1))
    world.run(notice("x-c1"))
    world.records.schedule.release(TENANT, "push")
    world.clock.advance(timedelta(minutes=1))
    # When the scheduled function's sync request is handled
    work_of(world).handle([as_message(1, SyncRequest(tenant_id=TENANT, reason="schedule"))], None)
    # Then the kept notice was read and taken
    assert world.changes() == [("created", "contact", "xero-x-c1")]
    assert world.pending.listing(TENANT) == []


class BrokenFeed:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("DynamoDB is down")


def test_a_pull_that_fails_sends_back_only_its_notices() -> None:
    # Given a worker whose change feed is down, and a batch with the tenant's request and notice
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    work = work_of(world)
    work = replace(work, pull=replace(work.pull, feed=BrokenFeed()))  # type: ignore[arg-type]
    request = as_message(1, SyncRequest(tenant_id=TENANT))
    change = as_message(2, notice("x-c1"))
    # When handled / Then the notice goes back to the queue, the request does not
    assert work.handle([request, change], None) == {"m-2"}


def test_a_message_that_is_no_notice_is_acknowledged() -> None:
    # Given a body that claims to be a change notice but is not one
    world = PullWorld()
    broken = QueuedMessage("m-1", change_notices_group(TENANT), json.dumps({"kind": "xero.change"}))
    # When handled / Then it is acknowledged and nothing is read
    assert work_of(world).handle([broken], None) == set()
    assert world.xero.calls == []


def watched_work(world: PullWorld) -> tuple[SyncWork, MemoryWatches, MemoryTickQueue]:
    watches, ticks = MemoryWatches(), MemoryTickQueue(world.clock)
    return replace(work_of(world), watch=ReferenceWatch(world.pull, watches, ticks)), watches, ticks


def first_tick(world: PullWorld) -> tuple[SyncWork, MemoryWatches, MemoryTickQueue, WatchTick]:
    """The worker with a watch, after a change made in Xero began it and its first tick came due."""
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    work, watches, ticks = watched_work(world)
    work.handle([as_message(1, notice("x-c1"))], None)
    world.clock.advance(WATCH_EVERY)
    [tick] = ticks.due()
    return work, watches, ticks, tick


def test_change_notices_begin_a_watch_on_the_tenant_s_accounts_and_a_tick_follows_two_seconds_later() -> None:
    # Given a contact new in Xero and its notice
    world = PullWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", NOW))
    work, watches, ticks = watched_work(world)
    # When the worker handles it
    assert work.handle([as_message(1, notice("x-c1"))], None) == set()
    # Then the tenant is watched for a minute, and its first tick is due WATCH_EVERY later
    watch = watches.get(TENANT)
    assert watch is not None
    assert watch.until == NOW + WATCH_FOR
    [tick] = ticks.sent
    assert (tick.tick.tenant_id, tick.due_at) == (TENANT, NOW + WATCH_EVERY)


def test_the_echo_of_our_own_write_begins_no_watch() -> None:
    # Given a contact the platform wrote and Xero holds, and the webhook of that write
    world = PullWorld()
    world.synced_from_platform(Entity.CONTACT, "c-1", a_contact_body(), "x-c1", NOW)
    work, watches, ticks = watched_work(world)
    # When the worker handles it / Then nobody is at work in Xero: no watch, no tick
    assert work.handle([as_message(1, notice("x-c1"))], None) == set()
    assert (watches.get(TENANT), ticks.sent) == (None, [])


def test_a_tick_looks_at_the_accounts_changed_since_and_ticks_again() -> None:
    # Given a watched tenant whose reference data the platform was never told of
    world = PullWorld()
    work, watches, ticks, tick = first_tick(world)
    # When its tick comes
    assert work.handle([QueuedMessage("t-1", "", tick.model_dump_json())], None) == set()
    # Then Xero is asked for the accounts changed since the copy was read (less the overlap), the platform is
    # told of every account, tax rate and tracking category once, and the next tick is on its way
    look = world.xero.calls[-1]
    assert (look.path, look.if_modified_since) == ("/Accounts", NOW - OVERLAP)
    told = {(kind, entity) for kind, entity, _ in world.changes()}
    assert told >= {("created", "account"), ("created", "tax_rate"), ("created", "tracking_category")}
    assert [sent.due_at for sent in ticks.sent] == [NOW + 2 * WATCH_EVERY]
    watch = watches.get(TENANT)
    assert watch is not None
    assert watch.calls == 1


def test_a_tick_that_fails_is_acknowledged_and_the_watch_ends() -> None:
    # Given a watched tenant whose store of watches fails
    world = PullWorld()
    work, _, ticks, tick = first_tick(world)
    broken = replace(work, watch=ReferenceWatch(world.pull, _FailingWatches(), ticks))
    # When its tick comes / Then it is not sent back (a late tick is worth nothing), and no tick follows
    assert broken.handle([QueuedMessage("t-1", "", tick.model_dump_json())], None) == set()
    assert ticks.sent == []


class _FailingWatches(MemoryWatches):
    def get(self, tenant_id: str) -> Watch | None:
        raise RuntimeError("DynamoDB is down")
