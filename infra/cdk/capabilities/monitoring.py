"""Alarms and a dashboard: the work queue's dead letters and backlog, each function's errors and
throttles, Xero's 429s and the calls left in a tenant's day, connections needing re-authorisation,
and the API's 5xx answers. Alarms go to an SNS topic (emailed when `alarmEmail` is given).

Xero's figures are the metrics the code emits (Powertools EMF, namespace XeroSync, dimension
service): XeroRateLimited (one per 429, by `problem`), XeroDayRemaining and XeroMinuteRemaining.
Connections needing re-authorisation are counted from the token custodian's log line, the one place
every path that decides it passes through (shared/usecases/token_custody.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.cdk import nag
from infra.cdk.capabilities.service_function import ServiceFunction
from infra.cdk.stage import StageConfig
from shared.observability import METRICS_NAMESPACE, SERVICE
from shared.resources import ResourceNames

# shared/usecases/rate_budgeted_xero.py: PROBLEMS and "unknown".
RATE_LIMIT_PROBLEMS = ("minute", "day", "appminute", "concurrent", "unknown")
# shared/usecases/token_custody.py logs this once per connection it moves to NEEDS_REAUTH.
NEEDS_REAUTH_MESSAGE = "Connection needs reauthorisation"
NEEDS_REAUTH_METRIC = "ConnectionsNeedingReauth"
# The budget keeps backfill under 4,000 of a tenant's 5,000 daily calls: below this, users' writes are at risk.
DAY_REMAINING_THRESHOLD = 500
# A nudge waits for its tenant's previous batch; ten minutes of waiting means the worker is stuck or starved.
OLDEST_MESSAGE_SECONDS = 600
# One tenant revoking access is business as usual; several in an hour point at the app (a rotated client secret).
NEEDS_REAUTH_PER_HOUR = 5
FIVE_MINUTES = Duration.minutes(5)


class Monitoring(Construct):
    """`topic` (alarm notifications), `alarms` by name, and `dashboard`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: ResourceNames,
        config: StageConfig,
        functions: Mapping[str, ServiceFunction],
        queue: sqs.IQueue,
        dead_letter_queue: sqs.IQueue,
        api: apigwv2.HttpApi,
    ) -> None:
        super().__init__(scope, construct_id)
        self._prefix = names.prefix
        key = kms.Key(
            self,
            "TopicKey",
            alias=f"alias/{names.prefix}-alarms",
            description=f"{names.prefix}: the alarm topic",
            enable_key_rotation=True,
            pending_window=config.key_pending_window,
            removal_policy=config.removal_policy,
        )
        # CloudWatch publishes to an encrypted topic only if the key lets it.
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=["*"],
            )
        )
        self.topic = sns.Topic(self, "Topic", topic_name=f"{names.prefix}-alarms", master_key=key, enforce_ssl=True)
        if config.alarm_email:
            subscription = self.topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
            nag.acknowledge(
                subscription,
                "Serverless-SNSRedrivePolicy",
                "an alarm email that cannot be delivered has nothing to redrive: the alarm itself stays in ALARM, "
                "on the dashboard and in the console, until what it watches recovers",
            )
        self.alarms: dict[str, cloudwatch.Alarm] = {}

        dead_letters = dead_letter_queue.metric_approximate_number_of_messages_visible(
            period=FIVE_MINUTES, statistic="Maximum"
        )
        self._alarm("work-dead-letters", dead_letters, threshold=1, description="messages the sync worker gave up on")
        oldest = queue.metric_approximate_age_of_oldest_message(period=FIVE_MINUTES, statistic="Maximum")
        self._alarm(
            "work-oldest-message",
            oldest,
            threshold=OLDEST_MESSAGE_SECONDS,
            description="the work queue is not being drained",
            periods=2,
        )
        for name, function in functions.items():
            short = name.replace("_", "-")
            errors = function.function.metric_errors(period=FIVE_MINUTES, statistic="Sum")
            self._alarm(f"{short}-errors", errors, threshold=1, description=f"{name} failed an invocation")
            throttles = function.function.metric_throttles(period=FIVE_MINUTES, statistic="Sum")
            self._alarm(f"{short}-throttles", throttles, threshold=1, description=f"{name} was throttled")
        rate_limited = cloudwatch.MathExpression(
            expression="+".join(f"FILL(p{index}, 0)" for index in range(len(RATE_LIMIT_PROBLEMS))),
            using_metrics={f"p{index}": _rate_limited(problem) for index, problem in enumerate(RATE_LIMIT_PROBLEMS)},
            label="Xero 429s",
            period=FIVE_MINUTES,
        )
        self._alarm(
            "xero-429", rate_limited, threshold=1, description="Xero answered 429 although the rate budget allowed it"
        )
        day_remaining = _service_metric("XeroDayRemaining", "Minimum", Duration.minutes(15))
        self._alarm(
            "xero-day-remaining",
            day_remaining,
            threshold=DAY_REMAINING_THRESHOLD,
            description="a tenant is close to Xero's 5,000 calls a day",
            comparison=cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
        )
        for name, function in functions.items():
            logs.MetricFilter(
                self,
                f"NeedsReauth{name.title().replace('_', '')}",
                log_group=function.log_group,
                filter_pattern=logs.FilterPattern.string_value("$.message", "=", NEEDS_REAUTH_MESSAGE),
                metric_namespace=METRICS_NAMESPACE,
                metric_name=NEEDS_REAUTH_METRIC,
                metric_value="1",
            )
        needs_reauth = cloudwatch.Metric(
            namespace=METRICS_NAMESPACE, metric_name=NEEDS_REAUTH_METRIC, statistic="Sum", period=Duration.hours(1)
        )
        self._alarm(
            "needs-reauth",
            needs_reauth,
            threshold=NEEDS_REAUTH_PER_HOUR,
            description="several connections need re-authorisation: is the Xero app's client secret current?",
        )
        server_errors = api.metric_server_error(period=FIVE_MINUTES, statistic="Sum")
        self._alarm("api-5xx", server_errors, threshold=5, description="the API answered 5xx")
        self.dashboard = self._dashboard(
            functions, queues=(queue, dead_letter_queue), api=api, rate_limited=rate_limited, needs_reauth=needs_reauth
        )

    def _alarm(
        self,
        name: str,
        metric: cloudwatch.IMetric,
        *,
        threshold: float,
        description: str,
        periods: int = 1,
        comparison: cloudwatch.ComparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    ) -> None:
        alarm = cloudwatch.Alarm(
            self,
            "".join(part.title() for part in name.split("-")) + "Alarm",
            alarm_name=f"{self._prefix}-{name}",
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=comparison,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms[name] = alarm

    def _dashboard(
        self,
        functions: Mapping[str, ServiceFunction],
        *,
        queues: tuple[sqs.IQueue, sqs.IQueue],
        api: apigwv2.HttpApi,
        rate_limited: cloudwatch.IMetric,
        needs_reauth: cloudwatch.IMetric,
    ) -> cloudwatch.Dashboard:
        queue, dead_letter_queue = queues
        dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=self._prefix)
        each = list(functions.values())
        dashboard.add_widgets(
            _graph("API requests", [api.metric_count(period=FIVE_MINUTES)]),
            _graph("API 4xx and 5xx", [api.metric_client_error(period=FIVE_MINUTES), api.metric_server_error()]),
            _graph("API latency p99", [api.metric_latency(statistic="p99", period=FIVE_MINUTES)]),
        )
        dashboard.add_widgets(
            _graph("Errors", [f.function.metric_errors(period=FIVE_MINUTES, statistic="Sum") for f in each]),
            _graph("Throttles", [f.function.metric_throttles(period=FIVE_MINUTES, statistic="Sum") for f in each]),
            _graph("Duration p99", [f.function.metric_duration(statistic="p99", period=FIVE_MINUTES) for f in each]),
        )
        dashboard.add_widgets(
            _graph(
                "Work queue",
                [
                    queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES),
                    queue.metric_approximate_age_of_oldest_message(period=FIVE_MINUTES),
                ],
            ),
            _graph("Dead letters", [dead_letter_queue.metric_approximate_number_of_messages_visible()]),
            _graph("Connections needing re-authorisation", [needs_reauth]),
        )
        dashboard.add_widgets(
            _graph("Xero calls and 429s", [_service_metric("XeroCalls", "Sum", FIVE_MINUTES), rate_limited]),
            _graph(
                "Xero calls remaining (lowest)",
                [
                    _service_metric("XeroMinuteRemaining", "Minimum", FIVE_MINUTES),
                    _service_metric("XeroDayRemaining", "Minimum", FIVE_MINUTES),
                ],
            ),
            _graph("Pushes", [_service_metric("XeroCallsPerPush", "Average", FIVE_MINUTES)]),
        )
        return dashboard


def _service_metric(name: str, statistic: str, period: Duration) -> cloudwatch.Metric:
    """A metric the code emits through Powertools (shared/observability.py)."""
    return cloudwatch.Metric(
        namespace=METRICS_NAMESPACE,
        metric_name=name,
        dimensions_map={"service": SERVICE},
        statistic=statistic,
        period=period,
    )


def _rate_limited(problem: str) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace=METRICS_NAMESPACE,
        metric_name="XeroRateLimited",
        dimensions_map={"service": SERVICE, "problem": problem},
        statistic="Sum",
        period=FIVE_MINUTES,
    )


def _graph(title: str, metrics: list[cloudwatch.IMetric]) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(title=title, left=metrics, width=8)
