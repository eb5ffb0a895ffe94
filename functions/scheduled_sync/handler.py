"""The scheduled function: EventBridge's schedule fires it, and it runs each scheduled job in turn.

The jobs: keep-alive (shared/usecases/keep_alive.py) and nudging the tenants whose deferred push
is due (shared/usecases/sync_due.py); reconciliation joins them with the sync from Xero. Each
job's counts become metrics and the function's result, keyed by job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent

from functions.scheduled_sync.dependencies import ScheduledSyncDependencies, production_dependencies
from shared.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Metric name of each keep-alive count.
KEEP_ALIVE_METRICS = {
    "refreshed": "KeepAliveRefreshed",
    "skipped": "KeepAliveSkipped",
    "needs_reauth": "KeepAliveNeedsReauth",
    "failed": "KeepAliveFailed",
}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE, clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: ScheduledSyncDependencies | None = None
) -> dict[str, Any]:
    scheduled = EventBridgeEvent(event)
    logger.info("Scheduled run", extra={"rule": scheduled.resources, "scheduled_at": scheduled.time})
    jobs = deps or production_dependencies()
    kept_alive = jobs.keep_alive.run()
    for count, metric in KEEP_ALIVE_METRICS.items():
        metrics.add_metric(name=metric, unit=MetricUnit.Count, value=getattr(kept_alive, count))
    due = jobs.sync_due.run()
    metrics.add_metric(name="SyncDueEnqueued", unit=MetricUnit.Count, value=due)
    return {"keep_alive": kept_alive.model_dump(), "sync_due": due}
