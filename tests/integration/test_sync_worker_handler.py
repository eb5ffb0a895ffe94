"""The sync worker as SQS invokes it: one push per tenant in a batch, and only a failed tenant's
messages delivered again."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from functions.sync_worker.dependencies import SyncWorkerDependencies
from functions.sync_worker.handler import lambda_handler
from shared.domain.ledger import SyncState
from shared.domain.records import Entity
from shared.domain.sync_requests import SyncRequest
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.usecases.sync_work import SyncWork
from tests.events import LocalLambdaContext, sqs_event, sqs_record
from tests.integration.conftest import Stage
from tests.integration.pull_world import pull_for
from tests.integration.push_world import PushWorld, a_contact, an_invoice, push_world
from xero_simulator.server import Simulator

QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:xero-sync-test-work.fifo"


@pytest.fixture
def world(simulator: Simulator, stage: Stage) -> PushWorld:
    return push_world(simulator, stage)


def worker(world: PushWorld) -> SyncWorkerDependencies:
    work = SyncWork(world.push_service, pull_for(world), MemoryWorkQueue(), world.sim.world.clock)
    return SyncWorkerDependencies(work=work)


def message(group: str, body: dict[str, Any] | str) -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    return sqs_record(text, source_arn=QUEUE_ARN, message_group_id=group)


def invoke(deps: SyncWorkerDependencies, *records: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = lambda_handler(sqs_event(records), LocalLambdaContext("sync-worker"), deps=deps)
    return answer


def test_a_sync_request_sends_the_tenants_pending_records(world: PushWorld) -> None:
    # Given a customer and an invoice written on the platform
    world.write(Entity.CONTACT, "c1", a_contact("Bayside Club"))
    world.write(Entity.INVOICE, "i1", an_invoice("c1", "100.00"))
    # When the worker receives the tenant's sync request
    answer = invoke(worker(world), message(world.tenant_id, SyncRequest(tenant_id=world.tenant_id).model_dump()))
    # Then nothing is delivered again and the invoice is in Xero
    assert answer == {"batchItemFailures": []}
    assert world.record(Entity.INVOICE, "i1").state is SyncState.SYNCED


def test_a_change_notice_and_a_message_it_does_not_know_are_acknowledged(world: PushWorld) -> None:
    # Given a webhook's change notice and a message that is not JSON in the tenant's group
    notice = {"kind": "xero.change", "tenant_id": world.tenant_id, "category": "CONTACT"}
    # When the worker receives them / Then neither is delivered again (nothing to retry in them)
    assert invoke(worker(world), message(world.tenant_id, notice), message(world.tenant_id, "not json")) == {
        "batchItemFailures": []
    }


def test_a_push_that_fails_sends_back_only_its_tenants_messages(world: PushWorld) -> None:
    # Given a worker whose push breaks for one tenant (its connection read fails)
    class Broken:
        def __getattr__(self, name: str) -> Any:
            raise RuntimeError("DynamoDB is down")

    broken = worker(world)
    broken = SyncWorkerDependencies(work=replace(broken.work, push=replace(broken.work.push, connections=Broken())))  # type: ignore[arg-type]
    first = message(world.tenant_id, SyncRequest(tenant_id=world.tenant_id).model_dump())
    other = message("tenant-other", {"kind": "xero.change", "tenant_id": "tenant-other"})
    # When the batch holds that tenant's request and another tenant's notice
    answer = invoke(broken, first, other)
    # Then only the failed tenant's message comes back
    assert answer == {"batchItemFailures": [{"itemIdentifier": first["messageId"]}]}
