"""Create every AWS resource of one stage on the current endpoint (moto locally), with the names of
shared/resources.py and the settings the CDK app gives them, so local and deployed runs differ only
in endpoints. Idempotent: running it again on an existing stage changes nothing and fails nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

from local_stack.event_capture import CAPTURE_PATTERN, capture_queue_name, capture_rule_name
from shared.resources import STATE_TABLE_INDEX, ResourceNames

TTL_ATTRIBUTE = "expires_at_epoch"
# A message that fails five receives goes to the DLQ; 60 s of visibility covers the sync worker's
# timeout (docs/decisions.md).
MAX_RECEIVE_COUNT = 5
VISIBILITY_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class StageResources:
    """What the names alone do not tell: ids and URLs the created resources were given."""

    tokens_key_id: str
    work_queue_url: str
    work_dead_letter_queue_url: str
    tick_queue_url: str
    event_bus_arn: str
    capture_queue_url: str


def create_resources(
    names: ResourceNames, *, xero_client_id: str, xero_client_secret: str, webhook_key: str
) -> StageResources:
    """Create (or find) the stage's table, queues, tokens key, app secrets, event bus and the local-only
    event capture. An empty client id/secret or webhook key leaves that secret without a value, as a
    fresh deployment does before the operator fills it."""
    create_table(boto3.client("dynamodb"), names)
    create_rate_budget_table(boto3.client("dynamodb"), names)
    sqs = boto3.client("sqs")
    dlq_url, work_url = _create_work_queues(sqs, names)
    tick_url = create_tick_queue(sqs, names)
    key_id = _create_tokens_key(boto3.client("kms"), names)
    secrets = boto3.client("secretsmanager")
    app_secret = json.dumps({"client_id": xero_client_id, "client_secret": xero_client_secret})
    _create_secret(secrets, names.xero_app_secret, key_id, app_secret if xero_client_id and xero_client_secret else "")
    _create_secret(secrets, names.webhook_key_secret, key_id, webhook_key)
    events = boto3.client("events")
    bus_arn = _create_event_bus(events, names)
    capture_url = _create_event_capture(sqs, events, names)
    return StageResources(key_id, work_url, dlq_url, tick_url, bus_arn, capture_url)


def create_table(dynamodb: Any, names: ResourceNames) -> None:
    """Create (or find) the stage's state table alone: keys, index, TTL and point-in-time recovery."""
    try:
        dynamodb.create_table(
            TableName=names.state_table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "gsi1pk", "gsi1sk")
            ],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": STATE_TABLE_INDEX,
                    "KeySchema": [
                        {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                        {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceInUseException":
            raise
    dynamodb.get_waiter("table_exists").wait(TableName=names.state_table, WaiterConfig={"Delay": 1})
    ttl = dynamodb.describe_time_to_live(TableName=names.state_table)["TimeToLiveDescription"]
    # DynamoDB refuses to enable TTL twice, so only a table without it gets the call.
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        dynamodb.update_time_to_live(
            TableName=names.state_table, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
        )
    dynamodb.update_continuous_backups(
        TableName=names.state_table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )


def create_rate_budget_table(dynamodb: Any, names: ResourceNames) -> None:
    """Create (or find) the stage's rate-budget table: keys only, no index; an idle tenant's budget
    expires by TTL (leases and windows are inside the items)."""
    try:
        dynamodb.create_table(
            TableName=names.rate_budget_table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk")],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceInUseException":
            raise
    dynamodb.get_waiter("table_exists").wait(TableName=names.rate_budget_table, WaiterConfig={"Delay": 1})
    ttl = dynamodb.describe_time_to_live(TableName=names.rate_budget_table)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        dynamodb.update_time_to_live(
            TableName=names.rate_budget_table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )


def _create_work_queues(sqs: Any, names: ResourceNames) -> tuple[str, str]:
    fifo = {"FifoQueue": "true", "ContentBasedDeduplication": "false"}
    dlq_url = sqs.create_queue(QueueName=names.work_dead_letter_queue, Attributes=fifo)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
    work_url = sqs.create_queue(
        QueueName=names.work_queue,
        Attributes={**fifo, "VisibilityTimeout": str(VISIBILITY_TIMEOUT_SECONDS), "RedrivePolicy": redrive},
    )["QueueUrl"]
    return dlq_url, work_url


def create_tick_queue(sqs: Any, names: ResourceNames) -> str:
    """The accounts watch's standard queue of delayed ticks, and its dead-letter queue."""
    dlq_url = sqs.create_queue(QueueName=names.tick_dead_letter_queue)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
    attributes = {"VisibilityTimeout": str(VISIBILITY_TIMEOUT_SECONDS), "RedrivePolicy": redrive}
    return str(sqs.create_queue(QueueName=names.tick_queue, Attributes=attributes)["QueueUrl"])


def _create_tokens_key(kms: Any, names: ResourceNames) -> str:
    try:
        return str(kms.describe_key(KeyId=names.tokens_key_alias)["KeyMetadata"]["KeyId"])
    except ClientError as error:
        if error.response["Error"]["Code"] != "NotFoundException":
            raise
    key_id = str(
        kms.create_key(Description=f"{names.prefix} Xero token secrets", KeySpec="SYMMETRIC_DEFAULT")["KeyMetadata"][
            "KeyId"
        ]
    )
    kms.enable_key_rotation(KeyId=key_id)
    kms.create_alias(AliasName=names.tokens_key_alias, TargetKeyId=key_id)
    return key_id


def _create_secret(secrets: Any, name: str, key_id: str, value: str) -> None:
    try:
        if value:
            secrets.create_secret(Name=name, KmsKeyId=key_id, SecretString=value)
        else:
            secrets.create_secret(Name=name, KmsKeyId=key_id)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceExistsException":
            raise
        if value:
            secrets.put_secret_value(SecretId=name, SecretString=value)


def _create_event_bus(events: Any, names: ResourceNames) -> str:
    try:
        return str(events.create_event_bus(Name=names.event_bus)["EventBusArn"])
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceAlreadyExistsException":
            raise
    return str(events.describe_event_bus(Name=names.event_bus)["Arn"])


def _create_event_capture(sqs: Any, events: Any, names: ResourceNames) -> str:
    queue_url = sqs.create_queue(QueueName=capture_queue_name(names))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    rule_arn = events.put_rule(
        Name=capture_rule_name(names), EventBusName=names.event_bus, EventPattern=json.dumps(CAPTURE_PATTERN)
    )["RuleArn"]
    # The policy EventBridge needs in AWS to deliver to a queue; moto does not check it, but the
    # capture should not work locally for a reason it would not work deployed.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})
    events.put_targets(
        Rule=capture_rule_name(names),
        EventBusName=names.event_bus,
        Targets=[{"Id": "local-capture", "Arn": queue_arn}],
    )
    return str(queue_url)
