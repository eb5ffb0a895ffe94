"""The sync from Xero over the push world's stage, fed by the simulator's real webhooks.

`pull_for(world)` composes the pull over the push world's table, connection, custodian, rate budget
and bus. `pull_world(sim, stage)` adds the whole way in: the app's webhook points at the webhook
function behind the local gateway (Intent to Receive passed), which enqueues change notices on the
stage's work queue; `deliver()` flushes the simulator's deliveries, receives what the queue holds
and hands it to the sync worker's handler as Lambda's event source mapping would.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import httpx

from functions.sync_worker.dependencies import SyncWorkerDependencies
from functions.sync_worker.handler import lambda_handler as sync_worker
from functions.webhook.dependencies import build_dependencies as webhook_dependencies
from functions.webhook.handler import lambda_handler as webhook
from functions.webhook.settings import WebhookSettings
from local_stack.event_capture import captured_events
from local_stack.gateway import GatewayServer, LocalGateway, Route
from shared.adapters.dynamodb_change_feed import DynamoDbChangeFeed, DynamoDbPendingFetches
from shared.domain.inbound.changes import ChangeKind, RecordChange
from shared.domain.sync_settings import TenantSyncSettings
from shared.fakes.memory_work_queue import MemoryWorkQueue
from shared.usecases.pull.run import SyncPull
from shared.usecases.sync_work import SyncWork
from tests.events import LocalLambdaContext, queue_arn, sqs_event, sqs_record_from_message
from tests.integration.conftest import Stage
from tests.integration.push_world import SETTINGS, PushWorld, push_world
from xero_simulator.server import Simulator

WEBHOOK_PATH = "/webhooks/xero"
EVERYTHING = "~"  # past every sort key: the whole feed, settled or not
CHANGE_EVENTS = {f"record.{kind.value}" for kind in ChangeKind}


def pull_for(world: PushWorld) -> SyncPull:
    push = world.push_service
    table = world.stage.names.state_table
    return SyncPull.beside(push, DynamoDbChangeFeed(table), DynamoDbPendingFetches(table))


@dataclass
class PullWorld:
    push: PushWorld
    pull: SyncPull
    worker: SyncWorkerDependencies
    control: httpx.Client
    queue_url: str
    _events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def tenant_id(self) -> str:
        return self.push.tenant_id

    def act(self, method: str, path: str, body: Any) -> dict[str, Any]:
        """Do as a Xero user in the tenant's organisation; Xero's answer body."""
        answer = self.control.post(
            f"/organisations/{self.push.tenant.xero_tenant_id}/act", json={"method": method, "path": path, "body": body}
        )
        answer.raise_for_status()
        outcome: dict[str, Any] = answer.json()
        assert outcome["status"] == 200, outcome
        body_: dict[str, Any] = outcome["body"]
        return body_

    def deliver(self) -> list[dict[str, Any]]:
        """Send Xero's pending webhooks and run the worker on what reached the queue; the SQS records run."""
        self.control.post("/webhooks/flush").raise_for_status()
        return self.run_worker(self.received())

    def received(self) -> list[dict[str, Any]]:
        """Every message on the work queue now, as Lambda's event records, each received once and deleted."""
        sqs = boto3.client("sqs")
        records: list[dict[str, Any]] = []
        arn = queue_arn(self.push.stage.names.work_queue)
        while True:
            answer = sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"], WaitTimeSeconds=0
            )
            batch = answer.get("Messages", [])
            if not batch:
                return records
            for message in batch:
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
                records.append(sqs_record_from_message(message, source_arn=arn))

    def run_worker(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The sync worker's handler on `records`, ten at a time, as the event source mapping batches them."""
        for start in range(0, len(records), 10):
            answer = sync_worker(
                sqs_event(records[start : start + 10]), LocalLambdaContext("sync-worker"), deps=self.worker
            )
            assert answer == {"batchItemFailures": []}, answer
        return records

    def changes(self) -> list[RecordChange]:
        """The tenant's whole change feed, settled or not."""
        return self.pull.feed.read(self.tenant_id, None, 1000, until=EVERYTHING)

    def kinds(self) -> list[tuple[str, str, str]]:
        return [(c.kind.value, c.entity.value, c.platform_id) for c in self.changes()]

    def events(self) -> list[dict[str, Any]]:
        """Every event of a change made in Xero that the stage's bus received so far, oldest first."""
        self._events.extend(captured_events(self.push.stage.names))
        return [event for event in self._events if event["detail-type"] in CHANGE_EVENTS]


@contextmanager
def pull_world(sim: Simulator, stage: Stage, settings: TenantSyncSettings = SETTINGS) -> Iterator[PullWorld]:
    push = push_world(sim, stage, settings)
    app = push.tenant.app.party.app
    boto3.client("secretsmanager").put_secret_value(
        SecretId=stage.names.webhook_key_secret, SecretString=app.webhook_key
    )
    handler = functools.partial(webhook, deps=webhook_dependencies(WebhookSettings()))
    gateway = GatewayServer(LocalGateway([Route("POST", WEBHOOK_PATH, "webhook", handler)]), port=0)
    base_url = gateway.start()
    pull = pull_for(push)
    worker = SyncWorkerDependencies(work=SyncWork(push.push_service, pull, MemoryWorkQueue(), push.sim.world.clock))
    try:
        with httpx.Client(base_url=f"{sim.base_url}/_sim", timeout=30) as control:
            control.post("/webhooks/pause").raise_for_status()
            control.put(f"/apps/{app.client_id}/webhook", json={"url": base_url + WEBHOOK_PATH}).raise_for_status()
            itr = control.post(f"/apps/{app.client_id}/webhook/intent-to-receive")
            itr.raise_for_status()
            assert itr.json()["passed"], itr.json()
            yield PullWorld(push, pull, worker, control, stage.resources.work_queue_url)
    finally:
        gateway.stop()
