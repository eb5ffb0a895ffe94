"""The schedules: two EventBridge rules fire scheduled_sync, which runs the job its rule names
(functions/scheduled_sync/handler.py), as the local schedulers do (local_stack/scheduler.py):
`<prefix>-sync-due` every minute (nudging the tenants whose deferred work is due) and
`<prefix>-keep-alive` once a day (refreshing idle connections; its table Scan must not run every
minute).

A run that fails is not retried (a delivery that fails is, within the period): the next run does
the same work, and the function's error alarm says it failed.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from constructs import Construct

from infra.cdk import nag
from infra.cdk.capabilities.service_function import FunctionRuntime, FunctionSpec, ServiceFunction
from shared.resources import ResourceNames

EVERY_MINUTE = Duration.minutes(1)
DAILY = Duration.days(1)
SUPERSEDED = "a scheduled run that failed is superseded by the rule's next run, which does the same work"

SCHEDULED_SYNC = FunctionSpec(
    name="scheduled_sync",
    description="xero-sync: nudges tenants whose sync is due (every minute); keeps idle connections alive (daily)",
    memory_mb=512,
    # Keep-alive refreshes one connection after another; overlapping runs are safe (refresh leases).
    timeout=Duration.minutes(3),
    failures_kept_by=SUPERSEDED + "; failures raise the function's error alarm",
)


class Schedules(Construct):
    """`scheduled_sync` and the two rules that fire it: `sync_due` and `keep_alive`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: ResourceNames,
        runtime: FunctionRuntime,
    ) -> None:
        super().__init__(scope, construct_id)
        self.scheduled_sync = ServiceFunction(self, "ScheduledSync", spec=SCHEDULED_SYNC, runtime=runtime)
        self.scheduled_sync.function.configure_async_invoke(retry_attempts=0, max_event_age=EVERY_MINUTE)
        nag.acknowledge(
            self.scheduled_sync.function.node.find_child("EventInvokeConfig"),
            "Serverless-LambdaAsyncFailureDestination",
            SUPERSEDED + "; its scheduled event carries nothing to keep",
        )
        self.sync_due = self._rule("SyncDue", names.sync_due_schedule, EVERY_MINUTE, "nudges due tenants")
        self.keep_alive = self._rule("KeepAlive", names.keep_alive_schedule, DAILY, "keeps idle connections alive")

    def _rule(self, construct_id: str, name: str, every: Duration, job: str) -> events.Rule:
        rule = events.Rule(
            self,
            construct_id,
            rule_name=name,
            description=f"xero-sync: fires scheduled_sync, which {job}",
            schedule=events.Schedule.rate(every),
        )
        rule.add_target(targets.LambdaFunction(self.scheduled_sync.function, retry_attempts=2, max_event_age=every))
        nag.acknowledge(rule, "Serverless-EventBusDLQ", SUPERSEDED)
        return rule
