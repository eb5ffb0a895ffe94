"""The change feed and the pending fetches in the state table (shared/ports/change_feed.py).

Items, each in a partition of its own per tenant, so a reader pages through nothing else:
- change `TENANT#<t>#CHANGES`/`<sort key>` (changes.RecordChange.sort_key: the instant, entity,
  platform id and version), and a conflict also `TENANT#<t>#CONFLICTS`/`<sort key>`, so the
  conflicts are read without reading every change; the change as zlib-compressed JSON (a conflict
  carries two bodies of up to 500 lines), and `expires_at_epoch` so that TTL tidies the feed
  after FEED_RETENTION;
- a change's identity `TENANT#<t>#CHANGEIDS`/`<entity>#<platform id>#<version>#<kind>#<status>`:
  the instant it was first appended with (RecordChange.identity), so a change taken again after its
  worker died between the feed and the record goes back under its first sort key, kept once;
- pending fetch `TENANT#<t>#PENDING`/`<category>#<resource id>`: the kept notice as JSON.

A read is one strongly consistent Query from the cursor's sort key on (`sk > :after`), followed
page after page until the page is full or a change past `until` is met: the feed is in sort-key
order, so the first change past it ends the read. The cursor is used in a key condition within
the tenant's own partition, never as an ExclusiveStartKey, so no cursor can reach another partition.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from shared.adapters.aws_client import AwsClient
from shared.adapters.dynamodb_state import condition_failed
from shared.domain.inbound.changes import ChangeKind, RecordChange
from shared.domain.inbound.pending import PendingFetch
from shared.ports.change_feed import ChangeFeed, PendingFetches

# A platform reads its feed within seconds; a month covers an outage of its reader with room to spare.
FEED_RETENTION = timedelta(days=31)


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _changes_pk(tenant_id: str, conflicts: bool = False) -> str:
    return f"TENANT#{tenant_id}#{'CONFLICTS' if conflicts else 'CHANGES'}"


def _identities_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#CHANGEIDS"


def _pending_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#PENDING"


class DynamoDbChangeFeed(ChangeFeed):
    def __init__(self, table_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._table_name = table_name
        self._client = AwsClient("dynamodb", region_name, client)

    def append(self, change: RecordChange) -> RecordChange:
        change = self._first_appended(change)
        expires = math.ceil((change.at + FEED_RETENTION).timestamp())
        attributes = {
            "change": {"B": zlib.compress(change.model_dump_json().encode())},
            "expires_at_epoch": {"N": str(expires)},
        }
        for pk in self._partitions(change):
            self._client().put_item(TableName=self._table_name, Item=_key(pk, change.sort_key()) | attributes)
        return change

    def remove(self, change: RecordChange) -> None:
        for pk in self._partitions(change):
            self._client().delete_item(TableName=self._table_name, Key=_key(pk, change.sort_key()))
        self._client().delete_item(
            TableName=self._table_name, Key=_key(_identities_pk(change.tenant_id), change.identity())
        )

    def _first_appended(self, change: RecordChange) -> RecordChange:
        """`change` at the instant its identity was first appended with: claimed now with a conditional
        put, or read from the claim a worker that died after it left."""
        key = _key(_identities_pk(change.tenant_id), change.identity())
        expires = math.ceil((change.at + FEED_RETENTION).timestamp())
        claim = key | {"at": {"S": change.at.isoformat()}, "expires_at_epoch": {"N": str(expires)}}
        try:
            self._client().put_item(
                TableName=self._table_name, Item=claim, ConditionExpression="attribute_not_exists(pk)"
            )
            return change
        except ClientError as error:
            if not condition_failed(error):
                raise
        found = self._client().get_item(TableName=self._table_name, Key=key, ConsistentRead=True)["Item"]
        return change.model_copy(update={"at": datetime.fromisoformat(found["at"]["S"])})

    def read(
        self, tenant_id: str, after: str | None, limit: int, *, until: str, conflicts_only: bool = False
    ) -> list[RecordChange]:
        values: dict[str, Any] = {":pk": {"S": _changes_pk(tenant_id, conflicts_only)}}
        condition = "pk = :pk"
        if after is not None:
            condition += " AND sk > :after"
            values[":after"] = {"S": after}
        params: dict[str, Any] = {
            "TableName": self._table_name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ConsistentRead": True,
        }
        changes: list[RecordChange] = []
        while len(changes) < limit:
            answer = self._client().query(**params, Limit=limit - len(changes))
            for item in answer["Items"]:
                if item["sk"]["S"] > until:
                    return changes
                changes.append(RecordChange.model_validate_json(zlib.decompress(item["change"]["B"])))
            if "LastEvaluatedKey" not in answer:
                break
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return changes

    @staticmethod
    def _partitions(change: RecordChange) -> list[str]:
        partitions = [_changes_pk(change.tenant_id)]
        if change.kind is ChangeKind.CONFLICT:
            partitions.append(_changes_pk(change.tenant_id, conflicts=True))
        return partitions


class DynamoDbPendingFetches(PendingFetches):
    def __init__(self, table_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._table_name = table_name
        self._client = AwsClient("dynamodb", region_name, client)

    def keep(self, tenant_id: str, fetches: Iterable[PendingFetch]) -> None:
        for fetch in fetches:
            item = _key(_pending_pk(tenant_id), fetch.key) | {"fetch": {"S": fetch.model_dump_json()}}
            self._client().put_item(TableName=self._table_name, Item=item)

    def listing(self, tenant_id: str) -> list[PendingFetch]:
        pages = (
            self._client()
            .get_paginator("query")
            .paginate(
                TableName=self._table_name,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": _pending_pk(tenant_id)}},
                ConsistentRead=True,
            )
        )
        fetches = [PendingFetch.model_validate_json(item["fetch"]["S"]) for page in pages for item in page["Items"]]
        return sorted(fetches, key=lambda fetch: (fetch.retry_at, fetch.key))

    def drop(self, tenant_id: str, keys: Iterable[str]) -> None:
        for key in keys:
            self._client().delete_item(TableName=self._table_name, Key=_key(_pending_pk(tenant_id), key))
