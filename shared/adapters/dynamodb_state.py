"""The state ports over xero-sync's single DynamoDB table (docs/decisions.md).

Keys: `pk`/`sk` (tenant `TENANT#<id>`/`TENANT`, connection `TENANT#<id>`/`CONNECTION`, connect
session `SESSION#<id>`/`SESSION`, OAuth state `STATE#<state>`/`STATE`, API key `APIKEY#<id>`/`APIKEY`,
webhook receipt `RECEIPT#<key>`/`RECEIPT`); the GSI `gsi1` on `gsi1pk`/`gsi1sk` (shared/resources.py); the TTL
attribute `expires_at_epoch`. TTL only tidies up (AWS deletes expired items within days, moto
never), so every expiry is also checked in code or in a condition.

Every atomic step is one conditional write: creating a tenant, taking a session or state (a delete
that returns what it deleted), the refresh lease's compare-and-swap and its release, recording a
webhook receipt. Datetimes are stored as fixed-width UTC ISO strings (microseconds, `+00:00`), so
that string order is time order and conditions can compare them.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError
from pydantic import BaseModel, SecretStr

from shared.adapters.aws_client import AwsClient
from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.oauth import ConnectSession, OAuthState
from shared.domain.tenants import Tenant
from shared.observability import tracer
from shared.ports.state import (
    ApiKeyStore,
    ConnectionRepository,
    ConnectSessionStore,
    InvalidCursorError,
    OAuthStateStore,
    TenantExistsError,
    TenantRepository,
    WebhookReceipts,
)
from shared.resources import STATE_TABLE_INDEX

# Tenants share one partition of the GSI so they can be listed in creation order without a Scan.
# Tenants are created a few at a time (a platform onboarding customers), far below a partition's
# 1,000 writes/s, and the GSI is sparse: only tenant and connection items carry gsi1pk.
TENANT_LISTING_PARTITION = "TENANTS"
_KEY_ATTRIBUTES = ("pk", "sk", "gsi1pk", "gsi1sk", "expires_at_epoch")

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def stored_time(value: datetime) -> str:
    """A datetime as the table keeps it: UTC, fixed width, so string comparison is time comparison."""
    if value.tzinfo is None:
        raise ValueError("the state table stores only timezone-aware datetimes")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _epoch(value: datetime) -> int:
    # Rounded up: TTL must never delete an item before the instant it stands for.
    return math.ceil(value.timestamp())


def plain(value: Any) -> Any:
    """A value as the table keeps it: datetimes as `stored_time`, secrets revealed, enums by value, None
    left out of dicts (so attribute_not_exists means "not set")."""
    if isinstance(value, datetime):
        return stored_time(value)
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _to_item(model: BaseModel, **keys: Any) -> dict[str, Any]:
    """The model's fields (None left out, so attribute_not_exists means "not set") plus the item's keys."""
    attributes = {**plain(model.model_dump(mode="python")), **keys}
    return {name: _serializer.serialize(value) for name, value in attributes.items()}


def _values(**values: Any) -> dict[str, Any]:
    return {f":{name}": _serializer.serialize(plain(value)) for name, value in values.items()}


def _from_item[M: BaseModel](model: type[M], item: dict[str, Any]) -> M:
    attributes = {name: _deserializer.deserialize(value) for name, value in item.items()}
    for name in _KEY_ATTRIBUTES:
        attributes.pop(name, None)
    return model.model_validate(attributes)


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def condition_failed(error: ClientError) -> bool:
    """Whether DynamoDB refused a write because its condition did not hold (a lost race, not a fault)."""
    return bool(error.response["Error"]["Code"] == "ConditionalCheckFailedException")


class _Table:
    """The table's name and client, shared by the stores of one process."""

    def __init__(self, name: str, client: AwsClient) -> None:
        self.name = name
        self._client = client

    @property
    def client(self) -> Any:
        return self._client()

    def get(self, pk: str, sk: str) -> dict[str, Any] | None:
        # Strongly consistent: the refresh path and single-use checks must see the latest write.
        answer = self.client.get_item(TableName=self.name, Key=_key(pk, sk), ConsistentRead=True)
        item: dict[str, Any] | None = answer.get("Item")
        return item

    def take(self, pk: str, sk: str) -> dict[str, Any] | None:
        """Delete the item and return it; None if there was none. Of two racing takers only one gets it."""
        try:
            answer = self.client.delete_item(
                TableName=self.name,
                Key=_key(pk, sk),
                ConditionExpression="attribute_exists(pk)",
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if condition_failed(error):
                return None
            raise
        item: dict[str, Any] = answer["Attributes"]
        return item

    def update(
        self,
        pk: str,
        sk: str,
        *,
        update: str,
        condition: str,
        values: dict[str, Any],
        names: dict[str, str] | None = None,
    ) -> bool:
        """A conditional UpdateItem; False when the condition did not hold."""
        # `status` is a DynamoDB reserved word, so expressions name it through `names`.
        options: dict[str, Any] = {"ExpressionAttributeNames": names} if names else {}
        try:
            self.client.update_item(
                TableName=self.name,
                Key=_key(pk, sk),
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
                **options,
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def query_index(self, partition: str) -> list[dict[str, Any]]:
        paginator = self.client.get_paginator("query")
        pages = paginator.paginate(
            TableName=self.name,
            IndexName=STATE_TABLE_INDEX,
            KeyConditionExpression="gsi1pk = :partition",
            ExpressionAttributeValues={":partition": {"S": partition}},
        )
        return [item for page in pages for item in page["Items"]]


class DynamoDbTenantRepository(TenantRepository):
    def __init__(self, table: _Table) -> None:
        self._table = table

    def create(self, tenant: Tenant) -> None:
        created_at = stored_time(tenant.created_at)
        item = _to_item(
            tenant,
            pk=f"TENANT#{tenant.tenant_id}",
            sk="TENANT",
            gsi1pk=TENANT_LISTING_PARTITION,
            gsi1sk=f"{created_at}#{tenant.tenant_id}",
        )
        try:
            self._table.client.put_item(
                TableName=self._table.name, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if condition_failed(error):
                raise TenantExistsError(tenant.tenant_id) from error
            raise

    def get(self, tenant_id: str) -> Tenant | None:
        item = self._table.get(f"TENANT#{tenant_id}", "TENANT")
        return _from_item(Tenant, item) if item else None

    def list(self, limit: int, cursor: str | None = None) -> tuple[list[Tenant], str | None]:
        """Oldest first, from the GSI's tenant partition (eventually consistent: a tenant created a
        moment ago may appear a moment later). One item more than asked tells whether a next page
        exists, so the last page never hands out a cursor to an empty page."""
        options: dict[str, Any] = {"ExclusiveStartKey": _decode_cursor(cursor)} if cursor else {}
        answer = self._table.client.query(
            TableName=self._table.name,
            IndexName=STATE_TABLE_INDEX,
            KeyConditionExpression="gsi1pk = :partition",
            ExpressionAttributeValues={":partition": {"S": TENANT_LISTING_PARTITION}},
            Limit=limit + 1,
            **options,
        )
        items: list[dict[str, Any]] = answer["Items"]
        page = items[:limit]
        more = len(items) > limit
        return [_from_item(Tenant, item) for item in page], (encode_cursor(page[-1]) if more and page else None)


_CURSOR_KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")


def encode_cursor(item: dict[str, Any], keys: tuple[str, ...] = _CURSOR_KEYS) -> str:
    """An opaque cursor for the position of `item` (its `keys`, as a Query's LastEvaluatedKey has them)."""
    position = {name: item[name]["S"] for name in keys}
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def decode_cursor(
    cursor: str, keys: tuple[str, ...], belongs: Callable[[dict[str, str]], bool], listing: str
) -> dict[str, Any]:
    """The position a cursor stands for, as an ExclusiveStartKey; checked with `belongs`, so a forged
    or foreign cursor cannot reach DynamoDB as anything but a position in the listing it came from."""
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error) as error:
        raise InvalidCursorError(f"not a {listing} cursor") from error
    valid = (
        isinstance(position, dict)
        and set(position) == set(keys)
        and all(isinstance(value, str) for value in position.values())
        and belongs(position)
    )
    if not valid:
        raise InvalidCursorError(f"not a {listing} cursor")
    return {name: {"S": position[name]} for name in keys}


def _decode_cursor(cursor: str) -> dict[str, Any]:
    return decode_cursor(
        cursor,
        _CURSOR_KEYS,
        lambda position: position["gsi1pk"] == TENANT_LISTING_PARTITION and position["sk"] == "TENANT",
        "tenant listing",
    )


class DynamoDbConnectionRepository(ConnectionRepository):
    def __init__(self, table: _Table) -> None:
        self._table = table

    def get(self, tenant_id: str) -> Connection | None:
        item = self._table.get(f"TENANT#{tenant_id}", "CONNECTION")
        return _from_item(Connection, item) if item else None

    def put(self, connection: Connection) -> None:
        index = (
            {"gsi1pk": f"XERO#{connection.xero_tenant_id}", "gsi1sk": f"TENANT#{connection.tenant_id}"}
            if connection.xero_tenant_id
            else {}
        )
        item = _to_item(connection, pk=f"TENANT#{connection.tenant_id}", sk="CONNECTION", **index)
        self._table.client.put_item(TableName=self._table.name, Item=item)

    def find_by_xero_tenant(self, xero_tenant_id: str) -> list[Connection]:
        """From the GSI, so eventually consistent: a connection stored a moment ago may be missing."""
        return [_from_item(Connection, item) for item in self._table.query_index(f"XERO#{xero_tenant_id}")]

    def acquire_refresh_lease(
        self, tenant_id: str, owner: str, expected_version: int, now: datetime, lease_for: timedelta
    ) -> bool:
        return self._table.update(
            f"TENANT#{tenant_id}",
            "CONNECTION",
            update="SET refresh_lease_owner = :me, refresh_lease_expires_at = :until",
            condition="attribute_exists(pk) AND token_version = :version"
            " AND (attribute_not_exists(refresh_lease_expires_at) OR refresh_lease_expires_at < :now"
            " OR refresh_lease_owner = :me)",
            values=_values(me=owner, until=now + lease_for, version=expected_version, now=now),
        )

    def record_refresh(
        self, tenant_id: str, owner: str, new_version: int, access_expires_at: datetime, refreshed_at: datetime
    ) -> bool:
        return self._table.update(
            f"TENANT#{tenant_id}",
            "CONNECTION",
            update="SET token_version = :version, access_expires_at = :expires, refresh_token_issued_at = :at,"
            " updated_at = :at REMOVE refresh_lease_owner, refresh_lease_expires_at",
            condition="refresh_lease_owner = :me",
            values=_values(me=owner, version=new_version, expires=access_expires_at, at=refreshed_at),
        )

    def release_refresh_lease(self, tenant_id: str, owner: str) -> None:
        self._table.update(
            f"TENANT#{tenant_id}",
            "CONNECTION",
            update="REMOVE refresh_lease_owner, refresh_lease_expires_at",
            condition="refresh_lease_owner = :me",
            values=_values(me=owner),
        )

    def set_status(self, tenant_id: str, status: ConnectionStatus, last_error: str | None, now: datetime) -> None:
        """Does nothing when the tenant has no connection (the condition stops UpdateItem creating a
        partial one)."""
        values = _values(status=status, now=now)
        update = "SET #status = :status, updated_at = :now"
        if last_error is None:
            update += " REMOVE last_error"
        else:
            update += ", last_error = :error"
            values |= _values(error=last_error)
        self._table.update(
            f"TENANT#{tenant_id}",
            "CONNECTION",
            update=update,
            condition="attribute_exists(pk)",
            values=values,
            names={"#status": "status"},
        )

    def refreshed_before(self, cutoff: datetime) -> list[Connection]:
        """A filtered Scan of the whole table, paginated. Keep-alive runs once a day, and a Scan costs
        one read unit per 8 KB scanned (eventually consistent) whatever the filter keeps: with 10,000
        connections and a million webhook receipts (~200 B each) that is about 26,000 read request
        units, well under a US cent a day on demand. A sparse index on the refresh date would cost a
        write on every refresh instead; revisit if the table grows far beyond that."""
        paginator = self._table.client.get_paginator("scan")
        pages = paginator.paginate(
            TableName=self._table.name,
            FilterExpression="sk = :connection AND #status = :connected AND refresh_token_issued_at < :cutoff",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=_values(
                connection="CONNECTION", connected=ConnectionStatus.CONNECTED, cutoff=cutoff
            ),
        )
        return [_from_item(Connection, item) for page in pages for item in page["Items"]]


class DynamoDbConnectSessionStore(ConnectSessionStore):
    def __init__(self, table: _Table) -> None:
        self._table = table

    def put(self, session: ConnectSession) -> None:
        item = _to_item(
            session, pk=f"SESSION#{session.session_id}", sk="SESSION", expires_at_epoch=_epoch(session.expires_at)
        )
        self._table.client.put_item(TableName=self._table.name, Item=item)

    def take(self, session_id: str, now: datetime) -> ConnectSession | None:
        item = self._table.take(f"SESSION#{session_id}", "SESSION")
        if item is None:
            return None
        # Deleted even when expired: TTL may not have removed it yet, and it is gone either way.
        session = _from_item(ConnectSession, item)
        return session if now < session.expires_at else None


class DynamoDbOAuthStateStore(OAuthStateStore):
    def __init__(self, table: _Table) -> None:
        self._table = table

    @tracer.capture_method(capture_response=False)
    def put(self, state: OAuthState) -> None:
        item = _to_item(state, pk=f"STATE#{state.state}", sk="STATE", expires_at_epoch=_epoch(state.expires_at))
        self._table.client.put_item(TableName=self._table.name, Item=item)

    @tracer.capture_method(capture_response=False)
    def take(self, state: str, now: datetime) -> OAuthState | None:
        item = self._table.take(f"STATE#{state}", "STATE")
        if item is None:
            return None
        found = _from_item(OAuthState, item)
        return found if now < found.expires_at else None


class _ApiKey(BaseModel):
    key_id: str
    secret_hash: str
    name: str
    created_at: datetime


class DynamoDbApiKeyStore(ApiKeyStore):
    def __init__(self, table: _Table) -> None:
        self._table = table

    def put(self, key_id: str, secret_hash: str, name: str, created_at: datetime) -> None:
        key = _ApiKey(key_id=key_id, secret_hash=secret_hash, name=name, created_at=created_at)
        self._table.client.put_item(TableName=self._table.name, Item=_to_item(key, pk=f"APIKEY#{key_id}", sk="APIKEY"))

    def secret_hash(self, key_id: str) -> str | None:
        item = self._table.get(f"APIKEY#{key_id}", "APIKEY")
        return _from_item(_ApiKey, item).secret_hash if item else None


class _Receipt(BaseModel):
    received_at: datetime
    kept_until: datetime


class DynamoDbWebhookReceipts(WebhookReceipts):
    def __init__(self, table: _Table) -> None:
        self._table = table

    def first_time(self, receipt_key: str, now: datetime, keep_for: timedelta) -> bool:
        """A conditional put: new if there is no receipt or the one there has outlived `keep_for`
        (TTL deletes it only eventually)."""
        receipt = _Receipt(received_at=now, kept_until=now + keep_for)
        item = _to_item(receipt, pk=f"RECEIPT#{receipt_key}", sk="RECEIPT", expires_at_epoch=_epoch(now + keep_for))
        try:
            self._table.client.put_item(
                TableName=self._table.name,
                Item=item,
                ConditionExpression="attribute_not_exists(pk) OR kept_until <= :now",
                ExpressionAttributeValues=_values(now=now),
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def forget(self, receipt_key: str) -> None:
        self._table.client.delete_item(TableName=self._table.name, Key=_key(f"RECEIPT#{receipt_key}", "RECEIPT"))


@dataclass(frozen=True)
class DynamoDbState:
    """Every state port over one table, sharing one client (made on first use)."""

    tenants: DynamoDbTenantRepository
    connections: DynamoDbConnectionRepository
    connect_sessions: DynamoDbConnectSessionStore
    oauth_states: DynamoDbOAuthStateStore
    api_keys: DynamoDbApiKeyStore
    webhook_receipts: DynamoDbWebhookReceipts

    @classmethod
    def for_table(cls, table_name: str, *, region_name: str | None = None, client: Any | None = None) -> DynamoDbState:
        """The stores of `table_name`; pass `client` to use a ready boto3 DynamoDB client."""
        table = _Table(table_name, AwsClient("dynamodb", region_name, client))
        return cls(
            tenants=DynamoDbTenantRepository(table),
            connections=DynamoDbConnectionRepository(table),
            connect_sessions=DynamoDbConnectSessionStore(table),
            oauth_states=DynamoDbOAuthStateStore(table),
            api_keys=DynamoDbApiKeyStore(table),
            webhook_receipts=DynamoDbWebhookReceipts(table),
        )
