"""The webhook function as API Gateway calls it: what Xero gets back (FACTS.md §2.1) and what is counted."""

from __future__ import annotations

from typing import Any

import pytest

from functions.webhook.dependencies import WebhookDependencies
from functions.webhook.handler import lambda_handler
from shared.fakes.memory_app_secrets import MemoryAppSecrets
from tests.events import LocalLambdaContext, http_api_event
from tests.metric_lines import emitted_metrics
from tests.unit.intake_fakes import WEBHOOK_KEY, IntakeWorld
from tests.webhook_deliveries import Delivery, change_event, intent_to_receive, signed_delivery
from xero_simulator.webhooks.signature import sign

ORG = "8c1b8f1e-0a55-4d8c-9a2e-0d6f5f1a0a01"


@pytest.fixture
def world() -> IntakeWorld:
    connected = IntakeWorld()
    connected.connect("tenant-a", ORG)
    return connected


def post(world: IntakeWorld, delivery: Delivery, *, signature: str | None = None, **event: Any) -> dict[str, Any]:
    """POST the delivery to the function as API Gateway (HTTP API, payload 2.0) would."""
    headers = {"content-type": "application/json", "user-agent": "Xero-Webhooks"}
    headers["x-xero-signature"] = delivery.signature if signature is None else signature
    request = http_api_event("POST", "/webhooks/xero", headers=headers, body=delivery.body, **event)
    answer: dict[str, Any] = lambda_handler(
        request, LocalLambdaContext("webhook"), deps=WebhookDependencies(intake=world.intake)
    )
    return answer


def test_taken_delivery_is_answered_200_with_an_empty_body_and_no_cookie(world: IntakeWorld) -> None:
    # Given a correctly signed delivery
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG)])
    # When API Gateway passes it to the function
    answer = post(world, delivery)
    # Then the answer is 200 with nothing in it
    assert answer == {"statusCode": 200, "headers": {}, "body": "", "isBase64Encoded": False}
    assert len(world.queue.messages) == 1


def test_base64_encoded_body_is_verified_over_its_decoded_bytes(world: IntakeWorld) -> None:
    # Given a delivery that API Gateway handed over base64-encoded
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG)])
    # When the function receives it
    answer = post(world, delivery, force_base64=True)
    # Then the signature matched the decoded bytes and the event was enqueued
    assert answer["statusCode"] == 200
    assert len(world.queue.messages) == 1


def test_bad_signature_is_answered_401_with_an_empty_body_and_counted(
    world: IntakeWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a delivery whose signature is not ours
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG)])
    # When the function receives it
    answer = post(world, delivery, signature="bm90IGEgc2lnbmF0dXJl")
    # Then Xero gets 401 with no body, the refusal is counted, and nothing was enqueued
    assert (answer["statusCode"], answer["body"], answer["headers"]) == (401, "", {})
    assert emitted_metrics(capsys.readouterr().out)["WebhookRejectedSignature"] == 1
    assert world.queue.messages == []


def test_missing_signature_header_is_answered_401(world: IntakeWorld) -> None:
    # Given a delivery posted without x-xero-signature
    delivery = signed_delivery(WEBHOOK_KEY, [change_event(ORG)])
    headers = {"content-type": "application/json"}
    request = http_api_event("POST", "/webhooks/xero", headers=headers, body=delivery.body)
    # When the function receives it
    answer = lambda_handler(request, LocalLambdaContext("webhook"), deps=WebhookDependencies(intake=world.intake))
    # Then Xero gets 401
    assert answer["statusCode"] == 401


def test_intent_to_receive_is_answered_200_with_an_empty_body(world: IntakeWorld) -> None:
    # Given Xero's Intent to Receive request, correctly signed
    # When the function receives it
    answer = post(world, intent_to_receive(WEBHOOK_KEY))
    # Then it is answered 200 with no body
    assert (answer["statusCode"], answer["body"]) == (200, "")


def test_failed_enqueue_is_answered_500_so_that_xero_retries(world: IntakeWorld) -> None:
    # Given a queue that refuses the next message
    world.queue.fail()
    # When a delivery arrives
    answer = post(world, signed_delivery(WEBHOOK_KEY, [change_event(ORG)]))
    # Then Xero gets an error status, which it retries, and an empty body
    assert (answer["statusCode"], answer["body"]) == (500, "")


def test_correctly_signed_unreadable_body_is_answered_500_so_that_xero_retries(world: IntakeWorld) -> None:
    # Given a correctly signed body that is not Xero's payload
    body = b'{"events": "not a list"}'
    unreadable = Delivery(body, sign(WEBHOOK_KEY, body))
    # When the function receives it
    answer = post(world, unreadable)
    # Then Xero gets 500: its retries keep the events until a parser that reads them is deployed
    assert answer["statusCode"] == 500


def test_missing_webhook_key_is_answered_500_not_401() -> None:
    # Given a deployment whose operator has not filled the webhook key yet
    world = IntakeWorld(app_secrets=MemoryAppSecrets(webhook_key=None))
    # When a delivery arrives
    answer = post(world, signed_delivery(WEBHOOK_KEY, [change_event(ORG)]))
    # Then the answer is an error Xero retries, not a claim that its signature is wrong
    assert answer["statusCode"] == 500
