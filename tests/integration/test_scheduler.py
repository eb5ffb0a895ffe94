"""The local scheduler fires EventBridge's scheduled events at the scheduled function, as moto never does."""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel

from local_stack.events import rule_arn
from local_stack.scheduler import Scheduler

RULE = rule_arn("xero-sync-local-scheduled-sync")


class Recorder:
    def __init__(self, fail: bool = False) -> None:
        self.events: list[dict[str, Any]] = []
        self.contexts: list[Any] = []
        self._fail = fail

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        self.events.append(event)
        self.contexts.append(context)
        if self._fail:
            raise RuntimeError("the scheduled run failed")


def test_schedule_fires_once_per_period_starting_one_period_after_start() -> None:
    # Given a schedule every 0.1 s that notes when it fires
    fired_at: list[float] = []
    scheduler = Scheduler(
        RULE,
        lambda event, context: fired_at.append(time.monotonic()),
        function_name="scheduled-sync",
        period_seconds=0.1,
    )

    # When it runs for a little over three periods
    started = time.monotonic()
    scheduler.start()
    time.sleep(0.35)
    scheduler.stop()

    # Then it fired repeatedly, never sooner than a period apart, the first one period after start
    assert len(fired_at) >= 2
    gaps = [later - earlier for earlier, later in zip([started, *fired_at], fired_at, strict=False)]
    assert min(gaps) >= 0.095


def test_scheduled_event_has_eventbridges_shape_and_names_the_rule() -> None:
    # Given a schedule
    function = Recorder()
    scheduler = Scheduler(RULE, function, function_name="scheduled-sync", period_seconds=60)

    # When it fires
    scheduler.fire()

    # Then Powertools parses the event as EventBridge's scheduled event of the rule
    event = EventBridgeModel.model_validate(function.events[0])
    assert event.detail_type == "Scheduled Event"
    assert event.source == "aws.events"
    assert event.resources == [RULE]
    assert function.contexts[0].function_name == "scheduled-sync"


def test_stopped_schedule_fires_no_more() -> None:
    # Given a schedule that was stopped
    function = Recorder()
    scheduler = Scheduler(RULE, function, function_name="scheduled-sync", period_seconds=0.05)
    scheduler.start()
    time.sleep(0.12)
    scheduler.stop()
    fired = len(function.events)

    # When more periods pass
    time.sleep(0.15)

    # Then nothing else fired
    assert fired >= 1
    assert len(function.events) == fired


def test_failed_run_does_not_stop_the_schedule() -> None:
    # Given a function that fails every run
    function = Recorder(fail=True)
    scheduler = Scheduler(RULE, function, function_name="scheduled-sync", period_seconds=0.05)

    # When the schedule runs for several periods
    scheduler.start()
    time.sleep(0.18)
    scheduler.stop()

    # Then it kept firing and counted the failures
    assert len(function.events) >= 2
    assert scheduler.failed == len(function.events)
