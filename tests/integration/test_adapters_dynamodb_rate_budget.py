"""The DynamoDB rate budget keeps the rate budget contract against moto, in the state table's layout."""

from __future__ import annotations

import boto3
import pytest

from shared.adapters.dynamodb_rate_budget import DynamoDbRateBudget
from shared.domain.rate_limits import Limits
from shared.ports.rate_budget import Priority
from tests.contracts.rate_budget import T0, BudgetFor, RateBudgetContract
from tests.integration.conftest import XERO_CLIENT_ID, Stage


class TestDynamoDbRateBudget(RateBudgetContract):
    @pytest.fixture
    def budget_for(self, stage: Stage) -> BudgetFor:
        return lambda limits: DynamoDbRateBudget(stage.names.rate_budget_table, XERO_CLIENT_ID, limits=limits)


def test_a_tenants_budget_expires_a_day_after_its_last_call(stage: Stage) -> None:
    # Given a budget / When one call is taken at T0
    DynamoDbRateBudget(stage.names.rate_budget_table, XERO_CLIENT_ID, limits=Limits()).take(
        "org-1", Priority.BACKFILL, T0
    )
    # Then the tenant's item carries TTL's attribute 26 hours on (the day window's buckets and an hour)
    item = boto3.client("dynamodb").get_item(
        TableName=stage.names.rate_budget_table, Key={"pk": {"S": "BUDGET#org-1"}, "sk": {"S": "BUDGET"}}
    )["Item"]
    assert item["expires_at_epoch"] == {"N": str(int(T0.timestamp()) + 26 * 3600)}
