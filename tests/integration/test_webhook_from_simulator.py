"""Xero's webhooks, sent by the simulator's real dispatcher through the local gateway to the webhook function
on moto: Intent to Receive passes, a changed contact arrives once on the tenant's FIFO message group, a
delivery of many events is one message, and a forged delivery enqueues nothing (FACTS.md §2)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import httpx
import pytest

from functions.webhook.dependencies import build_dependencies
from functions.webhook.handler import lambda_handler
from functions.webhook.settings import WebhookSettings
from local_stack.gateway import GatewayServer, LocalGateway, Route
from shared.adapters.dynamodb_state import DynamoDbState
from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.webhook_events import ChangeNotices
from shared.ports.work_queue import change_notices_group
from tests.integration.conftest import Stage
from tests.webhook_deliveries import change_event, signed_delivery
from xero_simulator.builders import create_app, create_organisation, create_user, direct_principal
from xero_simulator.server import Simulator
from xero_simulator.world import App, Organisation

WEBHOOK_PATH = "/webhooks/xero"


@dataclass
class Subscribed:
    """A simulator app whose webhook points at our function, and our tenant connected to its organisation."""

    app: App
    org: Organisation
    tenant_id: str
    webhook_url: str
    control: httpx.Client
    queue_url: str


@pytest.fixture
def subscribed(simulator: Simulator, stage: Stage) -> Iterator[Subscribed]:
    # The operator filled the stage's webhook key with the app's key from the (simulated) developer portal.
    app = create_app(simulator.world, "xero-sync", ["http://127.0.0.1/oauth/callback"])
    boto3.client("secretsmanager").put_secret_value(
        SecretId=stage.names.webhook_key_secret, SecretString=app.webhook_key
    )
    user = create_user(simulator.world, "owner@example.com")
    org = create_organisation(simulator.world, "Webhook Co", "AU", [user])
    direct_principal(simulator.world, app, user, [org.organisation_id], ["offline_access", "accounting.contacts"])
    tenant_id = str(uuid.uuid4())
    DynamoDbState.for_table(stage.names.state_table).connections.put(
        Connection(
            tenant_id=tenant_id,
            status=ConnectionStatus.CONNECTED,
            xero_tenant_id=org.organisation_id,
            xero_connection_id=str(uuid.uuid4()),
            organisation_name=org.name,
            updated_at=datetime.now(UTC),
        )
    )
    handler = functools.partial(lambda_handler, deps=build_dependencies(WebhookSettings()))
    gateway = GatewayServer(LocalGateway([Route("POST", WEBHOOK_PATH, "webhook", handler)]), port=0)
    base_url = gateway.start()
    with httpx.Client(base_url=f"{simulator.base_url}/_sim", timeout=30) as control:
        yield Subscribed(app, org, tenant_id, base_url + WEBHOOK_PATH, control, stage.resources.work_queue_url)
    gateway.stop()


def received_messages(queue_url: str) -> list[dict[str, Any]]:
    """Every message on the queue now, each received once and deleted (FIFO hides a group's next message
    until the one before is deleted)."""
    sqs = boto3.client("sqs")
    messages: list[dict[str, Any]] = []
    while True:
        answer = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"], WaitTimeSeconds=0
        )
        batch = answer.get("Messages", [])
        if not batch:
            return messages
        for message in batch:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        messages.extend(batch)


def pass_intent_to_receive(subscribed: Subscribed) -> dict[str, Any]:
    client_id = subscribed.app.client_id
    subscribed.control.put(f"/apps/{client_id}/webhook", json={"url": subscribed.webhook_url}).raise_for_status()
    answer = subscribed.control.post(f"/apps/{client_id}/webhook/intent-to-receive")
    answer.raise_for_status()
    result: dict[str, Any] = answer.json()
    return result


def act_as_user(subscribed: Subscribed, method: str, path: str, body: Any) -> dict[str, Any]:
    answer = subscribed.control.post(
        f"/organisations/{subscribed.org.organisation_id}/act", json={"method": method, "path": path, "body": body}
    )
    answer.raise_for_status()
    outcome: dict[str, Any] = answer.json()
    assert outcome["status"] == 200, outcome
    return outcome


def test_webhook_function_passes_xeros_intent_to_receive(subscribed: Subscribed) -> None:
    # Given the app's webhook URL set to the webhook function behind the gateway
    # When the simulator runs Intent to Receive (good and bad signatures in random order)
    result = pass_intent_to_receive(subscribed)
    # Then every request got the answer Xero requires and the webhook is enabled
    assert result["passed"] is True, result
    assert result["webhook"]["status"] == "enabled"


def test_changed_contact_arrives_once_in_the_tenants_group_of_change_notices(subscribed: Subscribed) -> None:
    # Given a contact, an enabled webhook, and deliveries that the simulator duplicates
    contact = act_as_user(subscribed, "PUT", "/Contacts", {"Contacts": [{"Name": "Ada Lovelace"}]})
    contact_id = contact["body"]["Contacts"][0]["ContactID"]
    assert pass_intent_to_receive(subscribed)["passed"]
    subscribed.control.post("/webhooks/pause").raise_for_status()
    subscribed.control.post("/webhooks/faults", json={"kind": "duplicate"}).raise_for_status()
    # When a Xero user renames the contact and the simulator delivers the change
    act_as_user(subscribed, "POST", f"/Contacts/{contact_id}", {"Contacts": [{"Name": "Ada King"}]})
    posts = subscribed.control.post("/webhooks/flush").json()["posts"]
    # Then both copies were taken, and one notice for the contact is on the tenant's group
    deliveries = subscribed.control.get("/webhooks/deliveries").json()["deliveries"]
    assert posts == 2
    assert [d["state"] for d in deliveries] == ["delivered", "delivered"], deliveries
    [message] = received_messages(subscribed.queue_url)
    assert message["Attributes"]["MessageGroupId"] == change_notices_group(subscribed.tenant_id)
    taken = ChangeNotices.model_validate_json(message["Body"])
    [notice] = taken.notices
    assert (notice.tenant_id, notice.xero_tenant_id, notice.category, notice.event_type, notice.resource_id) == (
        subscribed.tenant_id,
        subscribed.org.organisation_id,
        "CONTACT",
        "UPDATE",
        contact_id,
    )
    assert message["Attributes"]["MessageDeduplicationId"] == taken.deduplication_id()


def test_a_delivery_of_120_events_is_one_message_on_the_tenants_group(subscribed: Subscribed) -> None:
    # Given a delivery of 120 events of our tenant's organisation, signed with the app's webhook key
    events = [change_event(subscribed.org.organisation_id, category="INVOICE") for _ in range(120)]
    delivery = signed_delivery(subscribed.app.webhook_key, events)
    # When it is posted to the webhook URL as Xero would post it
    answer = httpx.post(
        subscribed.webhook_url,
        content=delivery.body,
        headers={"Content-Type": "application/json", "x-xero-signature": delivery.signature},
    )
    # Then it is taken, and SQS holds one message on the tenant's group with the 120 notices in order
    assert (answer.status_code, answer.content) == (200, b"")
    [message] = received_messages(subscribed.queue_url)
    assert message["Attributes"]["MessageGroupId"] == change_notices_group(subscribed.tenant_id)
    taken = ChangeNotices.model_validate_json(message["Body"])
    assert [n.resource_id for n in taken.notices] == [e["resourceId"] for e in events]


def test_forged_delivery_is_refused_and_enqueues_nothing(subscribed: Subscribed) -> None:
    # Given a delivery about our tenant's organisation signed with a key that is not the app's
    forged = signed_delivery("a-forgers-key", [change_event(subscribed.org.organisation_id)])
    # When it is posted to the webhook URL as Xero would post it
    answer = httpx.post(
        subscribed.webhook_url,
        content=forged.body,
        headers={"Content-Type": "application/json", "x-xero-signature": forged.signature},
    )
    # Then it is refused with 401 and an empty body, and the queue stays empty
    assert (answer.status_code, answer.content) == (401, b"")
    assert received_messages(subscribed.queue_url) == []
