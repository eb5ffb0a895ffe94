"""local_stack/moto_speedups.py changes no answer: the same Queries, Scans and sends answer the same on
moto in the local stack's way (its own process, sped up) as on moto as it comes (in process).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local_stack.moto_server import FAKE_CREDENTIALS, MotoServer
from local_stack.resources import create_table
from shared.resources import ResourceNames

NAMES = ResourceNames("speedups")
TABLE = NAMES.state_table


def items() -> Iterator[dict[str, Any]]:
    """Three partitions of interleaved sort keys, two index partitions, and items outside the index."""
    for n in range(300):
        item = {"pk": {"S": f"TENANT#{n % 3}"}, "sk": {"S": f"{'REC' if n % 2 else 'BATCH'}#{n:04}"}}
        if n % 5:
            item |= {"gsi1pk": {"S": f"LEDGER#{n % 2}"}, "gsi1sk": {"S": f"2026-11-{n % 28 + 1:02}#{n:04}"}}
        yield item | {"n": {"N": str(n)}}


QUERIES: list[dict[str, Any]] = [
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "TENANT#1"}}},
    {
        "KeyConditionExpression": "pk = :p AND begins_with(sk, :b)",
        "ExpressionAttributeValues": {":p": {"S": "TENANT#2"}, ":b": {"S": "BATCH#"}},
        "ScanIndexForward": False,
    },
    {
        "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :z",
        "ExpressionAttributeValues": {":p": {"S": "TENANT#0"}, ":a": {"S": "BATCH#0100"}, ":z": {"S": "REC#0200"}},
        "Limit": 7,
    },
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "TENANT#9"}}},
    {
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "LEDGER#1"}},
        "Limit": 11,
        "ProjectionExpression": "sk",
    },
    {
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :p AND gsi1sk < :bound",
        "ExpressionAttributeValues": {":p": {"S": "LEDGER#0"}, ":bound": {"S": "2026-11-10$"}},
        "Select": "COUNT",
    },
    {
        "KeyConditionExpression": "pk = :p",
        "FilterExpression": "n > :n",
        "ExpressionAttributeValues": {":p": {"S": "TENANT#1"}, ":n": {"N": "150"}},
        "Limit": 13,
    },
]


def answers(client: Any) -> list[list[dict[str, Any]]]:
    """Every page of every Query, then of a Scan, as DynamoDB's answers (without request metadata)."""
    create_table(client, NAMES)
    for item in items():
        client.put_item(TableName=TABLE, Item=item)
    client.delete_item(TableName=TABLE, Key={"pk": {"S": "TENANT#1"}, "sk": {"S": "REC#0001"}})
    pages = [list(client.get_paginator("query").paginate(TableName=TABLE, **query)) for query in QUERIES]
    pages.append(list(client.get_paginator("scan").paginate(TableName=TABLE, Limit=40)))
    return [[{k: v for k, v in page.items() if k != "ResponseMetadata"} for page in query] for query in pages]


def sends(client: Any) -> list[Any]:
    """What a FIFO queue (our own deduplication ids), a FIFO queue with content-based deduplication and
    a standard queue accept, refuse and hold after the same sends."""
    seen: list[Any] = []
    for name, attributes in (
        ("ours.fifo", {"FifoQueue": "true"}),
        ("content.fifo", {"FifoQueue": "true", "ContentBasedDeduplication": "true"}),
        ("standard", {}),
    ):
        url = client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        fifo = {"MessageGroupId": "tenant-1"} if name.endswith(".fifo") else {}
        for n in (1, 2, 1, 3):
            ids = {"MessageDeduplicationId": f"d{n}"} if name == "ours.fifo" else {}
            client.send_message(QueueUrl=url, MessageBody=f"m{n}", **fifo, **ids)
        try:
            client.send_message(QueueUrl=url, MessageBody="no group")
            seen.append("accepted without a group")
        except client.exceptions.ClientError as refused:
            seen.append(refused.response["Error"]["Code"])
        held = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        seen.append({k: held.get(k) for k in ("ApproximateNumberOfMessages", "ContentBasedDeduplication", "FifoQueue")})
        messages = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        seen.append(sorted(message["Body"] for message in messages))
    return seen


@pytest.fixture
def sped_up_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    server = MotoServer(port=0)
    try:
        yield server.start()
    finally:
        server.stop()


def test_queries_and_scans_answer_as_moto_does_without_the_speedups(sped_up_moto: str) -> None:
    # Given the same items on moto as it comes and on the local stack's moto
    with mock_aws():
        plain = answers(boto3.client("dynamodb", region_name="eu-west-1"))
    # When the same Queries and a Scan are paged through on the local stack's moto
    sped_up = answers(boto3.client("dynamodb", endpoint_url=sped_up_moto, region_name="eu-west-1"))
    # Then every page is the same
    assert [len(pages) for pages in plain] == [1, 1, 10, 1, 11, 1, 8, 8]
    assert sped_up == plain


def test_queues_take_and_hold_the_same_messages_as_without_the_speedups(sped_up_moto: str) -> None:
    # Given the same sends, with repeats, to three kinds of queue on moto as it comes
    with mock_aws():
        plain = sends(boto3.client("sqs", region_name="eu-west-1"))
    # When they are made on the local stack's moto
    sped_up = sends(boto3.client("sqs", endpoint_url=sped_up_moto, region_name="eu-west-1"))
    # Then the same were kept, dropped as repeats and refused
    assert plain[:3] == [
        "MissingParameter",
        {"ApproximateNumberOfMessages": "3", "ContentBasedDeduplication": "false", "FifoQueue": "true"},
        ["m1", "m2", "m3"],
    ]
    assert sped_up == plain
