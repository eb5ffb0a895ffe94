"""Real-shaped Lambda events and context for tests: the same builders the local stack uses."""

from local_stack.events import (
    ACCOUNT_ID,
    DEFAULT_REGION,
    LocalLambdaContext,
    http_api_event,
    is_text_content_type,
    queue_arn,
    rule_arn,
    scheduled_event,
    sqs_event,
    sqs_record,
    sqs_record_from_message,
)

__all__ = [
    "ACCOUNT_ID",
    "DEFAULT_REGION",
    "LocalLambdaContext",
    "http_api_event",
    "is_text_content_type",
    "queue_arn",
    "rule_arn",
    "scheduled_event",
    "sqs_event",
    "sqs_record",
    "sqs_record_from_message",
]
