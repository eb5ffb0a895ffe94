"""The accounts watch against the simulator (shared/usecases/pull/watch.py): while a tenant works in
Xero, an account archived, added or renamed there is told to the platform by the next look, through
the stage's table, tick queue (an SQS standard queue's delayed message), rate budget and bus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest

from shared.adapters.dynamodb_reconciliation import DynamoDbReconcileStates
from shared.adapters.dynamodb_told import DynamoDbToldElements
from shared.adapters.dynamodb_watches import DynamoDbWatches
from shared.adapters.sqs import SqsTickQueue
from shared.domain.inbound.reconcile_state import REFERENCE_KINDS
from shared.domain.inbound.watch import WATCH_EVERY, WATCH_FOR, TickStep, WatchTick
from shared.usecases.pull.reconcile import SyncReconcile
from shared.usecases.pull.watch import ReferenceWatch
from tests.integration.conftest import Stage
from tests.integration.pull_world import PullWorld, pull_world
from xero_simulator.server import Simulator


@pytest.fixture
def world(simulator: Simulator, stage: Stage) -> Iterator[PullWorld]:
    with pull_world(simulator, stage) as made:
        # The reference data read once, as the connection's initial sync does: the platform has every account
        SyncReconcile(
            made.pull,
            DynamoDbReconcileStates(stage.names.state_table),
            DynamoDbToldElements(stage.names.state_table),
        ).run(made.tenant_id, list(REFERENCE_KINDS))
        yield made


def a_watch(world: PullWorld) -> ReferenceWatch:
    names = world.push.stage.names
    return ReferenceWatch(world.pull, DynamoDbWatches(names.state_table), SqsTickQueue(names.tick_queue))


def next_tick(world: PullWorld) -> tuple[WatchTick, float]:
    """The next tick on the stage's queue (it waits out the tick's delay) and the seconds it took to come."""
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=world.push.stage.names.tick_queue)["QueueUrl"]
    answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=10, AttributeNames=["All"])
    (message,) = answer["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    waited = (
        int(message["Attributes"]["ApproximateFirstReceiveTimestamp"]) - int(message["Attributes"]["SentTimestamp"])
    ) / 1000
    return WatchTick.model_validate(json.loads(message["Body"])), waited


def account_coded(world: PullWorld, code: str) -> dict[str, Any]:
    accounts = world.act("GET", "/Accounts", None)["Accounts"]
    return next(account for account in accounts if account.get("Code") == code)


def told(world: PullWorld, entity: str) -> list[tuple[str, str, str | None, int]]:
    return [
        (c.kind.value, c.platform_id, c.xero_status, c.version) for c in world.changes() if c.entity.value == entity
    ]


def test_the_reference_data_read_once_tells_the_platform_every_account(world: PullWorld) -> None:
    accounts = world.act("GET", "/Accounts", None)["Accounts"]
    created = {platform_id for kind, platform_id, _, _ in told(world, "account") if kind == "created"}
    active = {f"xero-{a['AccountID']}" for a in accounts if a["Status"] == "ACTIVE"}
    assert created == active
    assert {
        e["detail"]["data"]["platform_id"] for e in world.events() if e["detail"]["data"]["entity"] == "account"
    } == active


def test_an_account_archived_while_the_tenant_works_in_xero_is_told_by_the_next_tick(world: PullWorld) -> None:
    watch = a_watch(world)
    # Given the tenant is at work in Xero (its change notices began a watch)
    watch.begin(world.tenant_id)
    # When a Xero user archives an expense account
    archived = account_coded(world, "404")
    world.act("POST", f"/Accounts/{archived['AccountID']}", {"Accounts": [{"Status": "ARCHIVED"}]})
    # Then the next tick comes WATCH_EVERY later, and its look tells the platform the account is deleted
    tick, waited = next_tick(world)
    assert waited >= WATCH_EVERY.total_seconds() - 0.5
    assert watch.tick(tick) is TickStep.LOOK
    platform_id = f"xero-{archived['AccountID']}"
    assert ("deleted", platform_id, "ARCHIVED", 2) in told(world, "account")
    deleted = [e for e in world.events() if e["detail-type"] == "record.deleted"]
    assert [e["detail"]["data"]["platform_id"] for e in deleted] == [platform_id]
    # And the copy the mapping checks against has it archived
    stored = world.push.push_service.settings.reference(world.tenant_id)
    assert stored is not None
    assert next(a for a in stored.accounts if a.account_id == archived["AccountID"]).status == "ARCHIVED"
    # And the chain goes on, and a look that finds nothing changed tells nothing
    again, _ = next_tick(world)
    before = len(world.changes())
    assert watch.tick(again) is TickStep.LOOK
    assert len(world.changes()) == before


def test_a_new_account_is_told_as_created(world: PullWorld) -> None:
    watch = a_watch(world)
    watch.begin(world.tenant_id)
    created = world.act("PUT", "/Accounts", {"Code": "W477", "Name": "Wages on call", "Type": "EXPENSE"})["Accounts"][0]
    tick, _ = next_tick(world)
    watch.tick(tick)
    assert ("created", f"xero-{created['AccountID']}", "ACTIVE", 1) in told(world, "account")


def test_the_watch_ends_watch_for_after_the_last_notice_and_a_stray_chain_ends_at_once(world: PullWorld) -> None:
    watch = a_watch(world)
    watch.begin(world.tenant_id)
    tick, _ = next_tick(world)
    # A tick of a chain nobody keeps (SQS delivered one twice, or two workers began one) ends
    assert watch.tick(tick.model_copy(update={"chain": "stray"})) is TickStep.END
    # The watch's own tick, once WATCH_FOR has passed since the notice, ends it: no tick follows
    world.push.sim.world.clock.advance((WATCH_FOR + timedelta(seconds=1)).total_seconds())
    assert watch.tick(tick) is TickStep.END
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=world.push.stage.names.tick_queue)["QueueUrl"]
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=3).get("Messages", []) == []
