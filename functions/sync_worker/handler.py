"""The sync worker: the work queue's consumer (SQS FIFO, ReportBatchItemFailures).

Each batch holds messages of one or more tenants; each tenant gets one push (shared/usecases/
sync_work.py). The answer names the messages to deliver again; the rest are done.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.data_classes import SQSEvent

from functions.sync_worker.dependencies import SyncWorkerDependencies, production_dependencies
from shared.observability import logger, metrics, tracer
from shared.usecases.sync_work import QueuedMessage

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Stop starting calls this long before Lambda's timeout (a quarter of it at most, for short timeouts):
# a batch of 50 and its ledger writes fit in it.
DEADLINE_MARGIN = timedelta(seconds=60)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: SyncWorkerDependencies | None = None
) -> dict[str, Any]:
    work = (deps or production_dependencies()).work
    messages = [
        QueuedMessage(record.message_id, record.attributes.message_group_id or "", record.body)
        for record in SQSEvent(event).records
    ]
    remaining = timedelta(milliseconds=context.get_remaining_time_in_millis())
    deadline = work.clock.now() + remaining - min(DEADLINE_MARGIN, remaining / 4)
    failed = work.handle(messages, deadline)
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in sorted(failed)]}
