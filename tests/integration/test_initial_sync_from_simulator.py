"""The initial sync against the simulator (issue 5, §4): the first read of contacts is a backfill that
counts what it reads against Xero's pagination totals; a worker crash part way leaves it running, and
the next run resumes on the page it stopped on, the progress reading right throughout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shared.adapters.dynamodb_reconciliation import DynamoDbReconcileStates
from shared.adapters.dynamodb_told import DynamoDbToldElements
from shared.domain.inbound import reconcile as reconcile_plans
from shared.domain.inbound.backfill import KindPhase
from shared.domain.inbound.settings import SyncedKind
from shared.domain.records import Entity
from shared.usecases.initial_sync import InitialSync
from shared.usecases.pull.fetching import XeroReads
from shared.usecases.pull.reading import Reading
from shared.usecases.pull.reconcile import SyncReconcile
from tests.integration.conftest import Stage
from tests.integration.pull_world import PullWorld, pull_world
from tests.integration.test_pull_from_simulator import new_contact
from xero_simulator.server import Simulator

PAGE_SIZE = 2


class WorkerCrashedError(Exception):
    """The Lambda died part way (out of memory, a timeout): nothing in the run catches it."""


@pytest.fixture
def world(simulator: Simulator, stage: Stage, monkeypatch: pytest.MonkeyPatch) -> Iterator[PullWorld]:
    monkeypatch.setattr(reconcile_plans, "PAGE_SIZE", PAGE_SIZE)
    with pull_world(simulator, stage) as made:
        yield made


def test_a_backfill_interrupted_by_a_crash_resumes_on_its_page_and_its_progress_reads_right(
    world: PullWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a Xero organisation with a few more contacts than two pages hold
    for n in range(5):
        new_contact(world, f"Backfill Customer {n}")
    states = DynamoDbReconcileStates(world.push.stage.names.state_table)
    reconcile = SyncReconcile(world.pull, states, DynamoDbToldElements(world.push.stage.names.state_table))
    initial = InitialSync(states, world.pull.settings, world.pull.connections, world.pull.xero.budget, world.pull.clock)
    pages: list[str] = []
    listing = XeroReads.listing

    def listed(reads: XeroReads, collection: str, params: dict[str, str], since: Any) -> Any:
        pages.append(params.get("page", "-"))
        return listing(reads, collection, params, since)

    monkeypatch.setattr(XeroReads, "listing", listed)
    taking = Reading.take_all
    taken = {"pages": 0}

    def crashing(reading: Reading, collection: str, elements: Any, depth: int) -> Any:
        taken["pages"] += 1
        if taken["pages"] == 2:
            raise WorkerCrashedError
        return taking(reading, collection, elements, depth)

    monkeypatch.setattr(Reading, "take_all", crashing)
    # When the backfill of contacts starts and the worker crashes while taking the second page
    with pytest.raises(WorkerCrashedError):
        reconcile.run(world.tenant_id, [SyncedKind.CONTACT])
    # Then the progress shows contacts running: one page of two read, out of Xero's total
    contacts = next(kind for kind in initial.progress(world.tenant_id).kinds if kind.kind is SyncedKind.CONTACT)
    assert contacts.phase is KindPhase.RUNNING
    assert (contacts.records, contacts.pages) == (PAGE_SIZE, 1)
    total = contacts.total
    assert total is not None
    assert total >= 5
    assert contacts.page_count == -(-total // PAGE_SIZE)
    assert contacts.calls >= 1
    assert pages[:2] == ["1", "2"]
    # When the worker runs the reconciliation again
    monkeypatch.setattr(Reading, "take_all", taking)
    pages.clear()
    reconcile.run(world.tenant_id, [SyncedKind.CONTACT])
    # Then it resumed on page 2, read to the last page, and the progress counts every contact once
    assert pages[0] == "2"
    progress = initial.progress(world.tenant_id)
    contacts = next(kind for kind in progress.kinds if kind.kind is SyncedKind.CONTACT)
    assert contacts.phase is KindPhase.DONE
    assert contacts.records == total
    assert contacts.pages == len(pages) + 1
    assert contacts.page_count is not None
    assert contacts.pages >= contacts.page_count
    assert progress.day_calls_used >= contacts.calls
    assert progress.day_calls_left == 5000 - progress.day_calls_used
    # And every contact Xero holds is on the platform
    held, _ = world.push.records.store.listing(world.tenant_id, Entity.CONTACT, None, 1000)
    assert {record.body["name"] for record in held} >= {f"Backfill Customer {n}" for n in range(5)}
