"""A chaos run across both directions (issue 5, Done means): the platform and a Xero user change records
in the same rounds while Xero's API fails (5xx, maintenance pages, timeouts, answers lost after commit),
Xero's webhook deliveries are duplicated, reordered and dropped, SQS delivers the worker's batches again,
and a worker dies in the middle of a push and of a pull. After a last push, pull and forced
reconciliation of every kind with the faults off, the two sides agree record for record: nothing twice,
nothing missing, no deletion nobody made, and no change told twice in the feed.

The run is seeded (CHAOS_SEED, printed): the simulator's API faults, its delivery faults and the
choices of each round replay the same way. It runs twice: with the pull's worker dying between two
groups of fetched records, and between a change's feed line and its record write. Two short tests
after it pin two bugs the run showed: a status-only change told under a version of its own, and the
platform's own partial payment coming back as no change.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any, cast

import pytest

from functions.sync_worker.dependencies import SyncWorkerDependencies
from functions.sync_worker.handler import lambda_handler as sync_worker
from shared.adapters.dynamodb_reconciliation import DynamoDbReconcileStates
from shared.adapters.dynamodb_told import DynamoDbToldElements
from shared.domain.inbound.settings import SyncedKind
from shared.domain.ledger import StoredRecord, SyncState
from shared.domain.records import Entity
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.ports.records import RecordStore
from shared.ports.xero_identity import XeroUnavailableError
from shared.usecases.pull.reading import Reading
from shared.usecases.pull.reconcile import SyncReconcile
from shared.usecases.sync_work import SyncWork
from tests.events import LocalLambdaContext, sqs_event
from tests.integration.conftest import Stage
from tests.integration.pull_world import PullWorld, pull_world
from tests.integration.push_world import TODAY, a_contact, a_payment, an_invoice
from tests.integration.test_pull_from_simulator import new_contact, new_invoice
from tests.integration.test_push_to_simulator import CrashAfterXero
from xero_simulator.faults import Fault, FaultKind
from xero_simulator.server import Simulator

CHAOS_SEED = 20261102
ROUNDS = 3


class WorkerCrashedError(Exception):
    """The Lambda died part way (out of memory, a timeout): nothing in the run catches it."""


class CrashOnApply:
    """The record store, except that one write of a change from Xero fails: the worker died after the
    change's feed line was written and before the record was."""

    def __init__(self, inner: RecordStore, at_call: int) -> None:
        self._inner, self._at, self.calls, self.crashed = inner, at_call, 0, False

    def apply_from_xero(self, *args: Any, **kwargs: Any) -> StoredRecord | None:
        self.calls += 1
        if not self.crashed and self.calls == self._at:
            self.crashed = True
            raise WorkerCrashedError
        found: StoredRecord | None = self._inner.apply_from_xero(*args, **kwargs)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.fixture
def world(simulator: Simulator, stage: Stage) -> Iterator[PullWorld]:
    with pull_world(simulator, stage) as made:
        yield made


class Chaos:
    """One chaos run: the world, the seeded choices, and what each side did (the expected end state)."""

    def __init__(self, world: PullWorld, seed: int) -> None:
        self.world, self.rng = world, random.Random(seed)  # noqa: S311 - chaos, not cryptography
        self.seed = seed
        # The platform's records: contact id -> name; invoice id -> deleted; payment id -> invoice id.
        self.contacts: dict[str, str] = {}
        self.invoices: dict[str, bool] = {}
        self.paid: dict[str, str] = {}
        # A Xero user's records (Xero ids): contact -> name; invoice -> status; payment -> invoice.
        self.xero_contacts: dict[str, str] = {}
        self.xero_invoices: dict[str, str] = {}
        self.xero_payments: dict[str, str] = {}
        self.unseen_voids: set[str] = set()  # voided in Xero before the platform read them
        self.redelivered = 0
        self.push_failures = 0  # pushes that raised on Xero's 5xx (the worker's messages retried)
        self.push_crashes = 0  # pushes that died between Xero's write and the ledger's
        self.failed_batches = 0

    # -- the faults

    def faults_on(self) -> None:
        sim, control = self.world.push.sim, self.world.control
        sim.faults.clear(seed=self.seed)
        sim.faults.add(Fault(FaultKind.LOSE_RESPONSE, ratio=0.3, method="POST"))
        sim.faults.add(Fault(FaultKind.LOSE_RESPONSE, ratio=0.3, method="PUT"))
        sim.faults.add(Fault(FaultKind.TIMEOUT, ratio=0.1, seconds=0.1))
        sim.faults.add(Fault(FaultKind.ERROR_500, ratio=0.15))
        sim.faults.add(Fault(FaultKind.MAINTENANCE_503, ratio=0.1))
        control.delete("/webhooks/faults", params={"seed": str(self.seed)}).raise_for_status()
        control.put("/webhooks/settings", json={"max_batch_size": 2}).raise_for_status()
        for kind, ratio in (("duplicate", 0.3), ("reorder", 0.3), ("drop", 0.25)):
            control.post("/webhooks/faults", json={"kind": kind, "ratio": ratio}).raise_for_status()

    def faults_off(self) -> None:
        self.world.push.sim.faults.clear()
        self.world.control.delete("/webhooks/faults").raise_for_status()

    # -- the platform's side

    def platform_round(self, n: int) -> None:
        push = self.world.push
        for k in range(2):
            contact = f"c{n}{k}"
            self.contacts[contact] = f"Platform Customer {n}.{k}"
            push.write(Entity.CONTACT, contact, a_contact(self.contacts[contact]))
            invoice = f"i{n}{k}"
            fields = {"number": f"P-{n}{k}"} if k == 0 else {}
            push.write(Entity.INVOICE, invoice, an_invoice(contact, f"{10 * (n + 1) + k}.00", **fields))
            self.invoices[invoice] = False
        earlier = sorted(c for c in self.contacts if not c.startswith(f"c{n}"))
        if earlier:
            renamed = self.rng.choice(earlier)
            self.contacts[renamed] += " (renamed)"
            push.write(Entity.CONTACT, renamed, a_contact(self.contacts[renamed]))
        open_ = sorted(i for i, deleted in self.invoices.items() if not deleted and i not in self.paid.values())
        open_ = [i for i in open_ if not i.startswith(f"i{n}")]
        if open_:
            changed = self.rng.choice(open_)
            push.write(Entity.INVOICE, changed, an_invoice(f"c{changed[1:]}", "77.00", "3.00"))
            payable = [i for i in open_ if i != changed]
            if payable:
                invoice = self.rng.choice(payable)
                self.paid[f"p{n}"] = invoice
                push.write(Entity.PAYMENT, f"p{n}", a_payment(invoice, "5.00"))
                gone = [i for i in payable if i != invoice]
                if gone:
                    deleted = self.rng.choice(gone)
                    push.delete(Entity.INVOICE, deleted)
                    self.invoices[deleted] = True

    # -- a Xero user's side

    def xero_round(self, n: int) -> None:
        world = self.world
        contact = new_contact(world, f"Xero Customer {n}")
        self.xero_contacts[contact] = f"Xero Customer {n}"
        for k in range(3):
            self.xero_invoices[new_invoice(world, self.rng.choice(sorted(self.xero_contacts)), 100.0 + k)] = (
                "AUTHORISED"
            )
        earlier = sorted(c for c in self.xero_contacts if c != contact)
        if earlier:
            renamed = self.rng.choice(earlier)
            self.xero_contacts[renamed] += " (renamed in Xero)"
            world.act("POST", f"/Contacts/{renamed}", {"Contacts": [{"Name": self.xero_contacts[renamed]}]})
        authorised = sorted(i for i, status in self.xero_invoices.items() if status == "AUTHORISED")
        # The void falls on an invoice the platform holds, when there is one (the path to a tombstone).
        store = world.push.records.store
        held = [i for i in authorised if store.find_by_xero_id(world.tenant_id, Entity.INVOICE, i.lower()) is not None]
        voided = self.rng.choice(held or authorised)
        paid = self.rng.choice([i for i in authorised if i != voided])
        amount = float(Decimal(self.xero_total(paid)))
        payment = {
            "Invoice": {"InvoiceID": paid},
            "Account": {"Code": "090"},
            "Date": TODAY.isoformat(),
            "Amount": amount,
        }
        self.xero_payments[world.act("PUT", "/Payments", {"Payments": [payment]})["Payments"][0]["PaymentID"]] = paid
        self.xero_invoices[paid] = "PAID"
        # An invoice voided before the platform ever read it is not taken at all (nothing to delete there);
        # one the platform holds must come back as a tombstone.
        if world.push.records.store.find_by_xero_id(world.tenant_id, Entity.INVOICE, voided.lower()) is None:
            self.unseen_voids.add(voided)
        world.act("POST", f"/Invoices/{voided}", {"Invoices": [{"Status": "VOIDED"}]})
        self.xero_invoices[voided] = "VOIDED"

    def xero_total(self, invoice_id: str) -> str:
        [invoice] = [i for i in self.world.push.xero("Invoices") if i["InvoiceID"] == invoice_id]
        return str(invoice["Total"])

    # -- the worker

    def push(self, crash: bool) -> None:
        """One push as the worker runs it. A push that raises fails the worker's messages, which SQS
        delivers again: the next push is that retry. (A 5xx on the push's reference read raises
        XeroUnavailableError out of SyncPush.run rather than deferring the tenant.)"""
        world = self.world
        if crash:
            store = CrashAfterXero(world.push.records.store)
            try:
                world.push.push(store=cast(RecordStore, store))
            except XeroUnavailableError:
                self.push_failures += 1
            except RuntimeError as died:
                if str(died) != "the worker died":
                    raise
            self.push_crashes += int(store.crashed)
            return
        try:
            world.push.push()
        except XeroUnavailableError:
            self.push_failures += 1

    def deliver(self, deps: SyncWorkerDependencies | None = None) -> None:
        """Xero's webhooks flushed and the worker run on the queue's batches; a failed batch's messages
        are delivered again (SQS), and now and then a whole batch twice (at least once)."""
        world = self.world
        world.control.post("/webhooks/flush").raise_for_status()
        records = world.received()
        for start in range(0, len(records), 10):
            batch = records[start : start + 10]
            answer = sync_worker(sqs_event(batch), LocalLambdaContext("sync-worker"), deps=deps or world.worker)
            failed = {item["itemIdentifier"] for item in answer["batchItemFailures"]}
            if failed:
                self.failed_batches += 1
                world.run_worker([record for record in batch if record["messageId"] in failed])
            if self.rng.random() < 0.5:
                self.redelivered += 1
                world.run_worker(batch)

    def crashing_pull(self, at_call: int) -> SyncWorkerDependencies:
        world = self.world
        store = cast(RecordStore, CrashOnApply(world.pull.records, at_call))
        pull = replace(world.pull, records=store)
        return SyncWorkerDependencies(
            work=SyncWork(world.push.push_service, pull, MemoryWorkQueue(), world.push.sim.world.clock)
        )


def listing(world: PullWorld, entity: Entity) -> list[StoredRecord]:
    records, cursor = world.push.records.store.listing(world.tenant_id, entity, None, 1000)
    assert cursor is None
    return records


@pytest.mark.parametrize(
    "pull_crash",
    [
        "between-groups",
        "between-feed-and-record",
    ],
)
def test_a_chaos_run_across_both_directions_ends_with_no_duplicate_no_gap_and_no_false_deletion(
    world: PullWorld, monkeypatch: pytest.MonkeyPatch, pull_crash: str
) -> None:
    print(f"chaos seed {CHAOS_SEED}, pull crash {pull_crash}")
    chaos = Chaos(world, CHAOS_SEED)
    taking = Reading.take_all
    takes: dict[str, int | None] = {"n": 0, "crash_at": None}

    def crashing_take(reading: Reading, collection: str, elements: Any, depth: int) -> Any:
        takes["n"] = (takes["n"] or 0) + 1
        if takes["n"] == takes["crash_at"]:
            takes["crash_at"] = None  # one death per round
            raise WorkerCrashedError
        return taking(reading, collection, elements, depth)

    monkeypatch.setattr(Reading, "take_all", crashing_take)
    struck: Counter[str] = Counter()
    drawing = world.push.sim.faults.draw

    def counted(method: str, path: str, tenant_id: str | None) -> list[Fault]:
        faults = drawing(method, path, tenant_id)
        struck.update(fault.kind.value for fault in faults)
        return faults

    monkeypatch.setattr(world.push.sim.faults, "draw", counted)
    # Given rounds in which both sides write while Xero and its webhooks misbehave
    for n in range(ROUNDS):
        chaos.faults_on()
        chaos.platform_round(n)
        chaos.xero_round(n)
        # When a worker dies in a push (rounds 0 and 2) and in a pull (rounds 1 and 2), and the worker goes on
        chaos.push(crash=n != 1)
        dying = None
        if n >= 1 and pull_crash == "between-groups":
            takes["n"], takes["crash_at"] = 0, 2
        elif n >= 1:
            dying = chaos.crashing_pull(at_call=2)
        chaos.deliver(dying)
        for _ in range(3):
            chaos.push(crash=False)
            chaos.deliver(dying)
        takes["crash_at"] = None
        world.push.sim.world.clock.advance(61)  # kept fetches and deferred tenants come due
        world.pull.run(world.tenant_id, [])
    # And with the faults off, the last push and pull, and a forced reconciliation of every kind
    chaos.faults_off()
    world.push.sim.world.clock.advance(61)
    for _ in range(2):
        chaos.push(crash=False)
        world.pull.run(world.tenant_id, [])
        chaos.deliver()
    table = world.push.stage.names.state_table
    reconcile = SyncReconcile(world.pull, DynamoDbReconcileStates(table), DynamoDbToldElements(table))
    report = reconcile.run(world.tenant_id, list(SyncedKind), forced=True)
    assert report.stopped is None, report
    chaos.push(crash=False)
    chaos.deliver()
    assert world.push.push().calls == 0  # nothing left to send
    print(
        f"batches failed {chaos.failed_batches}, redelivered {chaos.redelivered}, pushes died "
        f"{chaos.push_crashes}, pushes failed on 5xx {chaos.push_failures}, "
        f"voids unseen by the platform {len(chaos.unseen_voids)} of {ROUNDS}, API faults struck {dict(struck)}, "
        f"webhook deliveries {world.push.sim.counters.snapshot()['webhookDeliveries']}"
    )
    # (the chaos did happen: every kind of API fault struck, and a worker died in a push and in a pull)
    assert set(struck) == {kind.value for kind in FaultKind} - {FaultKind.LATENCY.value}, struck
    assert (chaos.failed_batches >= 1, chaos.push_crashes >= 1) == (True, True)
    contacts, invoices, payments = (listing(world, e) for e in (Entity.CONTACT, Entity.INVOICE, Entity.PAYMENT))
    xero_contacts = {c["ContactID"]: c for c in world.push.xero("Contacts")}
    xero_invoices = {i["InvoiceID"]: i for i in world.push.xero("Invoices") if i["Type"] == "ACCREC"}
    xero_payments = {p["PaymentID"]: p for p in world.push.xero("Payments") if p["Status"] != "DELETED"}

    # Then every platform record is in Xero exactly once, synced, with the platform's values
    ours = {r.platform_id: r for r in contacts if not r.platform_id.startswith("xero-")}
    assert sorted(ours) == sorted(chaos.contacts)
    for pid, name in chaos.contacts.items():
        assert (ours[pid].state, xero_contacts[str(ours[pid].xero_id)]["Name"]) == (SyncState.SYNCED, name), pid
    ours_i = {r.platform_id: r for r in invoices if not r.platform_id.startswith("xero-")}
    assert sorted(ours_i) == sorted(chaos.invoices)
    for pid, deleted in chaos.invoices.items():
        record = ours_i[pid]
        assert (record.state, record.deleted) == (SyncState.SYNCED, deleted), pid
        assert (xero_invoices[str(record.xero_id)]["Status"] == "VOIDED") is deleted, pid
    ours_p = {r.platform_id: r for r in payments if not r.platform_id.startswith("xero-")}
    assert sorted(ours_p) == sorted(chaos.paid)
    for pid, invoice in chaos.paid.items():
        live = xero_payments[str(ours_p[pid].xero_id)]
        assert (ours_p[pid].state, live["_document_id"]) == (SyncState.SYNCED, ours_i[invoice].xero_id), pid
    # And nothing is in Xero twice: each Xero record is one platform record or one a Xero user made
    assert sorted(xero_contacts) == sorted([str(r.xero_id) for r in ours.values()] + list(chaos.xero_contacts))
    assert sorted(xero_invoices) == sorted([str(r.xero_id) for r in ours_i.values()] + list(chaos.xero_invoices))
    assert sorted(xero_payments) == sorted([str(r.xero_id) for r in ours_p.values()] + list(chaos.xero_payments))
    numbers = Counter(i["InvoiceNumber"] for i in xero_invoices.values())
    assert [number for number, count in numbers.items() if count > 1] == []
    names = Counter(c["Name"] for c in xero_contacts.values())
    assert [name for name, count in names.items() if count > 1] == []

    # And every record a Xero user made is on the platform once, as xero-<id>, with Xero's current values
    theirs = {r.platform_id: r for r in contacts if r.platform_id.startswith("xero-")}
    assert sorted(theirs) == sorted(f"xero-{x}" for x in chaos.xero_contacts)
    for xero_id, name in chaos.xero_contacts.items():
        assert theirs[f"xero-{xero_id}"].body["name"] == xero_contacts[xero_id]["Name"] == name
    theirs_i = {r.platform_id: r for r in invoices if r.platform_id.startswith("xero-")}
    taken = {x: status for x, status in chaos.xero_invoices.items() if x not in chaos.unseen_voids}
    assert sorted(theirs_i) == sorted(f"xero-{x}" for x in taken)
    assert all(xero_invoices[x]["Status"] == "VOIDED" for x in chaos.unseen_voids)
    for xero_id, status in taken.items():
        record = theirs_i[f"xero-{xero_id}"]
        assert (record.xero_status, xero_invoices[xero_id]["Status"], record.deleted) == (
            status,
            status,
            status == "VOIDED",
        ), xero_id
    theirs_p = {r.platform_id: r for r in payments if r.platform_id.startswith("xero-")}
    assert sorted(theirs_p) == sorted(f"xero-{x}" for x in chaos.xero_payments)
    for xero_id, invoice in chaos.xero_payments.items():
        assert theirs_p[f"xero-{xero_id}"].body["invoice_id"] == f"xero-{invoice}"
    for records in (contacts, invoices, payments):
        held = Counter(r.xero_id for r in records)
        assert [xero_id for xero_id, count in held.items() if count > 1] == []

    # And nothing was deleted that nobody deleted, on either side
    tombstones = sorted(r.platform_id for r in (*contacts, *invoices, *payments) if r.deleted)
    expected = [pid for pid, gone in chaos.invoices.items() if gone]
    expected += [f"xero-{x}" for x, status in taken.items() if status == "VOIDED"]
    assert tombstones == sorted(expected)
    assert [c["Name"] for c in xero_contacts.values() if c.get("ContactStatus") == "ARCHIVED"] == []

    # And the change feed tells each change once, each under a version of its own (a status-only change from
    # Xero, such as PAID, too; see the test below)
    told = Counter((c.entity.value, c.platform_id, c.version) for c in world.changes())
    assert [key for key, count in told.items() if count > 1] == []


def test_a_status_change_in_xero_is_told_under_a_version_of_its_own(world: PullWorld) -> None:
    # Given an invoice a Xero user made, which the platform has
    invoice_id = new_invoice(world, new_contact(world, "Harbour Cafe"))
    world.deliver()
    # When a Xero user records its payment in full
    payment = {
        "Invoice": {"InvoiceID": invoice_id},
        "Account": {"Code": "090"},
        "Date": TODAY.isoformat(),
        "Amount": 110,
    }
    world.act("PUT", "/Payments", {"Payments": [payment]})
    world.deliver()
    # Then the feed tells the invoice's creation and its payment under two versions
    told = [(c.kind.value, c.xero_status, c.version) for c in world.changes() if c.platform_id == f"xero-{invoice_id}"]
    assert [(kind, status) for kind, status, _ in told] == [("created", "AUTHORISED"), ("updated", "PAID")]
    assert len({version for _, _, version in told}) == 2, told


def test_the_platform_s_own_partial_payment_is_no_change_from_xero(world: PullWorld) -> None:
    # Given an invoice the platform sent without a number (Xero numbers it), synced, its echo taken
    world.push.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.push.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    world.push.push()
    world.deliver()
    # When the platform records a part payment of it and the push sends it
    world.push.write(Entity.PAYMENT, "p1", a_payment("i1", "5.00"))
    world.push.push()
    world.deliver()
    # Then nothing came back from Xero as a change
    assert world.kinds() == []
