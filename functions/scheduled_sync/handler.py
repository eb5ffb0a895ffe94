"""The scheduled function: EventBridge's rules fire it, and it runs the job its rule names.

Two rules (shared/resources.py): keep-alive once a day (shared/usecases/keep_alive.py: it scans
the table for idle connections, too costly to run every minute) with the reconciliation states
connected tenants lack (shared/usecases/reconcile_missing.py) and, every minute, nudging the
tenants whose deferred push is due (shared/usecases/sync_due.py) and enqueuing the reconciliations
from Xero that are due (shared/usecases/reconcile_due.py). The job's counts become metrics and the
function's result, keyed by job.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent

from functions.scheduled_sync.dependencies import ScheduledSyncDependencies, production_dependencies
from shared.observability import logger, metrics, tracer
from shared.resources import KEEP_ALIVE_SUFFIX, SYNC_DUE_SUFFIX

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

# The every-minute jobs stop starting work at the earlier of RUN_FOR (the next run starts a minute after
# this one) and DEADLINE_MARGIN before Lambda's timeout (what a chunk in progress needs to finish; a quarter
# of the time left at most, for short local timeouts).
RUN_FOR = timedelta(seconds=50)
DEADLINE_MARGIN = timedelta(seconds=20)

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
    rules = [arn.rsplit("/", 1)[-1] for arn in scheduled.resources]
    logger.info("Scheduled run", extra={"rule": rules, "scheduled_at": scheduled.time})
    jobs = deps or production_dependencies()
    result: dict[str, Any] = {}
    if any(rule.endswith(KEEP_ALIVE_SUFFIX) for rule in rules):
        kept_alive = jobs.keep_alive.run()
        for count, metric in KEEP_ALIVE_METRICS.items():
            metrics.add_metric(name=metric, unit=MetricUnit.Count, value=getattr(kept_alive, count))
        result["keep_alive"] = kept_alive.model_dump()
        if jobs.reconcile_missing is not None:
            created = jobs.reconcile_missing.run()
            metrics.add_metric(name="ReconcileStatesCreated", unit=MetricUnit.Count, value=created)
            result["reconcile_missing"] = created
    if any(rule.endswith(SYNC_DUE_SUFFIX) for rule in rules):
        remaining = timedelta(milliseconds=context.get_remaining_time_in_millis())
        deadline = jobs.sync_due.clock.now() + min(RUN_FOR, remaining - min(DEADLINE_MARGIN, remaining / 4))
        due = jobs.sync_due.run(deadline)
        metrics.add_metric(name="SyncDueEnqueued", unit=MetricUnit.Count, value=due)
        result["sync_due"] = due
        if jobs.reconcile_due is not None:
            reconciling = jobs.reconcile_due.run(deadline)
            metrics.add_metric(name="ReconciliationsEnqueued", unit=MetricUnit.Count, value=reconciling)
            result["reconcile_due"] = reconciling
    if not result:
        # A rule this function has no job for: an operator's mistake to see, not a retry to make.
        logger.error("No job for this rule; nothing ran", extra={"rule": rules})
    return result
