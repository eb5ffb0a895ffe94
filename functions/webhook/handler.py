"""POST /webhooks/xero: Xero's webhook deliveries, verified, split per tenant and enqueued (FACTS.md §2)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from functions.webhook.answers import HANDLED, answer_to_error, answer_to_report
from functions.webhook.dependencies import WebhookDependencies, production_dependencies
from shared.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

SIGNATURE_HEADER = "x-xero-signature"


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: WebhookDependencies | None = None
) -> dict[str, Any]:
    request = APIGatewayProxyEventV2(event)
    intake = (deps or production_dependencies()).intake
    try:
        report = intake.receive(raw_body(request), request.headers.get(SIGNATURE_HEADER))
    except HANDLED as error:
        return answer_to_error(error)
    return answer_to_report(report)


def raw_body(request: APIGatewayProxyEventV2) -> bytes:
    """The bytes Xero sent: API Gateway base64-encodes a body it does not take for text (FACTS.md §6.5).

    Decoded to bytes, never to text and back, so the signature is checked over exactly what was signed.
    """
    body = request.body or ""
    return base64.b64decode(body) if request.is_base64_encoded else body.encode("utf-8")
