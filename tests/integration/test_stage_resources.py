"""The local stack creates a stage's resources with the settings the decisions fix, idempotently."""

from __future__ import annotations

import json

import boto3

from local_stack.resources import create_resources
from tests.integration.conftest import Stage


def test_the_state_table_has_the_xero_tenant_index(stage: Stage) -> None:
    # Given a created stage / When its table is described
    table = boto3.client("dynamodb").describe_table(TableName=stage.names.state_table)["Table"]
    # Then it is on demand with the gsi1 index on gsi1pk/gsi1sk
    [index] = table["GlobalSecondaryIndexes"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert (index["IndexName"], [k["AttributeName"] for k in index["KeySchema"]]) == (
        "gsi1",
        ["gsi1pk", "gsi1sk"],
    )


def test_the_state_table_expires_items_by_expires_at_epoch(stage: Stage) -> None:
    # Given a created stage / When its TTL is described / Then it is on, on expires_at_epoch
    ttl = boto3.client("dynamodb").describe_time_to_live(TableName=stage.names.state_table)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at_epoch")


def test_the_state_table_has_point_in_time_recovery(stage: Stage) -> None:
    # Given a created stage / When its backups are described / Then point-in-time recovery is on
    backups = boto3.client("dynamodb").describe_continuous_backups(TableName=stage.names.state_table)
    recovery = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"


def test_the_rate_budget_has_its_own_table_whose_idle_items_expire(stage: Stage) -> None:
    # Given a created stage / When the rate budget's table is described
    dynamodb = boto3.client("dynamodb")
    table = dynamodb.describe_table(TableName=stage.names.rate_budget_table)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=stage.names.rate_budget_table)["TimeToLiveDescription"]
    # Then it is on demand, keyed on pk/sk, and expires items by expires_at_epoch
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["pk", "sk"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at_epoch")


def test_the_work_queue_moves_a_message_to_its_dlq_after_five_receives(stage: Stage) -> None:
    # Given a created stage / When the work queue is described
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=stage.resources.work_queue_url, AttributeNames=["All"]
    )["Attributes"]
    dlq_arn = boto3.client("sqs").get_queue_attributes(
        QueueUrl=stage.resources.work_dead_letter_queue_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    # Then it is FIFO without content-based deduplication, 60 s visibility, redriving to the DLQ after 5
    assert (attributes["FifoQueue"], attributes["ContentBasedDeduplication"], attributes["VisibilityTimeout"]) == (
        "true",
        "false",
        "60",
    )
    assert json.loads(attributes["RedrivePolicy"]) == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}


def test_the_tokens_key_rotates_and_answers_to_its_alias(stage: Stage) -> None:
    # Given a created stage / When the key is looked up by its alias
    kms = boto3.client("kms")
    key = kms.describe_key(KeyId=stage.names.tokens_key_alias)["KeyMetadata"]
    # Then it is the stage's symmetric key, with rotation on
    assert (key["KeyId"], key["KeySpec"]) == (stage.tokens_key_id, "SYMMETRIC_DEFAULT")
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"]


def test_the_app_secrets_are_encrypted_with_the_tokens_key(stage: Stage) -> None:
    # Given a created stage / When the app secret is described / Then it names the stage's key
    described = boto3.client("secretsmanager").describe_secret(SecretId=stage.names.xero_app_secret)
    assert described["KmsKeyId"] == stage.tokens_key_id


def test_creating_a_stage_again_keeps_its_resources(stage: Stage) -> None:
    # Given a created stage / When its resources are created again with new app credentials
    again = create_resources(stage.names, xero_client_id="new-id", xero_client_secret="new", webhook_key="new-key")
    # Then the same key and queues answer, and the secret holds the new credentials
    assert again == stage.resources
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=stage.names.xero_app_secret)
    assert json.loads(secret["SecretString"]) == {"client_id": "new-id", "client_secret": "new"}
