"""The local SQS poller behaves like Lambda's event source mapping on the stage's FIFO work queue (moto)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.parser.models import SqsModel

from local_stack.sqs_poller import EventSourceMapping, SqsPoller
from tests.integration.conftest import Stage

SqsHandler = Callable[[dict[str, Any], Any], Any]


@pytest.fixture
def sqs(stage: Stage) -> Any:
    return boto3.client("sqs")


@pytest.fixture
def run_poller(stage: Stage, sqs: Any) -> Iterator[Callable[..., SqsPoller]]:
    """Start a poller on the stage's work queue with the given handler and settings; stopped after the test."""
    pollers: list[SqsPoller] = []

    def start(handler: SqsHandler, **settings: Any) -> SqsPoller:
        mapping = EventSourceMapping(queue_url=stage.resources.work_queue_url, function_name="sync-worker", **settings)
        poller = SqsPoller(sqs, mapping, handler)
        pollers.append(poller)
        poller.start()
        return poller

    yield start
    for poller in pollers:
        poller.stop()


def send(sqs: Any, stage: Stage, group: str, *bodies: str) -> None:
    for body in bodies:
        sqs.send_message(
            QueueUrl=stage.resources.work_queue_url,
            MessageBody=body,
            MessageGroupId=group,
            MessageDeduplicationId=f"{group}-{body}",
        )


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def queue_counts(sqs: Any, queue_url: str) -> tuple[int, int]:
    """(visible, in flight) messages of a queue."""
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]), int(attributes["ApproximateNumberOfMessagesNotVisible"])


def bodies(event: dict[str, Any]) -> list[str]:
    return [record["body"] for record in event["Records"]]


def test_batches_never_exceed_the_batch_size(stage: Stage, sqs: Any, run_poller: Callable[..., SqsPoller]) -> None:
    # Given seven messages of one tenant
    send(sqs, stage, "tenant-1", *[f"m{n}" for n in range(7)])
    batches: list[list[str]] = []

    # When a poller with batch size 3 consumes them
    poller = run_poller(lambda event, context: batches.append(bodies(event)), batch_size=3)
    wait_until(lambda: poller.counts.deleted == 7)

    # Then no batch held more than three, and the batches were filled
    assert max(len(batch) for batch in batches) == 3
    assert sorted(body for batch in batches for body in batch) == [f"m{n}" for n in range(7)]


def test_events_are_real_shaped_sqs_events_of_the_queue(
    stage: Stage, sqs: Any, run_poller: Callable[..., SqsPoller]
) -> None:
    # Given a message of one tenant
    send(sqs, stage, "tenant-1", '{"job": 1}')
    events: list[dict[str, Any]] = []

    # When the poller delivers it
    poller = run_poller(lambda event, context: events.append(event))
    wait_until(lambda: poller.counts.invocations == 1)

    # Then Powertools parses the event, with the FIFO attributes and the queue's ARN
    record = SqsModel.model_validate(events[0]).Records[0]
    assert record.body == '{"job": 1}'
    assert record.attributes.MessageGroupId == "tenant-1"
    assert record.attributes.ApproximateReceiveCount == "1"
    assert record.eventSourceARN.endswith(f":{stage.names.work_queue}")


def test_partial_batch_failure_deletes_only_the_successes(
    stage: Stage, sqs: Any, run_poller: Callable[..., SqsPoller]
) -> None:
    # Given three messages in three groups, one of which the function will report as failed
    for group, body in (("t1", "good-1"), ("t2", "bad"), ("t3", "good-2")):
        send(sqs, stage, group, body)

    def report_bad(event: dict[str, Any], context: Any) -> dict[str, Any]:
        failures = [{"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"] == "bad"]
        return {"batchItemFailures": failures}

    # When the poller runs the batch
    poller = run_poller(report_bad, batch_size=10)
    wait_until(lambda: poller.counts.deleted + poller.counts.failed == 3)
    poller.stop()

    # Then only the failed message is left, in flight until its visibility timeout
    assert queue_counts(sqs, stage.resources.work_queue_url) == (0, 1)


def test_raising_function_fails_the_whole_batch(stage: Stage, sqs: Any, run_poller: Callable[..., SqsPoller]) -> None:
    # Given two messages
    send(sqs, stage, "t1", "a")
    send(sqs, stage, "t2", "b")

    def fail(event: dict[str, Any], context: Any) -> Any:
        raise RuntimeError("the worker crashed")

    # When the function raises on the batch
    poller = run_poller(fail, batch_size=10)
    wait_until(lambda: poller.counts.failed == 2)
    poller.stop()

    # Then nothing was deleted: both wait out their visibility timeout
    assert poller.counts.deleted == 0
    assert queue_counts(sqs, stage.resources.work_queue_url) == (0, 2)


def test_answer_naming_an_unknown_message_fails_the_whole_batch(
    stage: Stage, sqs: Any, run_poller: Callable[..., SqsPoller]
) -> None:
    # Given one message and a function reporting a failure for a message it was never given
    send(sqs, stage, "t1", "a")

    # When the batch runs
    poller = run_poller(lambda event, context: {"batchItemFailures": [{"itemIdentifier": "not-in-batch"}]})
    wait_until(lambda: poller.counts.invocations == 1)
    poller.stop()

    # Then Lambda treats the answer as invalid and deletes nothing
    assert queue_counts(sqs, stage.resources.work_queue_url) == (0, 1)


def test_failing_message_lands_in_the_dead_letter_queue_after_max_receive_count(
    stage: Stage, sqs: Any, run_poller: Callable[..., SqsPoller]
) -> None:
    # Given a queue whose failed messages reappear at once, and a message the function always fails
    sqs.set_queue_attributes(QueueUrl=stage.resources.work_queue_url, Attributes={"VisibilityTimeout": "0"})
    send(sqs, stage, "t1", "poison")
    receive_counts: list[str] = []

    def fail(event: dict[str, Any], context: Any) -> Any:
        receive_counts.append(event["Records"][0]["attributes"]["ApproximateReceiveCount"])
        raise RuntimeError("cannot process")

    # When the poller keeps receiving it
    run_poller(fail, batch_size=1, maximum_concurrency=1)
    dlq = stage.resources.work_dead_letter_queue_url
    wait_until(lambda: queue_counts(sqs, dlq)[0] == 1)

    # Then it was tried maxReceiveCount (5) times, then SQS moved it to the DLQ
    assert receive_counts == ["1", "2", "3", "4", "5"]
    moved = sqs.receive_message(QueueUrl=dlq)["Messages"][0]
    assert moved["Body"] == "poison"


def test_concurrent_invocations_never_exceed_maximum_concurrency(
    stage: Stage, sqs: Any, run_poller: Callable[..., SqsPoller]
) -> None:
    # Given nine messages of nine tenants and a slow function counting overlapping invocations
    for n in range(9):
        send(sqs, stage, f"t{n}", f"m{n}")
    running = 0
    peak = 0
    lock = threading.Lock()

    def slow(event: dict[str, Any], context: Any) -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.1)
        with lock:
            running -= 1

    # When a poller with maximum concurrency 3 and batch size 1 consumes them
    poller = run_poller(slow, batch_size=1, maximum_concurrency=3)
    wait_until(lambda: poller.counts.deleted == 9)

    # Then three invocations ran at once, never more
    assert peak == 3


def test_each_tenants_messages_are_processed_in_order(
    stage: Stage, sqs: Any, run_poller: Callable[..., SqsPoller]
) -> None:
    # Given five ordered messages for each of two tenants
    for group in ("t1", "t2"):
        send(sqs, stage, group, *[json.dumps({"group": group, "n": n}) for n in range(5)])
    seen: dict[str, list[int]] = {"t1": [], "t2": []}

    def record(event: dict[str, Any], context: Any) -> None:
        for body in bodies(event):
            message = json.loads(body)
            # Earlier messages take longer, so any overlap within a tenant would show as disorder.
            time.sleep((5 - message["n"]) * 0.01)
            seen[message["group"]].append(message["n"])

    # When four concurrent invocations of one message each consume them
    poller = run_poller(record, batch_size=1, maximum_concurrency=4)
    wait_until(lambda: poller.counts.deleted == 10)

    # Then each tenant's messages were handled in the order sent
    assert seen == {"t1": [0, 1, 2, 3, 4], "t2": [0, 1, 2, 3, 4]}


def test_stop_waits_for_the_invocation_in_flight(stage: Stage, sqs: Any, run_poller: Callable[..., SqsPoller]) -> None:
    # Given a function that is busy when the poller is stopped
    send(sqs, stage, "t1", "a")
    started = threading.Event()

    def busy(event: dict[str, Any], context: Any) -> None:
        started.set()
        time.sleep(0.2)

    poller = run_poller(busy)
    assert started.wait(5)

    # When the poller stops
    poller.stop()

    # Then the invocation finished and its message was deleted
    assert poller.counts.deleted == 1
