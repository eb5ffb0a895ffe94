"""The DynamoDB state adapter keeps the state contract against moto, with the table layout the
decisions fix (keys, index, TTL attribute)."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

import boto3
import pytest

from shared.adapters.dynamodb_state import DynamoDbState, stored_time
from tests.contracts.state_ports import T0, StateContract, a_connection, a_session
from tests.integration.conftest import Stage


class TestDynamoDbState(StateContract):
    @pytest.fixture
    def state(self, stage: Stage) -> DynamoDbState:
        return DynamoDbState.for_table(stage.names.state_table)


def raw_item(stage: Stage, pk: str, sk: str) -> dict[str, Any]:
    item: dict[str, Any] = boto3.client("dynamodb").get_item(
        TableName=stage.names.state_table, Key={"pk": {"S": pk}, "sk": {"S": sk}}
    )["Item"]
    return item


def test_a_connection_is_indexed_under_its_xero_organisation(stage: Stage) -> None:
    # Given the adapter / When a connection to org-a is stored
    DynamoDbState.for_table(stage.names.state_table).connections.put(a_connection("t1", xero_tenant_id="org-a"))
    # Then its item sits under the tenant and in the index under the organisation
    item = raw_item(stage, "TENANT#t1", "CONNECTION")
    assert (item["gsi1pk"], item["gsi1sk"]) == ({"S": "XERO#org-a"}, {"S": "TENANT#t1"})


def test_a_connect_session_carries_its_expiry_for_ttl(stage: Stage) -> None:
    # Given the adapter / When a session expiring at T0 + 15 min is stored
    DynamoDbState.for_table(stage.names.state_table).connect_sessions.put(a_session())
    # Then TTL's attribute holds that instant in epoch seconds
    item = raw_item(stage, "SESSION#session-1", "SESSION")
    assert item["expires_at_epoch"] == {"N": str(int((T0 + timedelta(minutes=15)).timestamp()))}


def test_datetimes_are_stored_as_fixed_width_utc_strings() -> None:
    # Given two instants, one with microseconds and one without, in different offsets
    whole = T0.astimezone(timezone(timedelta(hours=10)))
    fraction = T0 + timedelta(microseconds=1)
    # When stored / Then both are UTC, equally long, and sort as time does
    assert stored_time(whole) == "2026-01-05T09:00:00.000000+00:00"
    assert len(stored_time(fraction)) == len(stored_time(whole))
    assert stored_time(whole) < stored_time(fraction)


def test_a_naive_datetime_is_refused() -> None:
    # Given a datetime without a timezone / When stored / Then it is refused rather than guessed
    with pytest.raises(ValueError, match="timezone-aware"):
        stored_time(T0.replace(tzinfo=None))
