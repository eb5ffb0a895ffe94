"""local_stack/moto_atomic.py: on moto, as on DynamoDB, of writes racing on one item's condition one wins."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from local_stack import moto_atomic
from tests.integration.conftest import Stage

RACERS = 50
ROUNDS = 5


@pytest.fixture
def dynamodb(stage: Stage) -> Any:
    return boto3.client("dynamodb", config=Config(max_pool_connections=RACERS))


def take_lease(dynamodb: Any, table: str, key: str, owner: str) -> bool:
    """A put-if-absent, as the leases are: True when this owner's write went in."""
    try:
        dynamodb.update_item(
            TableName=table,
            Key={"pk": {"S": key}, "sk": {"S": "LEASE"}},
            UpdateExpression="SET lease_owner = :me",
            ConditionExpression="attribute_not_exists(lease_owner)",
            ExpressionAttributeValues={":me": {"S": owner}},
        )
    except ClientError as refused:
        if refused.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        return False
    return True


def test_a_write_waits_while_another_item_operation_runs(stage: Stage, dynamodb: Any) -> None:
    # Given an item operation under way in moto (its lock held)
    done = threading.Event()

    def write() -> None:
        take_lease(dynamodb, stage.names.state_table, "TENANT#waits", "late")
        done.set()

    with moto_atomic.LOCK:
        writer = threading.Thread(target=write)
        # When a write reaches moto's server meanwhile
        writer.start()
        # Then it waits for the operation under way to end
        assert not done.wait(timeout=0.5)
    # And it goes in once that one ends
    writer.join(timeout=10)
    assert done.is_set()


def test_of_fifty_conditional_writes_racing_for_one_item_exactly_one_wins(stage: Stage, dynamodb: Any) -> None:
    for round_number in range(ROUNDS):
        # Given fifty workers that start together
        key = f"TENANT#race-{round_number}"
        start = threading.Barrier(RACERS)

        def race(owner: int, key: str = key, start: threading.Barrier = start) -> bool:
            start.wait()
            return take_lease(dynamodb, stage.names.state_table, key, f"worker-{owner}")

        # When each writes the same item on the condition that nobody holds it
        with ThreadPoolExecutor(RACERS) as pool:
            won = list(pool.map(race, range(RACERS)))
        # Then exactly one write went in, and the item is that one's
        assert won.count(True) == 1
        item = dynamodb.get_item(TableName=stage.names.state_table, Key={"pk": {"S": key}, "sk": {"S": "LEASE"}})
        assert item["Item"]["lease_owner"]["S"] == f"worker-{won.index(True)}"
