"""Lambda's SQS event source mapping, locally: poll a queue and invoke a handler with SQS events.

What the mapping does in AWS, and so here:
- long-poll ReceiveMessage for up to `batch_size` messages, with the queue's own visibility timeout;
- invoke the function with one SQS event per batch, at most `maximum_concurrency` invocations at once
  (ScalingConfig.MaximumConcurrency);
- with ReportBatchItemFailures, delete only the messages not named in `batchItemFailures`; an
  answer naming a message that is not in the batch, or an item without an identifier, fails the
  whole batch; a raised exception fails the whole batch (nothing deleted);
- without ReportBatchItemFailures, delete the whole batch unless the function raised.

What SQS does and the mapping leaves to it: failed messages reappear after the visibility timeout,
move to the dead-letter queue after maxReceiveCount receives (moto does both), and a FIFO queue
hands out no message of a group while an earlier one of that group is in flight, which keeps each
group in order across concurrent invocations.

One thread receives and the invocations run on a pool: receives are serialised because moto is not
thread-safe, which changes nothing a handler can see.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from local_stack.events import LocalLambdaContext, sqs_event, sqs_record_from_message

_log = logging.getLogger(__name__)

SqsHandler = Callable[[dict[str, Any], Any], Any]

# ReceiveMessage's MaxNumberOfMessages ceiling; the mapping's larger batches need a batching window,
# which the local stack does not model.
MAX_RECEIVE = 10


@dataclass(frozen=True)
class EventSourceMapping:
    """The event source mapping's settings that the poller honours."""

    queue_url: str
    function_name: str
    batch_size: int = 10
    maximum_concurrency: int = 2
    report_batch_item_failures: bool = True
    # Lambda long-polls for 20 s. moto's long poll does not wake when a deletion frees a FIFO message
    # group (it waits out the whole wait), so locally the poller short-polls and pauses briefly when
    # the queue is empty: closer to SQS's timing, and stop() returns at once.
    wait_seconds: int = 0
    idle_pause_seconds: float = 0.05
    function_timeout_seconds: float = 60.0

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= MAX_RECEIVE:
            raise ValueError(f"batch_size must be between 1 and {MAX_RECEIVE}")
        if self.maximum_concurrency < 1:
            raise ValueError("maximum_concurrency must be at least 1")


@dataclass
class PollerCounts:
    """What the poller has done so far."""

    invocations: int = 0
    deleted: int = 0
    failed: int = 0


def failed_message_ids(answer: Any, batch_ids: Sequence[str]) -> set[str]:
    """The messages of a batch the function reported as failed (all of them when its answer is invalid).

    An empty answer, or one without `batchItemFailures`, or with an empty list, means every message
    succeeded; an item without an `itemIdentifier` or naming a message outside the batch makes
    Lambda treat the whole batch as failed (Lambda Developer Guide, "Handling errors for an SQS
    event source in Lambda": its success and failure conditions).
    """
    if not isinstance(answer, Mapping) or not answer.get("batchItemFailures"):
        return set()
    failures = answer["batchItemFailures"]
    if not isinstance(failures, list):
        return set(batch_ids)
    failed: set[str] = set()
    for item in failures:
        identifier = item.get("itemIdentifier") if isinstance(item, Mapping) else None
        if not isinstance(identifier, str) or identifier not in batch_ids:
            return set(batch_ids)
        failed.add(identifier)
    return failed


class SqsPoller:
    """Runs one event source mapping: a receiving thread and up to `maximum_concurrency` invocations."""

    def __init__(self, sqs: Any, mapping: EventSourceMapping, handler: SqsHandler) -> None:
        self._sqs = sqs
        self.mapping = mapping
        self._handler = handler
        self.counts = PollerCounts()
        self._counts_lock = threading.Lock()
        self._slots = threading.Semaphore(mapping.maximum_concurrency)
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(mapping.maximum_concurrency, thread_name_prefix=f"{mapping.function_name}")
        self._receiver = threading.Thread(target=self._poll, name=f"{mapping.function_name}-poller", daemon=True)
        self._source_arn = sqs.get_queue_attributes(QueueUrl=mapping.queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]

    def start(self) -> None:
        self._receiver.start()

    def stop(self) -> None:
        """Stop receiving and wait for the invocations in flight to finish."""
        self._stopping.set()
        if self._receiver.is_alive():
            self._receiver.join()
        self._pool.shutdown(wait=True)

    def _poll(self) -> None:
        while not self._stopping.is_set():
            if not self._slots.acquire(timeout=0.1):
                continue  # every invocation slot is busy: receive nothing until one frees
            try:
                messages = self._receive()
            except Exception:
                _log.exception("receiving from %s failed", self.mapping.queue_url)
                messages = []
                self._stopping.wait(1)
            if messages:
                self._pool.submit(self._invoke, messages)
            else:
                self._slots.release()
                self._stopping.wait(self.mapping.idle_pause_seconds)

    def _receive(self) -> list[dict[str, Any]]:
        answer = self._sqs.receive_message(
            QueueUrl=self.mapping.queue_url,
            MaxNumberOfMessages=self.mapping.batch_size,
            WaitTimeSeconds=self.mapping.wait_seconds,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages: list[dict[str, Any]] = answer.get("Messages", [])
        return messages

    def _invoke(self, messages: list[dict[str, Any]]) -> None:
        try:
            event = sqs_event([sqs_record_from_message(m, source_arn=self._source_arn) for m in messages])
            batch_ids = [m["MessageId"] for m in messages]
            context = LocalLambdaContext(
                self.mapping.function_name, timeout_seconds=self.mapping.function_timeout_seconds
            )
            try:
                answer = self._handler(event, context)
            except Exception:
                _log.exception("%s failed its batch of %d", self.mapping.function_name, len(messages))
                failed = set(batch_ids)
            else:
                failed = failed_message_ids(answer, batch_ids) if self.mapping.report_batch_item_failures else set()
            done = [m for m in messages if m["MessageId"] not in failed]
            self._delete(done)
            with self._counts_lock:
                self.counts.invocations += 1
                self.counts.deleted += len(done)
                self.counts.failed += len(failed)
        finally:
            self._slots.release()

    def _delete(self, messages: list[dict[str, Any]]) -> None:
        for start in range(0, len(messages), MAX_RECEIVE):
            chunk = messages[start : start + MAX_RECEIVE]
            answer = self._sqs.delete_message_batch(
                QueueUrl=self.mapping.queue_url,
                Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(chunk)],
            )
            for error in answer.get("Failed", []):
                _log.warning("deleting a message failed: %s", error.get("Code"))
