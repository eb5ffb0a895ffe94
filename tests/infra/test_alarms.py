"""The alarms watch what the issue names, on the metrics the code really emits, and notify the topic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from infra.cdk.capabilities.monitoring import NEEDS_REAUTH_MESSAGE, NEEDS_REAUTH_METRIC, RATE_LIMIT_PROBLEMS
from shared.observability import METRICS_NAMESPACE
from shared.usecases.rate_budgeted_xero import PROBLEMS
from tests.infra.conftest import Synthesised

REPO = Path(__file__).resolve().parents[2]


def _alarms(synthesised: Synthesised) -> dict[str, dict[str, Any]]:
    return {
        a["Properties"]["AlarmName"]: a["Properties"] for a in synthesised.of_type("AWS::CloudWatch::Alarm").values()
    }


def _metric_names(alarm: dict[str, Any]) -> set[str]:
    if "MetricName" in alarm:
        return {alarm["MetricName"]}
    return {m["MetricStat"]["Metric"]["MetricName"] for m in alarm.get("Metrics", []) if "MetricStat" in m}


def test_the_dead_letter_queue_alarms_on_its_first_message(dev: Synthesised) -> None:
    alarm = _alarms(dev)["xero-sync-dev-work-dead-letters"]

    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Threshold"] == 1
    [dimension] = alarm["Dimensions"]
    [dlq] = [q for q, r in dev.of_type("AWS::SQS::Queue").items() if r["Properties"]["QueueName"].endswith("dlq.fifo")]
    assert dimension["Value"] == {"Fn::GetAtt": [dlq, "QueueName"]}


def test_the_age_of_the_oldest_work_message_is_watched(dev: Synthesised) -> None:
    assert _alarms(dev)["xero-sync-dev-work-oldest-message"]["MetricName"] == "ApproximateAgeOfOldestMessage"


def test_every_function_alarms_on_errors_and_throttles(dev: Synthesised) -> None:
    alarms = _alarms(dev)
    for function in ("api", "oauth-callback", "webhook", "scheduled-sync", "sync-worker"):
        assert alarms[f"xero-sync-dev-{function}-errors"]["MetricName"] == "Errors"
        assert alarms[f"xero-sync-dev-{function}-throttles"]["MetricName"] == "Throttles"


def test_xeros_429s_are_summed_over_every_problem_the_code_counts(dev: Synthesised) -> None:
    alarm = _alarms(dev)["xero-sync-dev-xero-429"]
    problems = {
        d["Value"]
        for m in alarm["Metrics"]
        if "MetricStat" in m
        for d in m["MetricStat"]["Metric"]["Dimensions"]
        if d["Name"] == "problem"
    }

    assert _metric_names(alarm) == {"XeroRateLimited"}
    assert problems == set(PROBLEMS) | {"unknown"} == set(RATE_LIMIT_PROBLEMS)
    assert {m["MetricStat"]["Metric"]["Namespace"] for m in alarm["Metrics"] if "MetricStat" in m} == {
        METRICS_NAMESPACE
    }


def test_a_tenant_running_out_of_xeros_daily_calls_alarms(dev: Synthesised) -> None:
    alarm = _alarms(dev)["xero-sync-dev-xero-day-remaining"]

    assert alarm["MetricName"] == "XeroDayRemaining"
    assert alarm["Namespace"] == METRICS_NAMESPACE
    assert alarm["ComparisonOperator"] == "LessThanOrEqualToThreshold"


def test_connections_needing_reauthorisation_are_counted_from_the_custodians_log_line(dev: Synthesised) -> None:
    filters = [f["Properties"] for f in dev.of_type("AWS::Logs::MetricFilter").values()]
    custodian = (REPO / "shared" / "usecases" / "token_custody.py").read_text()

    assert f'"{NEEDS_REAUTH_MESSAGE}"' in custodian, "the metric filter no longer matches the custodian's log line"
    assert len(filters) == 5
    for metric_filter in filters:
        assert NEEDS_REAUTH_MESSAGE in metric_filter["FilterPattern"]
        assert metric_filter["MetricTransformations"][0]["MetricName"] == NEEDS_REAUTH_METRIC
    assert _alarms(dev)["xero-sync-dev-needs-reauth"]["MetricName"] == NEEDS_REAUTH_METRIC


def test_every_metric_alarmed_or_charted_from_the_code_is_one_the_code_emits(dev: Synthesised) -> None:
    code = "\n".join(p.read_text() for p in [*REPO.glob("shared/**/*.py"), *REPO.glob("functions/**/*.py")])
    emitted = set(re.findall(r'name="(\w+)"', code))
    [dashboard] = dev.of_type("AWS::CloudWatch::Dashboard").values()
    body = "".join(part for part in dashboard["Properties"]["DashboardBody"]["Fn::Join"][1] if isinstance(part, str))
    charted = set(re.findall(rf'\["{METRICS_NAMESPACE}","(\w+)"', body))
    alarmed = {
        name
        for alarm in _alarms(dev).values()
        for name in _metric_names(alarm)
        if alarm.get("Namespace") == METRICS_NAMESPACE or "Metrics" in alarm
    }

    assert charted, "the dashboard charts none of the code's metrics"
    assert (charted | alarmed) - {NEEDS_REAUTH_METRIC} <= emitted


def test_every_alarm_notifies_the_alarm_topic(dev: Synthesised) -> None:
    [topic] = dev.of_type("AWS::SNS::Topic")
    for name, alarm in _alarms(dev).items():
        assert alarm["AlarmActions"] == [{"Ref": topic}], name
        assert alarm["TreatMissingData"] == "notBreaching", name
