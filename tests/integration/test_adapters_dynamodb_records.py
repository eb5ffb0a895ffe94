"""The DynamoDB record store, sync settings and sync schedule keep the records contract against moto,
in the state table's layout."""

from __future__ import annotations

import json
import secrets
import zlib
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from local_stack.resources import create_table
from shared.adapters.dynamodb_records import DynamoDbRecords
from shared.domain.ledger import Outcome, SyncState
from shared.domain.records import Entity
from shared.resources import ResourceNames
from tests.contracts.records import CONTACT, T0, TENANT, RecordsContract, a_batch, a_contact, an_invoice, at, synced


@pytest.fixture
def table(aws_endpoint: str) -> str:
    """A fresh state table alone, with the stage's layout: the stores need nothing else, and a whole
    stage (queues, key, secrets, bus) per test would take most of the suite's time."""
    names = ResourceNames(f"rec{secrets.token_hex(4)}")
    create_table(boto3.client("dynamodb"), names)
    return names.state_table


class TestDynamoDbRecords(RecordsContract):
    @pytest.fixture
    def records(self, table: str) -> DynamoDbRecords:
        return DynamoDbRecords.for_table(table)


def raw_item(table: str, pk: str, sk: str) -> dict[str, Any]:
    item: dict[str, Any] = boto3.client("dynamodb").get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}})[
        "Item"
    ]
    return item


def test_a_record_is_indexed_under_its_tenant_entity_and_state(table: str) -> None:
    # Given the adapter / When a contact is written
    DynamoDbRecords.for_table(table).store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
    # Then its item sits under the tenant and in the index's partition of pending contacts, by state_at
    item = raw_item(table, "TENANT#tenant-1", "REC#contact#c-1")
    assert (item["gsi1pk"], item["gsi1sk"]) == (
        {"S": "LEDGER#tenant-1#contact#pending"},
        {"S": "2026-01-05T09:00:00.000000+00:00#c-1"},
    )


def test_a_body_is_kept_as_a_json_string(table: str) -> None:
    # Given the adapter / When an invoice with decimal amounts is written
    DynamoDbRecords.for_table(table).store.write(TENANT, Entity.INVOICE, "inv-1", an_invoice(), T0)
    # Then its body is one JSON string, its amounts untouched by any number type
    body = raw_item(table, "TENANT#tenant-1", "REC#invoice#inv-1")["body"]
    assert json.loads(body["S"]) == an_invoice()


def test_an_open_request_is_kept_compressed(table: str) -> None:
    # Given a request of fifty invoices, about 470 KB as JSON
    batch = a_batch(invoices=50)
    # When it is begun
    DynamoDbRecords.for_table(table).store.begin_batch(batch)
    # Then its item holds it compressed, a small fraction of its size
    request = raw_item(table, "TENANT#tenant-1#BATCHES", "BATCH#key-1")["request"]["B"]
    assert zlib.decompress(request) == batch.model_dump_json().encode()
    assert len(request) < 40_000


def test_the_line_a_change_replaces_is_copied_to_its_own_item(table: str) -> None:
    # Given a contact created (its line rides on the record)
    store = DynamoDbRecords.for_table(table).store
    store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
    # When it is changed
    store.write(TENANT, CONTACT, "c-1", a_contact("Acme Pty"), at(1))
    # Then the creation's line has an item of its own, numbered by the revision that made it
    line = raw_item(table, "TENANT#tenant-1#REC#contact#c-1", "HIST#000000000001")
    assert (line["version"], line["message"]) == ({"N": "1"}, {"S": "created"})


class RacingClient:
    """A DynamoDB client that lets `rival` change the table just before the first record is put:
    the moment between a store's read and its write."""

    def __init__(self, rival: Callable[[], object]) -> None:
        self._client = boto3.client("dynamodb")
        self._rival: Callable[[], object] | None = rival

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def put_item(self, **request: Any) -> Any:
        if self._rival is not None and request["Item"]["sk"]["S"].startswith("REC#"):
            rival, self._rival = self._rival, None
            rival()
        return self._client.put_item(**request)


def test_an_outcome_that_races_a_platform_write_loses_neither(table: str) -> None:
    # Given version 1 in a call to Xero
    platform = DynamoDbRecords.for_table(table).store
    platform.write(TENANT, CONTACT, "c-1", a_contact(), T0)
    platform.settle(TENANT, CONTACT, "c-1", 1, Outcome(state=SyncState.IN_FLIGHT), now=at(1))
    # When the platform writes version 2 between the worker's read and its write of Xero's answer
    worker = DynamoDbRecords.for_table(
        table, client=RacingClient(lambda: platform.write(TENANT, CONTACT, "c-1", a_contact("Acme Pty"), at(2)))
    ).store
    settled = worker.settle(TENANT, CONTACT, "c-1", 1, synced("xero-1"), now=at(3))
    assert settled is not None
    # Then the record holds both: version 2 waiting to be sent, and Xero's id for version 1
    assert (settled.version, settled.state, settled.body["name"]) == (2, SyncState.PENDING, "Acme Pty")
    assert (settled.xero_id, settled.synced_version) == ("xero-1", 1)
    assert platform.get(TENANT, CONTACT, "c-1") == settled


def test_a_bulk_write_that_races_another_write_writes_that_record_again(table: str) -> None:
    # Given two stored contacts
    platform = DynamoDbRecords.for_table(table).store
    platform.write_many(TENANT, CONTACT, [("c-1", a_contact("One")), ("c-2", a_contact("Two"))], T0)
    # When a single write changes c-1 between the bulk write's reads and its writes
    bulk = DynamoDbRecords.for_table(
        table, client=RacingClient(lambda: platform.write(TENANT, CONTACT, "c-1", a_contact("Uno"), at(1)))
    ).store
    written = bulk.write_many(TENANT, CONTACT, [("c-1", a_contact("Eins")), ("c-2", a_contact("Zwei"))], at(2))
    # Then both changes to c-1 count: it is at version 3 with the bulk write's body
    assert [(r.version, r.body["name"]) for r in written] == [(3, "Eins"), (2, "Zwei")]


def test_an_answer_settled_in_batch_that_races_a_platform_write_loses_neither(table: str) -> None:
    # Given two contacts in one call to Xero
    platform = DynamoDbRecords.for_table(table).store
    platform.write_many(TENANT, CONTACT, [("c-1", a_contact("One")), ("c-2", a_contact("Two"))], T0)
    # When the platform writes c-1 again between the worker's batch read and its writes of Xero's answer
    worker = DynamoDbRecords.for_table(
        table, client=RacingClient(lambda: platform.write(TENANT, CONTACT, "c-1", a_contact("Uno"), at(1)))
    ).store
    outcomes = [("c-1", 1, synced("xero-1")), ("c-2", 1, synced("xero-2"))]
    settled = worker.settle_many(TENANT, CONTACT, outcomes, now=at(2))
    # Then c-1 holds both: version 2 waiting to be sent, and Xero's id for version 1; c-2 is synced
    assert (settled["c-1"].version, settled["c-1"].state, settled["c-1"].body["name"]) == (2, SyncState.PENDING, "Uno")
    assert (settled["c-1"].xero_id, settled["c-1"].synced_version) == ("xero-1", 1)
    assert (settled["c-2"].state, settled["c-2"].xero_id) == (SyncState.SYNCED, "xero-2")
    assert platform.get_many(TENANT, CONTACT, ["c-1", "c-2"]) == settled


def test_sendable_leaves_out_a_record_the_index_still_shows_pending(table: str) -> None:
    # Given a synced contact whose index entry still says pending (the index trails the table)
    store = DynamoDbRecords.for_table(table).store
    store.write(TENANT, CONTACT, "c-1", a_contact(), T0)
    store.settle(TENANT, CONTACT, "c-1", 1, synced(), now=at(1))
    boto3.client("dynamodb").update_item(
        TableName=table,
        Key={"pk": {"S": "TENANT#tenant-1"}, "sk": {"S": "REC#contact#c-1"}},
        UpdateExpression="SET gsi1pk = :pending",
        ExpressionAttributeValues={":pending": {"S": "LEDGER#tenant-1#contact#pending"}},
    )
    # When the sendable contacts are asked for / Then the strongly consistent read leaves it out
    assert store.sendable(TENANT, CONTACT, 10) == []
