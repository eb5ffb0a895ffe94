"""The DynamoDB told store keeps its contract against moto, in the state table."""

from __future__ import annotations

import secrets

import boto3
import pytest

from local_stack.resources import create_table
from shared.adapters.dynamodb_told import DynamoDbToldElements
from shared.resources import ResourceNames
from tests.contracts.told import ToldElementsContract


class TestDynamoDbToldElements(ToldElementsContract):
    @pytest.fixture
    def store(self, aws_endpoint: str) -> DynamoDbToldElements:
        names = ResourceNames(f"told{secrets.token_hex(4)}")
        create_table(boto3.client("dynamodb"), names)
        return DynamoDbToldElements(names.state_table)
