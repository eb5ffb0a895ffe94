"""The DynamoDB watches keep their contract against moto, in the state table."""

from __future__ import annotations

import secrets

import boto3
import pytest

from local_stack.resources import create_table
from shared.adapters.dynamodb_watches import DynamoDbWatches
from shared.resources import ResourceNames
from tests.contracts.watches import WatchesContract


class TestDynamoDbWatches(WatchesContract):
    @pytest.fixture
    def watches(self, aws_endpoint: str) -> DynamoDbWatches:
        names = ResourceNames(f"watch{secrets.token_hex(4)}")
        create_table(boto3.client("dynamodb"), names)
        return DynamoDbWatches(names.state_table)
