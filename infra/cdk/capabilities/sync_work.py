"""The sync queue and its worker: an SQS FIFO queue (message group = tenant) with its FIFO dead-letter
queue, consumed by the sync worker through an event source mapping that reports batch item failures
and caps the worker's concurrency (and so the whole app's pressure on Xero, shared/notes/aws.md §2.1).

Beside it, the accounts watch's tick queue (shared/domain/inbound/watch.py): a standard queue, as only
a standard queue delays one message, with a dead-letter queue of its own; the worker's second event
source, at a concurrency of TICK_CONCURRENCY (a tick is one small call).

The queue's settings are the local stack's (local_stack/resources.py): a message that fails five
receives moves to the DLQ, and 60 s of visibility covers the worker's 60 s timeout.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from aws_cdk.aws_lambda_event_sources import SqsEventSource
from constructs import Construct

from infra.cdk import nag
from infra.cdk.capabilities.service_function import FunctionRuntime, FunctionSpec, ServiceFunction
from shared.resources import TICK_CONCURRENCY, ResourceNames

MAX_RECEIVE_COUNT = 5
VISIBILITY_TIMEOUT = Duration.seconds(60)
# Lambda refuses a mapping whose queue's visibility is shorter than the function's timeout.
WORKER_TIMEOUT = VISIBILITY_TIMEOUT
BATCH_SIZE = 10

WORKER = FunctionSpec(
    name="sync_worker",
    description="xero-sync: pushes each tenant's pending records to Xero (the work queue's consumer)",
    memory_mb=1024,
    timeout=WORKER_TIMEOUT,
    failures_kept_by=(
        "invoked by the SQS event source mapping, never asynchronously: a failed message returns to the FIFO "
        "queue and moves to its dead-letter queue after five receives"
    ),
)


class SyncWork(Construct):
    """`queue` and `dead_letter_queue` at once; the `worker` once `start_worker` has been called."""

    def __init__(self, scope: Construct, construct_id: str, *, names: ResourceNames) -> None:
        super().__init__(scope, construct_id)
        self.queue, self.dead_letter_queue = self._with_dead_letters(
            "",
            names.work_queue,
            names.work_dead_letter_queue,
            "this is the work queue's dead-letter queue: its messages are redriven by an operator, not to another DLQ",
            fifo=True,
        )
        self.tick_queue, self.tick_dead_letter_queue = self._with_dead_letters(
            "Tick",
            names.tick_queue,
            names.tick_dead_letter_queue,
            "this is the tick queue's dead-letter queue; a tick is worth nothing late, the next change notice "
            "starts another watch",
        )
        self.worker: ServiceFunction | None = None

    def _with_dead_letters(
        self, prefix: str, name: str, dead_letter_name: str, why_no_redrive: str, *, fifo: bool = False
    ) -> tuple[sqs.Queue, sqs.Queue]:
        """A queue (SSE, TLS only) and its dead-letter queue (kept 14 days), which takes a message after
        MAX_RECEIVE_COUNT receives. A FIFO queue dedupes on the id every sender gives
        (shared/adapters/sqs.py), never on content."""
        dead_letters = sqs.Queue(
            self,
            f"{prefix}DeadLetterQueue",
            queue_name=dead_letter_name,
            fifo=fifo or None,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        nag.acknowledge(dead_letters, "Serverless-SQSRedrivePolicy", why_no_redrive)
        queue = sqs.Queue(
            self,
            f"{prefix}Queue",
            queue_name=name,
            visibility_timeout=VISIBILITY_TIMEOUT,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(queue=dead_letters, max_receive_count=MAX_RECEIVE_COUNT),
            fifo=fifo or None,
            content_based_deduplication=False if fifo else None,
        )
        return queue, dead_letters

    def start_worker(self, runtime: FunctionRuntime) -> None:
        """The sync worker and the event source mapping that feeds it the queue."""
        worker = ServiceFunction(self, "Worker", spec=WORKER, runtime=runtime)
        source = SqsEventSource(
            self.queue,
            batch_size=BATCH_SIZE,
            report_batch_item_failures=True,
            max_concurrency=runtime.config.worker_max_concurrency,
        )
        worker.function.add_event_source(source)
        ticks = SqsEventSource(
            self.tick_queue, batch_size=BATCH_SIZE, report_batch_item_failures=True, max_concurrency=TICK_CONCURRENCY
        )
        worker.function.add_event_source(ticks)
        for mapping in worker.function.node.children:
            if mapping.node.id.startswith("SqsEventSource"):
                nag.acknowledge(
                    mapping,
                    "Serverless-LambdaEventSourceMappingDestination",
                    "an SQS mapping has no on-failure destination; the queue's redrive policy moves a failing "
                    "message to its dead-letter queue after five receives",
                )
        self.worker = worker
