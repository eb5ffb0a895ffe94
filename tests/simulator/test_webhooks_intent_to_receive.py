"""Intent to Receive: Xero enables a webhook only for a receiver that answers 200 and 401 correctly (FACTS.md §2.3)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.simulator.conftest import Tenant
from tests.simulator.webhook_receiver import WebhookReceiver, running_receiver, xero_signature


@pytest.fixture
def receiver(tenant: Tenant, control: httpx.Client) -> Iterator[WebhookReceiver]:
    """A receiver holding the app's webhook key, set as the app's webhook URL."""
    for started in running_receiver():
        started.key = tenant.app.webhook_key
        control.put(f"/apps/{tenant.app.client_id}/webhook", json={"url": started.url}).raise_for_status()
        yield started


def run_itr(control: httpx.Client, tenant: Tenant) -> dict[str, Any]:
    answer = control.post(f"/apps/{tenant.app.client_id}/webhook/intent-to-receive")
    answer.raise_for_status()
    result: dict[str, Any] = answer.json()
    return result


def test_correct_receiver_passes_and_the_webhook_is_enabled(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a receiver that answers 200 to good signatures and 401 to bad ones
    # When Intent to Receive runs
    result = run_itr(control, tenant)
    # Then every request passed and the webhook is enabled
    assert result["passed"] is True
    assert all(request["passed"] for request in result["requests"])
    assert result["webhook"]["status"] == "enabled"


def test_receiver_accepting_a_bad_signature_fails_intent_to_receive(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a receiver that answers 200 without checking the signature
    receiver.verify = False
    # When Intent to Receive runs
    result = run_itr(control, tenant)
    # Then the incorrectly signed requests failed as Xero's portal words it, and the webhook is not enabled
    bad = [r for r in result["requests"] if r["signature"] == "incorrect"]
    assert {(r["status"], r["passed"], r["problem"]) for r in bad} == {
        (200, False, "Response to incorrectly signed payload not 401")
    }
    assert result["passed"] is False
    assert result["webhook"]["status"] == "disabled"


def test_receiver_refusing_good_signatures_fails_intent_to_receive(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a receiver holding the wrong webhook key, so it answers 401 to everything
    receiver.key = "not-the-webhook-key"
    # When Intent to Receive runs
    result = run_itr(control, tenant)
    # Then the correctly signed requests failed
    good = [r for r in result["requests"] if r["signature"] == "correct"]
    assert {r["problem"] for r in good} == {"Response to correctly signed payload not 200"}
    assert result["passed"] is False


def test_receiver_answering_with_a_body_fails_intent_to_receive(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a receiver that checks signatures but writes a body in its answers
    receiver.answer_body = b'{"ok": true}'
    # When Intent to Receive runs
    result = run_itr(control, tenant)
    # Then it fails for the body
    assert result["passed"] is False
    assert result["reason"] == "Response contained a body"


def test_intent_to_receive_sends_empty_payloads_signed_right_and_wrong(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a correct receiver
    # When Intent to Receive runs
    run_itr(control, tenant)
    # Then each request is the empty ITR payload, and both good and bad signatures were sent
    bodies = [json.loads(r.body) for r in receiver.received]
    assert all(b["events"] == [] and b["firstEventSequence"] == b["lastEventSequence"] == 0 for b in bodies)
    assert all(
        r.body.startswith(b'{"events": [], "lastEventSequence": 0, "firstEventSequence": 0, ')
        for r in receiver.received
    )
    verdicts = {xero_signature(tenant.app.webhook_key, r.body) == r.signature for r in receiver.received}
    assert verdicts == {True, False}


def test_new_webhook_url_needs_intent_to_receive_again(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given an enabled webhook
    run_itr(control, tenant)
    # When the app's webhook URL changes
    changed = control.put(f"/apps/{tenant.app.client_id}/webhook", json={"url": receiver.url + "/v2"}).json()
    # Then the webhook waits for a new Intent to Receive
    assert changed["status"] == "unverified"


def test_intent_to_receive_needs_a_webhook_url(tenant: Tenant, control: httpx.Client) -> None:
    # Given an app without a webhook URL
    # When Intent to Receive is asked for
    answer = control.post(f"/apps/{tenant.app.client_id}/webhook/intent-to-receive")
    # Then the control API refuses
    assert (answer.status_code, answer.json()) == (400, {"message": "the app has no webhook URL"})
