"""Xero's webhook: POST /webhooks/xero to the webhook function, which verifies the signature, records
receipts and enqueues; it must answer within 5 seconds (FACTS.md §2), hence the memory for fast cold starts."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigwv2
from constructs import Construct

from infra.cdk.capabilities.gateway import Gateway
from infra.cdk.capabilities.platform_api import SYNCHRONOUS
from infra.cdk.capabilities.service_function import FunctionRuntime, FunctionSpec, ServiceFunction

WEBHOOK_PATH = "/webhooks/xero"
WEBHOOK_ROUTES = ((apigwv2.HttpMethod.POST, WEBHOOK_PATH),)

WEBHOOK = FunctionSpec(
    name="webhook",
    description="xero-sync: Xero's webhook deliveries, verified and enqueued",
    memory_mb=1024,
    # Xero gives up after 5 s and retries the delivery; a longer run would answer no one.
    timeout=Duration.seconds(10),
    failures_kept_by=SYNCHRONOUS + "; Xero retries a delivery that was not answered 200 for 24 hours",
)


class WebhookIntake(Construct):
    """`webhook`: the function behind POST /webhooks/xero."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        gateway: Gateway,
        runtime: FunctionRuntime,
    ) -> None:
        super().__init__(scope, construct_id)
        self.webhook = ServiceFunction(self, "Webhook", spec=WEBHOOK, runtime=runtime)
        gateway.route(
            "Webhook",
            self.webhook.function,
            WEBHOOK_ROUTES,
            authorised_in_function_by=(
                "Xero signs each delivery with the app's webhook key and sends no credentials the gateway could "
                "check: the function verifies the HMAC-SHA256 x-xero-signature over the raw body and answers 401"
            ),
        )
