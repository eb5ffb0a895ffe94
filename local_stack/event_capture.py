"""LOCAL ONLY: a queue that receives every platform event published on a stage's bus, so the local
stack's demo and the tests can read what the platform would have received. Nothing like it is
deployed to AWS: there the platform subscribes to the bus with its own rules.
"""

from __future__ import annotations

import json
from typing import Any

import boto3

from shared.domain.platform_events import EVENT_SOURCE
from shared.resources import ResourceNames


def capture_queue_name(names: ResourceNames) -> str:
    """The local-only standard SQS queue the capture rule delivers to."""
    return f"{names.prefix}-events-capture"


def capture_rule_name(names: ResourceNames) -> str:
    return f"{names.prefix}-events-capture"


CAPTURE_PATTERN = {"source": [EVENT_SOURCE]}


def captured_events(names: ResourceNames, *, sqs: Any | None = None) -> list[dict[str, Any]]:
    """Receive and delete every event waiting on the capture queue: EventBridge envelopes (dicts with
    `source`, `detail-type`, `detail`, ...), oldest first as far as SQS tells. A second call returns
    only events published since the first."""
    client = sqs or boto3.client("sqs")
    queue_url = client.get_queue_url(QueueName=capture_queue_name(names))["QueueUrl"]
    events: list[dict[str, Any]] = []
    while True:
        answer = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        messages = answer.get("Messages", [])
        if not messages:
            return events
        for message in messages:
            events.append(json.loads(message["Body"]))
            client.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
