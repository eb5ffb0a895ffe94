"""Reconciliation from Xero with fakes (issue 5, §2): what is due is enqueued from the due index, each
kind is read from its watermark page by page through the budget and taken as a webhook's fetch, a
wait resumes on the page it stopped on, and the watermark moves only after the last page."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from shared.domain.inbound import reconcile as reconcile_plans
from shared.domain.inbound.instants import xero_instant
from shared.domain.inbound.reconcile_state import CLAIM, fresh
from shared.domain.inbound.settings import SyncedKind
from shared.domain.rate_limits import Delay, Priority
from shared.domain.records import Entity
from shared.domain.sync_requests import SyncRequest
from shared.fakes.clock import SettableClock
from shared.fakes.memory_reconciliation import MemoryReconcileStates
from shared.fakes.memory_told import MemoryToldElements
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.ports.rate_budget import Permit
from shared.ports.work_queue import sync_requests_group
from shared.ports.xero_accounting import XeroAnswer, XeroRateLimitedError, XeroRequest
from shared.ports.xero_identity import XeroUnavailableError
from shared.usecases.pull.reconcile import SyncReconcile
from shared.usecases.reconcile_due import ReconcileDue
from shared.usecases.sync_work import QueuedMessage, SyncWork
from tests.unit.pull.pull_world import (
    NOW,
    TENANT,
    FakeXeroRecords,
    PullWorld,
    ms,
    xero_contact,
    xero_invoice,
    xero_payment,
)

T0 = NOW


class ListingXero(FakeXeroRecords):
    """Xero's records, also answered to listings: those stamped at or after If-Modified-Since, of the
    Type a where names, in id order, paged by page and pageSize."""

    def call(self, access_token: str, xero_tenant_id: str, request: XeroRequest) -> XeroAnswer:
        if "IDs" in request.params or "Guid(" in request.params.get("where", ""):
            return super().call(access_token, xero_tenant_id, request)
        self.calls.append(request)
        failure = self.failures.pop(0) if self.failures else None
        if failure is not None:
            raise failure
        collection = request.path.strip("/")
        held = [self.records.get(collection, {})[key] for key in sorted(self.records.get(collection, {}))]
        since = request.if_modified_since
        listed = [
            element
            for element in held
            if since is None or (xero_instant(element["UpdatedDateUTC"]) or since) >= since
            if 'Type=="' not in request.params.get("where", "")
            or f'Type=="{element.get("Type")}"' in request.params["where"]
        ]
        if "page" in request.params:
            size = int(request.params.get("pageSize", "100"))
            page = int(request.params["page"])
            listed = listed[(page - 1) * size : page * size]
        answered_as = "Organisations" if collection == "Organisation" else collection
        return XeroAnswer(status=200, body={answered_as: listed})


class ReconcileWorld(PullWorld):
    def __init__(self) -> None:
        super().__init__(xero=ListingXero())
        self.states = MemoryReconcileStates()
        self.told = MemoryToldElements()
        self.reconcile = SyncReconcile(self.pull, self.states, self.told)

    def listings(self) -> list[XeroRequest]:
        return [
            call for call in self.xero.calls if "IDs" not in call.params and "Guid(" not in call.params.get("where", "")
        ]


@pytest.fixture
def pages_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reconcile_plans, "PAGE_SIZE", 2)


def test_the_due_job_enqueues_one_request_per_tenant_from_the_due_index_and_claims_them() -> None:
    # Given two due kinds of one tenant, one of another, and one due later
    clock, states = SettableClock(T0), MemoryReconcileStates()
    queue = MemoryWorkQueue(clock)
    states.put(fresh(TENANT, SyncedKind.INVOICE, T0 - timedelta(minutes=1)))
    states.put(fresh(TENANT, SyncedKind.PAYMENT, T0))
    states.put(fresh("tenant-2", SyncedKind.CONTACT, T0))
    states.put(fresh("tenant-2", SyncedKind.BILL, T0 + timedelta(minutes=1)))
    # When the every-minute job runs
    enqueued = ReconcileDue(states, queue, clock).run()
    # Then each tenant has one reconcile request naming its due kinds, at reconciliation priority
    [mine] = [SyncRequest.model_validate_json(body) for body in queue.bodies(sync_requests_group(TENANT))]
    [theirs] = [SyncRequest.model_validate_json(body) for body in queue.bodies(sync_requests_group("tenant-2"))]
    assert (enqueued, mine.reason, mine.priority, mine.pushes) == (3, "reconcile", Priority.RECONCILIATION, False)
    assert (set(mine.reconcile), theirs.reconcile) == ({SyncedKind.INVOICE, SyncedKind.PAYMENT}, (SyncedKind.CONTACT,))
    # And they are claimed: not enqueued again until the claim runs out
    assert ReconcileDue(states, queue, clock).run() == 0
    clock.advance(CLAIM)
    assert ReconcileDue(states, queue, clock).run() == 4


def test_a_first_reconciliation_reads_everything_and_takes_what_webhooks_never_announced(pages_of_two: None) -> None:
    # Given three contacts in Xero the platform never heard of
    world = ReconcileWorld()
    for n in range(3):
        world.xero.put("Contacts", xero_contact(f"x-c{n}", f"Club {n}", T0 - timedelta(days=1)))
    # When contacts are reconciled
    report = world.reconcile.run(TENANT, [SyncedKind.CONTACT])
    # Then two pages were read, with no If-Modified-Since, and every contact taken
    assert [(call.params["page"], call.if_modified_since) for call in world.listings()] == [("1", None), ("2", None)]
    assert (report.pages, report.outcomes) == (2, {"contact": "read"})
    assert [change[0] for change in world.changes()] == ["created"] * 3
    assert len(world.event_types()) == 3
    # And the watermark is the run's start, next due an hour later, nothing left to resume
    state = world.states.get(TENANT, SyncedKind.CONTACT)
    assert state is not None
    assert (state.last_success, state.due_at, state.page) == (T0, T0 + timedelta(minutes=60), None)


def test_a_kind_s_first_read_takes_from_the_budget_at_backfill_priority_and_later_reads_at_reconciliation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a contact in Xero, and a budget that notes the priority of every call
    world = ReconcileWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Bayside Club", T0 - timedelta(days=1)))
    asked: list[Priority] = []
    take = world.budget.take

    def noted(xero_tenant_id: str, priority: Priority, now: datetime) -> Permit | Delay:
        asked.append(priority)
        return take(xero_tenant_id, priority, now)

    monkeypatch.setattr(world.budget, "take", noted)
    # When contacts are read the first time (the backfill), then again an hour on
    world.reconcile.run(TENANT, [SyncedKind.CONTACT])
    first = list(asked)
    world.clock.advance(timedelta(hours=1))
    world.reconcile.run(TENANT, [SyncedKind.CONTACT])
    # Then the backfill waited behind live work, and the later read did not
    assert set(first) == {Priority.BACKFILL}
    assert set(asked[len(first) :]) == {Priority.RECONCILIATION}


def test_the_next_run_asks_only_for_what_changed_since_the_watermark_less_the_overlap() -> None:
    # Given a reconciled contact
    world = ReconcileWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Old name", T0 - timedelta(days=1)))
    world.reconcile.run(TENANT, [SyncedKind.CONTACT])
    # When it is renamed in Xero (its webhook lost) and the next reconciliation runs an hour on
    world.clock.advance(timedelta(hours=1))
    world.xero.put("Contacts", xero_contact("x-c1", "New name", world.clock.now() - timedelta(minutes=1)))
    world.reconcile.run(TENANT, [SyncedKind.CONTACT])
    # Then it asked for what changed since 5 minutes before the first run, and the rename arrived
    assert world.listings()[-1].if_modified_since == T0 - timedelta(minutes=5)
    assert world.record(Entity.CONTACT, "xero-x-c1").body["name"] == "New name"
    assert world.changes()[-1][0] == "updated"


def test_a_wait_part_way_keeps_the_page_and_the_watermark_and_resumes_there(pages_of_two: None) -> None:
    # Given five invoices (three pages) and Xero answering 429 to the second page
    world = ReconcileWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Club", T0 - timedelta(days=1)))
    for n in range(5):
        world.xero.put("Invoices", xero_invoice(f"x-i{n}", "x-c1", "100.00", T0 - timedelta(days=1)))
    world.reconcile.run(TENANT, [SyncedKind.CONTACT])
    world.xero.failures.append(None)
    world.xero.failures.append(XeroRateLimitedError(40, "minute"))
    # When invoices are reconciled
    report = world.reconcile.run(TENANT, [SyncedKind.INVOICE])
    # Then page 1 was taken, and the state waits for the minute to pass, on page 2, its watermark unmoved
    state = world.states.get(TENANT, SyncedKind.INVOICE)
    assert state is not None
    assert (state.page, state.run_started, state.last_success) == (2, T0, None)
    assert state.due_at == T0 + timedelta(seconds=40)
    assert report.outcomes == {"invoice": "resumable at page 2"}
    assert len([c for c in world.changes() if c[1] == "invoice"]) == 2
    # When it resumes once the minute has passed
    world.clock.advance(timedelta(seconds=40))
    world.reconcile.run(TENANT, [SyncedKind.INVOICE])
    # Then it read pages 2 and 3 (page 1 not again), took the rest, and the watermark is the first part's start
    invoice_pages = [call.params["page"] for call in world.listings() if call.path == "/Invoices"]
    assert invoice_pages == ["1", "2", "2", "3"]
    assert len([c for c in world.changes() if c[1] == "invoice"]) == 5
    state = world.states.get(TENANT, SyncedKind.INVOICE)
    assert state is not None
    assert (state.page, state.last_success, state.due_at) == (None, T0, T0 + timedelta(minutes=15))


def xero_item(xero_id: str, code: str, updated: datetime) -> dict[str, Any]:
    return {"ItemID": xero_id, "Code": code, "Name": f"Item {code}", "UpdatedDateUTC": ms(updated)}


def test_an_item_deleted_in_xero_is_deleted_on_the_platform_by_the_next_complete_listing() -> None:
    # Given two items the platform has from Xero
    world = ReconcileWorld()
    world.xero.put("Items", xero_item("x-it1", "GUTTER", T0 - timedelta(days=1)))
    world.xero.put("Items", xero_item("x-it2", "DRAIN", T0 - timedelta(days=1)))
    world.reconcile.run(TENANT, [SyncedKind.ITEM])
    # When a Xero user deletes one (Xero's items have no status: it is gone from the listing) and, an hour on,
    # items are reconciled again
    del world.xero.records["Items"]["x-it2"]
    world.clock.advance(timedelta(hours=1))
    report = world.reconcile.run(TENANT, [SyncedKind.ITEM])
    # Then the listing was complete (no If-Modified-Since), the deleted item is deleted on the platform with its
    # last body, and the other is untouched
    assert world.listings()[-1].if_modified_since is None
    assert report.outcomes == {"item": "read"}
    assert world.changes()[-1] == ("deleted", "item", "xero-x-it2")
    gone = world.record(Entity.ITEM, "xero-x-it2")
    assert (gone.deleted, gone.body["code"], gone.xero_status) == (True, "DRAIN", "DELETED")
    assert not world.record(Entity.ITEM, "xero-x-it1").deleted


def test_an_item_listing_xero_failed_deletes_nothing() -> None:
    # Given an item the platform has from Xero
    world = ReconcileWorld()
    world.xero.put("Items", xero_item("x-it1", "GUTTER", T0 - timedelta(days=1)))
    world.reconcile.run(TENANT, [SyncedKind.ITEM])
    # When the next listing fails every time (a 503)
    world.clock.advance(timedelta(hours=1))
    world.xero.failures = [XeroUnavailableError("503")] * 5
    world.reconcile.run(TENANT, [SyncedKind.ITEM])
    # Then nothing is deleted: a failure is never taken for a deletion
    assert not world.record(Entity.ITEM, "xero-x-it1").deleted
    assert [kind for kind, entity, _ in world.changes() if entity == "item"] == ["created"]


def test_a_payment_recorded_in_xero_is_caught_by_reconciliation() -> None:
    # Given an invoice taken from Xero
    world = ReconcileWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Club", T0 - timedelta(days=1)))
    world.xero.put("Invoices", xero_invoice("x-i1", "x-c1", "100.00", T0 - timedelta(days=1)))
    world.reconcile.run(TENANT, [SyncedKind.CONTACT, SyncedKind.INVOICE])
    # When a Xero user records its payment (Xero sends no webhook for payments) and payments are reconciled
    world.xero.put("Payments", xero_payment("x-p1", "x-i1", "110.00", T0))
    report = world.reconcile.run(TENANT, [SyncedKind.PAYMENT])
    # Then the payment is a receipt on the platform
    receipt = world.record(Entity.PAYMENT, "xero-x-p1")
    assert (receipt.body["invoice_id"], report.outcomes) == ("xero-x-i1", {"payment": "read"})
    assert world.changes()[-1] == ("created", "payment", "xero-x-p1")


def test_the_reference_kinds_are_one_refresh_of_the_reference_data() -> None:
    # Given the tenant's accounts, tax rates and tracking categories are due
    world = ReconcileWorld()
    world.xero.records["Organisation"] = {"org": {"Name": "Bayside", "BaseCurrency": "AUD"}}
    # When they are reconciled
    report = world.reconcile.run(TENANT, [SyncedKind.ACCOUNT, SyncedKind.TAX_RATE, SyncedKind.TRACKING_CATEGORY])
    # Then the four reference reads were made once, and each kind is read and next due a day later
    assert sorted(call.path for call in world.listings()) == [
        "/Accounts",
        "/Organisation",
        "/TaxRates",
        "/TrackingCategories",
    ]
    assert set(report.outcomes.values()) == {"read"}
    state = world.states.get(TENANT, SyncedKind.ACCOUNT)
    assert state is not None
    assert state.due_at == T0 + timedelta(days=1)


def test_the_worker_runs_a_scheduled_reconciliation_without_a_push_and_a_trigger_forces_one() -> None:
    # Given a worker with reconciliation, and a contact in Xero
    world = ReconcileWorld()
    world.xero.put("Contacts", xero_contact("x-c1", "Club", T0 - timedelta(days=1)))
    pushed: list[str] = []

    class NoPush:
        def run(self, tenant_id: str, **_: Any) -> Any:
            pushed.append(tenant_id)
            raise AssertionError("a scheduled reconciliation asks for no push")

    work = SyncWork(NoPush(), world.pull, MemoryWorkQueue(world.clock), world.clock, world.reconcile)  # type: ignore[arg-type]
    request = SyncRequest(
        tenant_id=TENANT, priority=Priority.RECONCILIATION, reason="reconcile", reconcile=(SyncedKind.CONTACT,)
    )
    message = QueuedMessage("m-1", sync_requests_group(TENANT), request.model_dump_json())
    # When the scheduled request is handled
    failed = work.handle([message], None)
    # Then the contact is taken, and no push ran
    assert (failed, pushed, world.changes()) == (set(), [], [("created", "contact", "xero-x-c1")])
    assert json.loads(request.model_dump_json())["reconcile"] == ["contact"]
