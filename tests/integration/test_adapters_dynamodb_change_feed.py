"""The DynamoDB change feed and pending fetches keep their contract against moto, in the state table."""

from __future__ import annotations

import secrets

import boto3
import pytest

from local_stack.resources import create_table
from shared.adapters.dynamodb_change_feed import DynamoDbChangeFeed, DynamoDbPendingFetches
from shared.resources import ResourceNames
from tests.contracts.change_feed import TENANT, ChangeFeedContract, PendingFetchesContract, a_change, a_conflict


@pytest.fixture
def table(aws_endpoint: str) -> str:
    names = ResourceNames(f"feed{secrets.token_hex(4)}")
    create_table(boto3.client("dynamodb"), names)
    return names.state_table


class TestDynamoDbChangeFeed(ChangeFeedContract):
    @pytest.fixture
    def feed(self, table: str) -> DynamoDbChangeFeed:
        return DynamoDbChangeFeed(table)


class TestDynamoDbPendingFetches(PendingFetchesContract):
    @pytest.fixture
    def pending(self, table: str) -> DynamoDbPendingFetches:
        return DynamoDbPendingFetches(table)


def test_a_change_sits_in_the_tenant_s_feed_partition_and_a_conflict_in_its_conflicts_too(table: str) -> None:
    # Given the adapter / When an update and a conflict are appended
    feed = DynamoDbChangeFeed(table)
    feed.append(a_change(1, "c-1"))
    feed.append(a_conflict(2, "c-2"))
    # Then the update is one item under the feed's partition, the conflict one there and one among conflicts
    client = boto3.client("dynamodb")

    def keys(pk: str) -> list[str]:
        items = client.query(
            TableName=table, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": pk}}
        )["Items"]
        return [item["sk"]["S"].split("#")[2] for item in items]

    assert keys(f"TENANT#{TENANT}#CHANGES") == ["c-1", "c-2"]
    assert keys(f"TENANT#{TENANT}#CONFLICTS") == ["c-2"]


def test_a_change_expires_after_the_feed_s_retention(table: str) -> None:
    # Given a change / When appended / Then TTL will tidy it a month after its instant
    change = a_change(1)
    DynamoDbChangeFeed(table).append(change)
    item = boto3.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": f"TENANT#{TENANT}#CHANGES"}, "sk": {"S": change.sort_key()}}
    )["Item"]
    assert int(item["expires_at_epoch"]["N"]) - change.at.timestamp() == pytest.approx(31 * 86400, abs=1)
