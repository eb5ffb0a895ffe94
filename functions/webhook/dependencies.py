"""The webhook function's dependencies: adapters composed once per execution environment, at cold start."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from functions.webhook.settings import WebhookSettings
from shared.adapters.dynamodb_state import DynamoDbState
from shared.adapters.secrets_manager import SecretsManagerAppSecrets
from shared.adapters.sqs import SqsWorkQueue
from shared.clock import SystemClock
from shared.usecases.webhook_intake import WebhookIntake


@dataclass(frozen=True)
class WebhookDependencies:
    intake: WebhookIntake


def build_dependencies(settings: WebhookSettings) -> WebhookDependencies:
    """The intake over DynamoDB, SQS and Secrets Manager of `settings`' stage (the webhook key cached
    by the app secrets adapter, so a warm invocation makes no Secrets Manager call)."""
    names = settings.names
    region = settings.aws_region
    state = DynamoDbState.for_table(names.state_table, region_name=region)
    return WebhookDependencies(
        intake=WebhookIntake(
            app_secrets=SecretsManagerAppSecrets(names, region_name=region),
            connections=state.connections,
            receipts=state.webhook_receipts,
            queue=SqsWorkQueue(names.work_queue, region_name=region),
            clock=SystemClock(),
        )
    )


@cache
def production_dependencies() -> WebhookDependencies:
    """Built on the first invocation from the environment, then reused while the environment is warm."""
    return build_dependencies(WebhookSettings())
