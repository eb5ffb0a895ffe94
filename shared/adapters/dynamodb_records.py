"""The record store, sync settings and sync schedule in the state table (docs/decisions.md).

Items, all in the one table (keys `pk`/`sk`, index `gsi1` on `gsi1pk`/`gsi1sk`):
- record `TENANT#<t>`/`REC#<entity>#<platform id>`: the StoredRecord's fields with the body as a
  JSON string (exact: no number type between the platform's decimals and Xero), `revision`
  (bumped by every change) and its latest history line; indexed under
  `LEDGER#<t>#<entity>#<state>`/`<state_at>#<platform id>`, so the sendable queue, a listing by
  state, the counts and the lag are index queries;
- history line `TENANT#<t>#REC#<entity>#<platform id>`/`HIST#<revision>`: newest first is the
  reverse of the order the changes committed in, whatever the writers' clocks said;
- Xero id map `TENANT#<t>`/`XERO#<entity>#<xero id>`: the platform id;
- part map `TENANT#<t>`/`PART#<xero id>`: the entity and platform id of the record whose `linked`
  holds that Xero id (a payment's parts in Xero), so the sync from Xero never imports one;
- last success `TENANT#<t>`/`SYNCED#<entity>`: when a record of the entity last synced;
- in-flight request `TENANT#<t>#BATCHES`/`BATCH#<key>`: the request as zlib-compressed JSON (fifty
  invoices of fifty lines are about 470 KB as JSON, over DynamoDB's 400 KB item limit, and a few
  KB compressed), in a partition of its own so that listing a tenant's few open requests never
  pages through its records (moto, the local stack's DynamoDB, reads a whole partition per Query);
- settings `TENANT#<t>`/`SYNCSETTINGS` (JSON) and reference data `TENANT#<t>`/`REFERENCE`
  (compressed: a chart of accounts runs to hundreds of accounts);
- deferral `TENANT#<t>`/`SYNCDUE`, indexed under `SYNCDUE`/`<until>#<t>`.

Every change to a record is one conditional PutItem of the record item, conditioned on the
revision read; a lost race (someone else changed the record since) reads again and recomputes, so
neither a platform write nor the sync worker's outcome is lost. The record item is the only truth,
and nothing else needs to change with it in one step, so no TransactWriteItems (twice the write
units in AWS; and moto copies the whole table for each of a transaction's items, which made 1,000
records take two minutes): the new line of history rides on the record item and is copied to its
own item, idempotently, before the next change replaces it; a Xero id's map item (and a part's) is
written before the record that holds the id and is only a pointer, checked against the record. A
change with no history line (the sync from Xero noting an echo's stamp) moves the revision and
keeps the line the record carries.

The index is eventually consistent: the counts, the lag and a listing by state may trail a change
by a moment; `sendable` re-reads what the index offers, strongly, and keeps only what is still
PENDING, so the sync worker never sends a record on a stale view.
"""

from __future__ import annotations

import json
import math
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from shared.adapters.aws_client import AwsClient
from shared.adapters.dynamodb_state import condition_failed, decode_cursor, encode_cursor, plain, stored_time
from shared.domain.ledger import (
    EntityCounts,
    InFlightBatch,
    LedgerEvent,
    Outcome,
    StoredRecord,
    SyncState,
    XeroVersion,
    part_ids,
)
from shared.domain.ledger_changes import RETRYABLE, Change, created, deleted, from_xero, retried, settled, written
from shared.domain.records import Entity
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_settings import TenantSyncSettings
from shared.ports.records import RecordStore, SyncSchedule, SyncSettingsStore
from shared.resources import STATE_TABLE_INDEX

# A change re-reads and recomputes after a lost race; this many lost races in a row means a record
# is being hammered, and the caller hears of it rather than spinning.
ATTEMPTS = 10
# DynamoDB's limits: 100 keys per BatchGetItem, 25 items per BatchWriteItem.
BATCH_GET_KEYS = 100
BATCH_WRITE_ITEMS = 25
# Deferrals of every tenant share one index partition, so the scheduled function finds the due
# ones with one query; a tenant is deferred at most a few times a minute.
SCHEDULE_PARTITION = "SYNCDUE"
DUE_PAGE = 500  # due tenants a Query of that partition reads (only their ids are projected)
_NOT_FIELDS = ("pk", "sk", "gsi1pk", "gsi1sk", "revision", "line", "event")
_INDEX_KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class RecordContendedError(Exception):
    """A record changed under every attempt to change it, or DynamoDB kept refusing a batch."""


def _tenant_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}"


def _record_prefix(entity: Entity) -> str:
    return f"REC#{entity.value}#"


def _ledger_partition(tenant_id: str, entity: Entity, state: SyncState) -> str:
    return f"LEDGER#{tenant_id}#{entity.value}#{state.value}"


def _batches_pk(tenant_id: str) -> str:
    return f"{_tenant_pk(tenant_id)}#BATCHES"


def _history_pk(tenant_id: str, entity: Entity, platform_id: str) -> str:
    return f"{_tenant_pk(tenant_id)}#{_record_prefix(entity)}{platform_id}"


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _record_key(tenant_id: str, entity: Entity, platform_id: str) -> dict[str, Any]:
    return _key(_tenant_pk(tenant_id), _record_prefix(entity) + platform_id)


def _item(attributes: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in plain(attributes).items()}


def _attributes(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items() if name not in _NOT_FIELDS}


@dataclass(frozen=True)
class _Line:
    """A line of a record's history and its place: the revision its change made."""

    number: int
    event: LedgerEvent

    def item(self, record: StoredRecord) -> dict[str, Any]:
        history_pk = _history_pk(record.tenant_id, record.entity, record.platform_id)
        return _item(self.event.model_dump(mode="python")) | _key(history_pk, f"HIST#{self.number:012d}")


@dataclass(frozen=True)
class _Read:
    """A record as read (None if there is none), the revision a write must find to replace it, and
    the history line its item carries."""

    record: StoredRecord | None
    revision: int = 0
    line: _Line | None = None


def _record_item(record: StoredRecord, line: _Line, revision: int) -> dict[str, Any]:
    # Bodies are JSON strings: exact, with no number type between the platform's decimals and Xero.
    synced_body = json.dumps(record.synced_body, ensure_ascii=False) if record.synced_body is not None else None
    return _item(
        record.model_dump(mode="python", exclude={"body", "synced_body"})
        | {
            "pk": _tenant_pk(record.tenant_id),
            "sk": _record_prefix(record.entity) + record.platform_id,
            "gsi1pk": _ledger_partition(record.tenant_id, record.entity, record.state),
            "gsi1sk": f"{stored_time(record.state_at)}#{record.platform_id}",
            "body": json.dumps(record.body, ensure_ascii=False),
            "synced_body": synced_body,
            "revision": revision,
            "line": line.number,
            "event": line.event.model_dump(mode="python"),
        }
    )


def _read_of(item: dict[str, Any]) -> _Read:
    attributes = _attributes(item)
    attributes["body"] = json.loads(attributes["body"])
    if attributes.get("synced_body") is not None:
        attributes["synced_body"] = json.loads(attributes["synced_body"])
    line = _Line(int(item["line"]["N"]), LedgerEvent.model_validate(_deserializer.deserialize(item["event"])))
    return _Read(StoredRecord.model_validate(attributes), int(item["revision"]["N"]), line)


def _new_xero_id(read: _Read, change: Change) -> bool:
    had = read.record.xero_id if read.record else None
    return change.record.xero_id is not None and change.record.xero_id != had


def _pointer(record: StoredRecord) -> dict[str, Any]:
    """The map item from the record's Xero id to its platform id."""
    key = _key(_tenant_pk(record.tenant_id), f"XERO#{record.entity.value}#{record.xero_id}")
    return key | {"platform_id": {"S": record.platform_id}}


def _new_parts(read: _Read, change: Change) -> set[str]:
    had = part_ids(read.record.linked) if read.record else set()
    return part_ids(change.record.linked) - had


def _part_pointer(record: StoredRecord, xero_id: str) -> dict[str, Any]:
    """The map item from a part's Xero id to the record whose `linked` holds it."""
    key = _key(_tenant_pk(record.tenant_id), f"PART#{xero_id}")
    return key | {"entity": {"S": record.entity.value}, "platform_id": {"S": record.platform_id}}


def _newly_synced(read: _Read, change: Change) -> bool:
    synced_at = change.record.last_synced_at
    return synced_at is not None and (read.record is None or read.record.last_synced_at != synced_at)


def _compressed(model: InFlightBatch | ReferenceData) -> bytes:
    return zlib.compress(model.model_dump_json().encode())


def _decompressed(item: dict[str, Any], name: str) -> bytes:
    return zlib.decompress(item[name]["B"])


class _Table:
    """The calls the three stores share: strongly consistent reads, batches and paged queries."""

    def __init__(self, name: str, client: AwsClient) -> None:
        self.name = name
        self._client = client

    @property
    def client(self) -> Any:
        return self._client()

    def get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        answer = self.client.get_item(TableName=self.name, Key=key, ConsistentRead=True)
        item: dict[str, Any] | None = answer.get("Item")
        return item

    def get_many(self, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """BatchGetItem, 100 keys a call, strongly consistent."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), BATCH_GET_KEYS):
            request = {self.name: {"Keys": keys[start : start + BATCH_GET_KEYS], "ConsistentRead": True}}
            self._until_processed(
                "batch_get_item",
                request,
                "UnprocessedKeys",
                lambda answer: found.extend(answer["Responses"][self.name]),
            )
        return found

    def put_many(self, items: list[dict[str, Any]]) -> None:
        """BatchWriteItem, 25 items a call (unconditional puts)."""
        for start in range(0, len(items), BATCH_WRITE_ITEMS):
            request = {self.name: [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH_WRITE_ITEMS]]}
            self._until_processed("batch_write_item", request, "UnprocessedItems", lambda _: None)

    def _until_processed(
        self, operation: str, request: dict[str, Any], unprocessed: str, take: Callable[[dict[str, Any]], None]
    ) -> None:
        # Under throttling DynamoDB answers a batch in part; AWS asks for the rest with a backoff.
        for backoff in range(ATTEMPTS):
            answer = getattr(self.client, operation)(RequestItems=request)
            take(answer)
            request = answer.get(unprocessed) or {}
            if not request:
                return
            time.sleep(0.05 * 2**backoff)
        raise RecordContendedError(f"{operation} left items unprocessed {ATTEMPTS} times")

    def put(self, item: dict[str, Any], **condition: Any) -> bool:
        """PutItem; False when its condition did not hold."""
        try:
            self.client.put_item(TableName=self.name, Item=item, **condition)
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def update(self, key: dict[str, Any], **expression: Any) -> bool:
        """UpdateItem; False when its condition did not hold."""
        try:
            self.client.update_item(TableName=self.name, Key=key, **expression)
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def query(self, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item a Query finds, page after page."""
        for page in self.client.get_paginator("query").paginate(TableName=self.name, **params):
            yield from page["Items"]

    def page(self, limit: int, start: dict[str, Any] | None, **params: Any) -> tuple[list[dict[str, Any]], bool]:
        """Up to `limit` items from `start` on, and whether more follow. One item more than asked is
        read to know, so the last page never hands out a cursor to an empty page; DynamoDB's 1 MB
        pages are followed until the page is full."""
        items: list[dict[str, Any]] = []
        options = {"ExclusiveStartKey": start} if start else {}
        while len(items) <= limit:
            answer = self.client.query(TableName=self.name, Limit=limit + 1 - len(items), **params, **options)
            items += answer["Items"]
            if "LastEvaluatedKey" not in answer:
                break
            options = {"ExclusiveStartKey": answer["LastEvaluatedKey"]}
        return items[:limit], len(items) > limit

    def index_partition(self, partition: str, **params: Any) -> dict[str, Any]:
        """The Query parameters for one partition of the index."""
        return {
            "IndexName": STATE_TABLE_INDEX,
            "KeyConditionExpression": "gsi1pk = :partition",
            "ExpressionAttributeValues": {":partition": {"S": partition}},
            **params,
        }


class DynamoDbRecordStore(RecordStore):
    def __init__(self, table: _Table) -> None:
        self._table = table

    def write(
        self, tenant_id: str, entity: Entity, platform_id: str, body: dict[str, Any], now: datetime
    ) -> StoredRecord:
        stored, _ = self._change(
            tenant_id,
            entity,
            platform_id,
            lambda record: written(record, body, now),
            create=lambda: created(tenant_id, entity, platform_id, body, now),
        )
        return cast(StoredRecord, stored)  # a write always leaves a record

    def write_many(
        self, tenant_id: str, entity: Entity, records: Iterable[tuple[str, dict[str, Any]]], now: datetime
    ) -> list[StoredRecord]:
        """One BatchGetItem per 100 records; then the history lines the changed records carry, 25 a
        BatchWriteItem; then one conditional PutItem per changed record. A record that lost a race,
        or that the call writes more than once, is written with `write`, in the order given."""
        pairs = list(records)
        reads = self._read_many(tenant_id, entity, [platform_id for platform_id, _ in pairs])
        again = {platform_id for platform_id, times in Counter(pid for pid, _ in pairs).items() if times > 1}
        answers: dict[int, StoredRecord] = {}
        changes: list[tuple[_Read, Change]] = []
        for index, (platform_id, body) in enumerate(pairs):
            if platform_id in again:
                continue
            read = reads[platform_id]
            change = (
                created(tenant_id, entity, platform_id, body, now)
                if read.record is None
                else written(read.record, body, now)
            )
            if change is None:
                answers[index] = cast(StoredRecord, read.record)  # there, and unchanged
            else:
                answers[index] = change.record
                changes.append((read, change))
        self._table.put_many([read.line.item(change.record) for read, change in changes if read.line])
        again |= {change.record.platform_id for read, change in changes if not self._put_record(read, change)}
        for index, (platform_id, body) in enumerate(pairs):
            if platform_id in again:
                answers[index] = self.write(tenant_id, entity, platform_id, body, now)
        return [answers[index] for index in range(len(pairs))]

    def delete(self, tenant_id: str, entity: Entity, platform_id: str, now: datetime) -> StoredRecord | None:
        stored, _ = self._change(tenant_id, entity, platform_id, lambda record: deleted(record, now))
        return stored

    def get(self, tenant_id: str, entity: Entity, platform_id: str) -> StoredRecord | None:
        return self._read(tenant_id, entity, platform_id).record

    def get_many(self, tenant_id: str, entity: Entity, platform_ids: Iterable[str]) -> dict[str, StoredRecord]:
        reads = self._read_many(tenant_id, entity, list(platform_ids))
        return {platform_id: read.record for platform_id, read in reads.items() if read.record is not None}

    def listing(
        self, tenant_id: str, entity: Entity, state: SyncState | None, limit: int, cursor: str | None = None
    ) -> tuple[list[StoredRecord], str | None]:
        """By platform id from the table (strongly consistent), or within `state` by `state_at` from
        the index (eventually consistent)."""
        pk, prefix = _tenant_pk(tenant_id), _record_prefix(entity)
        partition = _ledger_partition(tenant_id, entity, state) if state else None
        if partition is None:
            keys: tuple[str, ...] = ("pk", "sk")
            params: dict[str, Any] = {
                "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
                "ExpressionAttributeValues": {":pk": {"S": pk}, ":prefix": {"S": prefix}},
                "ConsistentRead": True,
            }
        else:
            keys, params = _INDEX_KEYS, self._table.index_partition(partition)

        def belongs(position: dict[str, str]) -> bool:
            in_state = partition is None or position["gsi1pk"] == partition
            return position["pk"] == pk and position["sk"].startswith(prefix) and in_state

        start = decode_cursor(cursor, keys, belongs, "record listing") if cursor else None
        items, more = self._table.page(limit, start, **params)
        page = [cast(StoredRecord, _read_of(item).record) for item in items]
        return page, (encode_cursor(items[-1], keys) if more and items else None)

    def sendable(self, tenant_id: str, entity: Entity, limit: int) -> list[StoredRecord]:
        partition = _ledger_partition(tenant_id, entity, SyncState.PENDING)
        offered, _ = self._table.page(limit, None, **self._table.index_partition(partition, ProjectionExpression="sk"))
        fresh = self.get_many(
            tenant_id, entity, [item["sk"]["S"].removeprefix(_record_prefix(entity)) for item in offered]
        )
        waiting = [record for record in fresh.values() if record.state is SyncState.PENDING]
        return sorted(waiting, key=lambda record: (record.state_at, record.platform_id))

    def settle(
        self, tenant_id: str, entity: Entity, platform_id: str, version: int, outcome: Outcome, *, now: datetime
    ) -> StoredRecord | None:
        stored, _ = self._change(tenant_id, entity, platform_id, lambda record: settled(record, version, outcome, now))
        return stored

    def settle_many(
        self, tenant_id: str, entity: Entity, outcomes: list[tuple[str, int, Outcome]], *, now: datetime
    ) -> dict[str, StoredRecord]:
        """One call's answer in about a fifth of the requests `settle` makes one by one: one
        BatchGetItem per 100 records; the history lines they carry and the Xero id map items, 25 a
        BatchWriteItem; one conditional PutItem per record; the entity's last success once. A record
        that lost a race, or that appears twice, is settled with `settle`, in the order given."""
        reads = self._read_many(tenant_id, entity, [platform_id for platform_id, _, _ in outcomes])
        again = {platform_id for platform_id, times in Counter(p for p, _, _ in outcomes).items() if times > 1}
        answers: dict[str, StoredRecord] = {}
        changes: list[tuple[_Read, Change]] = []
        for platform_id, version, outcome in outcomes:
            record = reads[platform_id].record
            if platform_id in again or record is None:
                continue
            change = settled(record, version, outcome, now)
            if change is None:
                answers[platform_id] = record
            else:
                changes.append((reads[platform_id], change))
        self._table.put_many(
            [read.line.item(change.record) for read, change in changes if read.line]
            + [_pointer(change.record) for read, change in changes if _new_xero_id(read, change)]
            + [_part_pointer(change.record, part) for read, change in changes for part in _new_parts(read, change)]
        )
        for read, change in changes:
            if self._put_record(read, change, pointer=False, note=False):
                answers[change.record.platform_id] = change.record
            else:
                again.add(change.record.platform_id)
        synced_at = [change.record.last_synced_at for read, change in changes if _newly_synced(read, change)]
        if synced_at:
            self._note_success(tenant_id, entity, max(at for at in synced_at if at is not None))
        for platform_id, version, outcome in outcomes:
            if platform_id in again:
                after = self.settle(tenant_id, entity, platform_id, version, outcome, now=now)
                if after is not None:
                    answers[platform_id] = after
        return answers

    def apply_from_xero(
        self, tenant_id: str, entity: Entity, platform_id: str, taken: XeroVersion, *, now: datetime
    ) -> StoredRecord | None:
        """One conditional PutItem, as every change; from_xero raises RecordMovedError on the read
        that finds the record at another version, before anything is written."""
        stored, _ = self._change(
            tenant_id,
            entity,
            platform_id,
            lambda record: from_xero(record, taken, now, tenant_id=tenant_id, entity=entity, platform_id=platform_id),
            create=lambda: from_xero(None, taken, now, tenant_id=tenant_id, entity=entity, platform_id=platform_id),
        )
        return stored

    def find_part(self, tenant_id: str, xero_id: str) -> StoredRecord | None:
        mapped = self._table.get(_key(_tenant_pk(tenant_id), f"PART#{xero_id}"))
        if mapped is None:
            return None
        record = self.get(tenant_id, Entity(mapped["entity"]["S"]), mapped["platform_id"]["S"])
        # A pointer, never cleaned: the record has the last word.
        return record if record and xero_id in part_ids(record.linked) else None

    def set_applied(self, tenant_id: str, entity: Entity, platform_id: str, applied: bool) -> None:
        # The revision moves too, so a change computed from a read before this one loses its race
        # and recomputes, rather than writing the old has_applied back.
        self._table.update(
            _record_key(tenant_id, entity, platform_id),
            UpdateExpression="SET has_applied = :applied ADD #revision :one",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#revision": "revision"},
            ExpressionAttributeValues={":applied": {"BOOL": applied}, ":one": {"N": "1"}},
        )

    def retry(self, tenant_id: str, entity: Entity, platform_id: str | None, now: datetime) -> int:
        """One record, or every record the index holds as FAILED, SKIPPED or PARKED; each changes
        on its own strongly consistent read, so one the index shows stale is left as it is."""
        if platform_id is not None:
            ids = [platform_id]
        else:
            prefix = _record_prefix(entity)
            ids = [
                item["sk"]["S"].removeprefix(prefix)
                for state in RETRYABLE
                for item in self._table.query(
                    **self._table.index_partition(
                        _ledger_partition(tenant_id, entity, state), ProjectionExpression="sk"
                    )
                )
            ]
        changes = [self._change(tenant_id, entity, one, lambda record: retried(record, now)) for one in ids]
        return sum(1 for _, changed in changes if changed)

    def history(self, tenant_id: str, entity: Entity, platform_id: str, limit: int) -> list[LedgerEvent]:
        """The lines copied to their own items and the newest, which the record carries (it may not
        have been copied yet), newest first."""
        if limit <= 0:
            return []
        items = self._table.client.query(
            TableName=self._table.name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": _history_pk(tenant_id, entity, platform_id)}},
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
        )["Items"]
        lines = {
            int(item["sk"]["S"].removeprefix("HIST#")): LedgerEvent.model_validate(_attributes(item)) for item in items
        }
        newest = self._read(tenant_id, entity, platform_id).line
        if newest is not None:
            lines[newest.number] = newest.event
        return [lines[number] for number in sorted(lines, reverse=True)[:limit]]

    def status(self, tenant_id: str, entity: Entity) -> EntityCounts:
        """A COUNT query per state's index partition: it reads the items it counts (a tenant with
        6,000 records of ~2 KB reads ~1,500 read units), cheap enough for a status page and never
        out of step with the records, as counters kept beside them could become."""
        counts = {state: self._count(_ledger_partition(tenant_id, entity, state)) for state in SyncState}
        pending = _ledger_partition(tenant_id, entity, SyncState.PENDING)
        oldest, _ = self._table.page(1, None, **self._table.index_partition(pending, ProjectionExpression="state_at"))
        success = self._table.get(_key(_tenant_pk(tenant_id), f"SYNCED#{entity.value}"))
        return EntityCounts(
            entity=entity,
            counts=counts,
            last_synced_at=datetime.fromisoformat(success["last_synced_at"]["S"]) if success else None,
            oldest_pending_at=datetime.fromisoformat(oldest[0]["state_at"]["S"]) if oldest else None,
        )

    def find_by_xero_id(self, tenant_id: str, entity: Entity, xero_id: str) -> StoredRecord | None:
        mapped = self._table.get(_key(_tenant_pk(tenant_id), f"XERO#{entity.value}#{xero_id}"))
        record = self.get(tenant_id, entity, mapped["platform_id"]["S"]) if mapped else None
        # The map item is a pointer, written before the record and never cleaned: the record has the last word.
        return record if record and record.xero_id == xero_id else None

    def begin_batch(self, batch: InFlightBatch) -> None:
        item = _key(_batches_pk(batch.tenant_id), f"BATCH#{batch.key}") | {
            "created_at": {"S": stored_time(batch.created_at)},
            "request": {"B": _compressed(batch)},
        }
        self._table.put(item)

    def open_batches(self, tenant_id: str) -> list[InFlightBatch]:
        """A tenant has a few open requests at most (one worker per tenant, one call at a time), so
        they are keyed by Idempotency-Key for `end_batch` and put in order here."""
        items = self._table.query(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": _batches_pk(tenant_id)}},
            ConsistentRead=True,
        )
        batches = [InFlightBatch.model_validate_json(_decompressed(item, "request")) for item in items]
        return sorted(batches, key=lambda batch: (batch.created_at, batch.key))

    def end_batch(self, tenant_id: str, key: str) -> None:
        self._table.client.delete_item(TableName=self._table.name, Key=_key(_batches_pk(tenant_id), f"BATCH#{key}"))

    def _read(self, tenant_id: str, entity: Entity, platform_id: str) -> _Read:
        item = self._table.get(_record_key(tenant_id, entity, platform_id))
        return _read_of(item) if item else _Read(None)

    def _read_many(self, tenant_id: str, entity: Entity, platform_ids: list[str]) -> dict[str, _Read]:
        unique = list(dict.fromkeys(platform_ids))
        items = self._table.get_many([_record_key(tenant_id, entity, platform_id) for platform_id in unique])
        found = {read.record.platform_id: read for read in map(_read_of, items) if read.record}
        return {platform_id: found.get(platform_id, _Read(None)) for platform_id in unique}

    def _change(
        self,
        tenant_id: str,
        entity: Entity,
        platform_id: str,
        change: Callable[[StoredRecord], Change | None],
        create: Callable[[], Change | None] | None = None,
    ) -> tuple[StoredRecord | None, bool]:
        """Read the record, apply `change` (or `create` when there is none) and write what it
        becomes, conditioned on the revision read; on a lost race, again from a fresh read. The
        record as it stands after, and whether it changed."""
        for _ in range(ATTEMPTS):
            read = self._read(tenant_id, entity, platform_id)
            outcome = change(read.record) if read.record else (create() if create else None)
            if outcome is None:
                return read.record, False
            if read.line is not None and outcome.event is not None:
                self._table.put(read.line.item(outcome.record))
            if self._put_record(read, outcome):
                return outcome.record, True
        raise RecordContendedError(f"{entity.value} {platform_id} changed under {ATTEMPTS} attempts")

    def _put_record(self, read: _Read, change: Change, *, pointer: bool = True, note: bool = True) -> bool:
        """Write the record as `change` leaves it, if it is still at the revision read; its line of
        history rides along. The caller has copied the line it replaces to its own item, and, when
        `pointer` is False, written the map item of a new Xero id; when `note` is False, it notes
        the entity's last success itself."""
        record = change.record
        if pointer and _new_xero_id(read, change):
            # Before the record: a record holding a Xero id always has its map item.
            self._table.put(_pointer(record))
        if pointer:
            for part in _new_parts(read, change):
                self._table.put(_part_pointer(record, part))
        revision = read.revision + 1
        if change.event is not None:
            line = _Line(revision, change.event)
        elif read.line is not None:
            line = read.line  # nothing worth a line: the record keeps carrying its newest one
        else:
            raise ValueError("a new record needs a line of history")
        item = _record_item(record, line, revision)
        if read.revision == 0:
            written = self._table.put(item, ConditionExpression="attribute_not_exists(pk)")
        else:
            written = self._table.put(
                item,
                ConditionExpression="#revision = :read",
                ExpressionAttributeNames={"#revision": "revision"},
                ExpressionAttributeValues={":read": {"N": str(read.revision)}},
            )
        if written and note and record.last_synced_at is not None and _newly_synced(read, change):
            self._note_success(record.tenant_id, record.entity, record.last_synced_at)
        return written

    def _note_success(self, tenant_id: str, entity: Entity, synced_at: datetime) -> None:
        """Keep the entity's last success for `status`: conditioned, so it only moves forward. Should
        a Lambda stop just before, the next success brings it up to date."""
        self._table.update(
            _key(_tenant_pk(tenant_id), f"SYNCED#{entity.value}"),
            UpdateExpression="SET last_synced_at = :at",
            ConditionExpression="attribute_not_exists(last_synced_at) OR last_synced_at < :at",
            ExpressionAttributeValues={":at": {"S": stored_time(synced_at)}},
        )

    def _count(self, partition: str) -> int:
        pages = self._table.client.get_paginator("query").paginate(
            TableName=self._table.name, **self._table.index_partition(partition, Select="COUNT")
        )
        return sum(int(page["Count"]) for page in pages)


class DynamoDbSyncSettingsStore(SyncSettingsStore):
    def __init__(self, table: _Table) -> None:
        self._table = table

    def get(self, tenant_id: str) -> TenantSyncSettings | None:
        item = self._table.get(_key(_tenant_pk(tenant_id), "SYNCSETTINGS"))
        return TenantSyncSettings.model_validate_json(item["settings"]["S"]) if item else None

    def put(self, tenant_id: str, settings: TenantSyncSettings, now: datetime) -> None:
        item = _key(_tenant_pk(tenant_id), "SYNCSETTINGS") | {
            "settings": {"S": settings.model_dump_json()},
            "updated_at": {"S": stored_time(now)},
        }
        self._table.put(item)

    def reference(self, tenant_id: str) -> ReferenceData | None:
        item = self._table.get(_key(_tenant_pk(tenant_id), "REFERENCE"))
        return ReferenceData.model_validate_json(_decompressed(item, "reference")) if item else None

    def put_reference(self, tenant_id: str, reference: ReferenceData) -> None:
        item = _key(_tenant_pk(tenant_id), "REFERENCE") | {
            "reference": {"B": _compressed(reference)},
            "fetched_at": {"S": stored_time(reference.fetched_at)},
        }
        self._table.put(item)


class DynamoDbSyncSchedule(SyncSchedule):
    def __init__(self, table: _Table) -> None:
        self._table = table

    def defer(self, tenant_id: str, until: datetime, reason: str) -> None:
        deferral = {
            "gsi1pk": SCHEDULE_PARTITION,
            "gsi1sk": f"{stored_time(until)}#{tenant_id}",
            "tenant_id": tenant_id,
            "until": until,
            "reason": reason,
        }
        self._table.put(_key(_tenant_pk(tenant_id), "SYNCDUE") | _item(deferral))

    def due(self, now: datetime) -> Iterator[str]:
        # `<until>#<tenant>` sorts below `<now>$` exactly when until <= now ('$' follows '#').
        pages = self._table.client.get_paginator("query").paginate(
            TableName=self._table.name,
            IndexName=STATE_TABLE_INDEX,
            KeyConditionExpression="gsi1pk = :partition AND gsi1sk < :bound",
            ExpressionAttributeValues={
                ":partition": {"S": SCHEDULE_PARTITION},
                ":bound": {"S": f"{stored_time(now)}$"},
            },
            ProjectionExpression="tenant_id",
            PaginationConfig={"PageSize": DUE_PAGE},
        )
        for page in pages:
            for item in page["Items"]:
                yield item["tenant_id"]["S"]

    def clear(self, tenant_id: str) -> None:
        self._table.client.delete_item(TableName=self._table.name, Key=_key(_tenant_pk(tenant_id), "SYNCDUE"))

    def deferred_until(self, tenant_id: str) -> tuple[datetime, str] | None:
        item = self._table.get(_key(_tenant_pk(tenant_id), "SYNCDUE"))
        return (datetime.fromisoformat(item["until"]["S"]), item["reason"]["S"]) if item else None

    def acquire(self, tenant_id: str, owner: str, now: datetime, lease_for: timedelta) -> bool:
        # One conditional write: free, expired, or already ours.
        ends = now + lease_for
        lease = {"owner": owner, "expires_at": ends, "expires_at_epoch": math.ceil(ends.timestamp())}
        return self._table.put(
            _key(_tenant_pk(tenant_id), "PUSHLEASE") | _item(lease),
            ConditionExpression="attribute_not_exists(pk) OR expires_at <= :now OR #owner = :owner",
            ExpressionAttributeNames={"#owner": "owner"},
            ExpressionAttributeValues={":now": {"S": stored_time(now)}, ":owner": {"S": owner}},
        )

    def release(self, tenant_id: str, owner: str) -> None:
        try:
            self._table.client.delete_item(
                TableName=self._table.name,
                Key=_key(_tenant_pk(tenant_id), "PUSHLEASE"),
                ConditionExpression="#owner = :owner",
                ExpressionAttributeNames={"#owner": "owner"},
                ExpressionAttributeValues={":owner": {"S": owner}},
            )
        except ClientError as error:
            if not condition_failed(error):
                raise


@dataclass(frozen=True)
class DynamoDbRecords:
    """The three ports over one table, sharing one client (made on first use)."""

    store: DynamoDbRecordStore
    settings: DynamoDbSyncSettingsStore
    schedule: DynamoDbSyncSchedule

    @classmethod
    def for_table(
        cls, table_name: str, *, region_name: str | None = None, client: Any | None = None
    ) -> DynamoDbRecords:
        """The stores of `table_name`; pass `client` to use a ready boto3 DynamoDB client."""
        table = _Table(table_name, AwsClient("dynamodb", region_name, client))
        return cls(DynamoDbRecordStore(table), DynamoDbSyncSettingsStore(table), DynamoDbSyncSchedule(table))
