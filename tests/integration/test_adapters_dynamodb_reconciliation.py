"""The DynamoDB reconciliation states keep their contract against moto, in the state table."""

from __future__ import annotations

import secrets

import boto3
import pytest

from local_stack.resources import create_table
from shared.adapters.dynamodb_reconciliation import DUE_PARTITION, DynamoDbReconcileStates
from shared.domain.inbound.reconcile_state import ReconcileState, fresh
from shared.domain.inbound.settings import SyncedKind
from shared.resources import ResourceNames
from tests.contracts.reconciliation import T0, TENANT, ReconcileStatesContract


@pytest.fixture
def table(aws_endpoint: str) -> str:
    names = ResourceNames(f"recon{secrets.token_hex(4)}")
    create_table(boto3.client("dynamodb"), names)
    return names.state_table


class TestDynamoDbReconcileStates(ReconcileStatesContract):
    @pytest.fixture
    def states(self, table: str) -> DynamoDbReconcileStates:
        return DynamoDbReconcileStates(table)


def test_a_scheduled_state_is_indexed_in_the_due_partition_and_an_unscheduled_one_is_not(table: str) -> None:
    # Given a due state and an unscheduled one
    states = DynamoDbReconcileStates(table)
    states.put(fresh(TENANT, SyncedKind.INVOICE, T0))
    states.put(ReconcileState(tenant_id=TENANT, kind=SyncedKind.ACCOUNT))
    # When the tenant's items are read / Then only the scheduled one carries the due partition's keys
    items = boto3.client("dynamodb").query(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"TENANT#{TENANT}"}},
    )["Items"]
    indexed = {item["sk"]["S"]: item.get("gsi1pk", {}).get("S") for item in items}
    assert indexed == {"RECONCILE#invoice": DUE_PARTITION, "RECONCILE#account": None}
