"""The budget rules of every call to Xero (issue 4 §4): a permit first, given back whatever happens,
a Delay deferred without calling Xero, and a 429 honoured by parking the tenant (FACTS.md §3.1)."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.platform_events import EventType
from shared.domain.rate_limits import Delay, LimitName, Limits, Priority, TenantUsage
from shared.fakes.clock import SettableClock
from shared.fakes.memory_event_bus import MemoryEventBus
from shared.fakes.memory_rate_budget import MemoryRateBudget
from shared.fakes.memory_state import MemoryConnectionRepository
from shared.observability import metrics
from shared.ports.rate_budget import Permit, RateBudget
from shared.ports.xero_accounting import (
    CallsRemaining,
    XeroAccounting,
    XeroAnswer,
    XeroApiError,
    XeroRateLimitedError,
    XeroRequest,
)
from shared.ports.xero_identity import XeroAnswerLostError, XeroUnavailableError
from shared.usecases.rate_budgeted_xero import MustWaitError, RateBudgetedXero
from tests.metric_lines import emitted_metrics

ORG = "org-1"
OTHER_ORG = "org-2"
TOKEN = "access-token"
CONTACTS = XeroRequest("GET", "/Contacts", params={"page": "1"})
ANSWER = XeroAnswer(200, {"Contacts": []}, CallsRemaining(minute=59, day=4999, app_minute=9999))
ORGANISATION: dict[str, Any] = {"OrganisationID": ORG, "Name": "Demo Company (AU)"}


class RecordingBudget(RateBudget):
    """The in-memory budget, writing each take, release and park into the shared journal; `held` are
    the permits given and not yet taken back."""

    def __init__(self, journal: list[str]) -> None:
        self.journal = journal
        self.inner = MemoryRateBudget(Limits())
        self.held: set[str] = set()
        self.failing_release = False
        self.failing_park = False

    def take(self, xero_tenant_id: str, priority: Priority, now: datetime) -> Permit | Delay:
        self.journal.append(f"take {xero_tenant_id} {priority.name}")
        taken = self.inner.take(xero_tenant_id, priority, now)
        if isinstance(taken, Permit):
            self.held.add(taken.lease_id)
        return taken

    def release(self, permit: Permit) -> None:
        self.journal.append(f"release {permit.xero_tenant_id}")
        if self.failing_release:
            raise ConnectionError("DynamoDB is unreachable")
        self.held.discard(permit.lease_id)
        self.inner.release(permit)

    def park(self, xero_tenant_id: str, until: datetime) -> None:
        self.journal.append(f"park {xero_tenant_id}")
        if self.failing_park:
            raise ConnectionError("DynamoDB is unreachable")
        self.inner.park(xero_tenant_id, until)

    def usage(self, xero_tenant_id: str) -> TenantUsage:
        return self.inner.usage(xero_tenant_id)


class ScriptedXero(XeroAccounting):
    """Answers ANSWER (or the organisation), or the next scripted outcome. Each call takes `takes` of
    clock time, and the first runs `meanwhile` while it is in flight."""

    def __init__(self, journal: list[str], clock: SettableClock) -> None:
        self.journal = journal
        self.clock = clock
        self.outcomes: deque[XeroAnswer | Exception] = deque()
        self.takes = timedelta(0)
        self.meanwhile: Callable[[], None] | None = None

    def call(self, access_token: str, xero_tenant_id: str, request: XeroRequest) -> XeroAnswer:
        self.journal.append(f"call {request.method} {request.path}")
        self.clock.advance(self.takes)
        if self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            meanwhile()
        outcome = self.outcomes.popleft() if self.outcomes else ANSWER
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def organisation(self, access_token: str, xero_tenant_id: str) -> dict[str, Any]:
        self.call(access_token, xero_tenant_id, XeroRequest("GET", "/Organisation"))
        return ORGANISATION


class World:
    def __init__(self) -> None:
        self.clock = SettableClock()
        self.journal: list[str] = []
        self.budget = RecordingBudget(self.journal)
        self.xero = ScriptedXero(self.journal, self.clock)
        self.events = MemoryEventBus()
        self.connections = MemoryConnectionRepository()
        self.client = RateBudgetedXero(self.xero, self.budget, self.clock, self.events, self.connections)

    def call(self, priority: Priority = Priority.USER_WRITE, xero_tenant_id: str = ORG) -> XeroAnswer:
        return self.client.call(TOKEN, xero_tenant_id, CONTACTS, priority)

    def refused(self, error: Exception) -> MustWaitError:
        """The MustWaitError raised when Xero answers the next call with `error`."""
        self.xero.outcomes.append(error)
        with pytest.raises(MustWaitError) as waiting:
            self.call()
        return waiting.value

    def connect(self, tenant_id: str, status: ConnectionStatus = ConnectionStatus.CONNECTED) -> None:
        now = self.clock.now()
        self.connections.put(Connection(tenant_id=tenant_id, status=status, xero_tenant_id=ORG, updated_at=now))


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def fresh_metrics() -> Iterator[None]:
    """The shared Metrics object without what earlier tests of this process added."""
    metrics.clear_metrics()
    yield
    metrics.clear_metrics()


def minute_429(retry_after: float = 40) -> XeroRateLimitedError:
    return XeroRateLimitedError(retry_after, "minute", remaining=CallsRemaining(minute=0, day=4000, app_minute=9000))


def day_429(retry_after: float = 5 * 3600) -> XeroRateLimitedError:
    return XeroRateLimitedError(retry_after, "day", remaining=CallsRemaining(minute=55, day=0, app_minute=9000))


def dimension(captured: str, metric: str, name: str) -> list[str]:
    """The values of dimension `name` on the EMF lines that carry `metric`."""
    documents = [json.loads(line) for line in captured.splitlines() if line.startswith("{") and '"_aws"' in line]
    return [document[name] for document in documents if metric in document]


def test_a_permit_is_taken_before_the_call_and_released_after_it(world: World) -> None:
    # When a call is made
    answer = world.call()
    # Then the budget was asked first and given the slot back once Xero had answered
    assert answer == ANSWER
    assert world.journal == [f"take {ORG} USER_WRITE", "call GET /Contacts", f"release {ORG}"]


def test_the_callers_priority_is_what_the_budget_is_asked_for(world: World) -> None:
    # When a backfill makes a call
    world.call(Priority.BACKFILL)
    # Then the budget was asked for a backfill call
    assert world.journal[0] == f"take {ORG} BACKFILL"


def test_the_organisation_is_read_under_the_budget_as_a_users_call(world: World) -> None:
    # When the connection test reads the organisation
    organisation = world.client.organisation(TOKEN, ORG)
    # Then it took a user's permit first and released it after
    assert organisation == ORGANISATION
    assert world.journal == [f"take {ORG} USER_WRITE", "call GET /Organisation", f"release {ORG}"]


def test_a_delay_raises_must_wait_until_the_budget_allows_without_calling_xero(world: World) -> None:
    # Given the tenant used its 60 calls of the minute at T0
    for _ in range(60):
        world.call()
    world.journal.clear()
    world.clock.advance(10)
    # When a 61st call is asked for 10 s later
    with pytest.raises(MustWaitError) as waiting:
        world.call()
    # Then it must wait for the oldest call to leave the window (60 s plus the 1 s margin), and Xero was not called
    assert (waiting.value.until, waiting.value.limit) == (world.clock.now() + timedelta(seconds=51), LimitName.MINUTE)
    assert world.journal == [f"take {ORG} USER_WRITE"]


@pytest.mark.parametrize(
    "error",
    [
        XeroApiError(400, "Invoice # must be unique."),
        XeroUnavailableError("Xero answered 503"),
        XeroAnswerLostError("Xero's answer was lost: ReadTimeout"),
        minute_429(),
    ],
    ids=["4xx", "5xx", "answer-lost", "429"],
)
def test_the_permit_is_released_whatever_xero_answers(world: World, error: Exception) -> None:
    # Given Xero will fail the call
    world.xero.outcomes.append(error)
    # When the call is made
    with pytest.raises(type(error) if not isinstance(error, XeroRateLimitedError) else MustWaitError):
        world.call()
    # Then the permit was given back after the call
    assert world.journal[-1] == f"release {ORG}"
    assert world.budget.held == set()


def test_a_budget_that_cannot_take_the_permit_back_does_not_lose_xeros_answer(world: World) -> None:
    # Given the budget's store fails when the slot is given back
    world.budget.failing_release = True
    # When a call is made, then Xero's answer still comes back (the lease ends the slot by itself)
    assert world.call() == ANSWER


def test_a_minute_429_parks_the_tenant_for_retry_after(world: World) -> None:
    # Given Xero answers 429 for the minute limit with Retry-After 40
    waiting = world.refused(minute_429(retry_after=40))
    # Then the caller must wait 40 s, and the tenant's budget refuses every call until then
    until = world.clock.now() + timedelta(seconds=40)
    assert (waiting.until, waiting.limit) == (until, LimitName.MINUTE)
    assert world.budget.inner.take(ORG, Priority.USER_WRITE, world.clock.now()) == Delay(40.0, LimitName.PARKED)


def test_a_429_still_defers_the_work_when_the_budget_cannot_park_the_tenant(world: World) -> None:
    # Given the budget's store fails when the tenant is parked
    world.budget.failing_park = True
    # When Xero answers 429 for the minute, then the caller is still told to wait out Retry-After
    assert world.refused(minute_429(retry_after=40)).until == world.clock.now() + timedelta(seconds=40)


def test_retry_after_counts_from_when_the_429_arrived(world: World) -> None:
    # Given Xero takes 3 s to answer 429 with Retry-After 40
    world.xero.takes = timedelta(seconds=3)
    asked_at = world.clock.now()
    # When the call is made, then the wait ends 40 s after the answer, not after the question
    assert world.refused(minute_429(retry_after=40)).until == asked_at + timedelta(seconds=43)


def test_a_parked_tenant_waits_without_calling_xero(world: World) -> None:
    # Given a tenant parked by a minute 429
    until = world.refused(minute_429(retry_after=40)).until
    world.journal.clear()
    # When it calls again before Retry-After has passed
    with pytest.raises(MustWaitError) as waiting:
        world.call()
    # Then it waits for the same instant, told it is parked, and Xero was not called
    assert (waiting.value.until, waiting.value.limit) == (until, LimitName.PARKED)
    assert "call GET /Contacts" not in world.journal


def test_a_concurrency_429_without_retry_after_parks_for_a_second(world: World) -> None:
    # When Xero refuses a sixth concurrent call, naming no Retry-After
    waiting = world.refused(XeroRateLimitedError(None, "concurrent"))
    # Then the tenant waits one second, until a slot is likely free
    assert (waiting.until, waiting.limit) == (world.clock.now() + timedelta(seconds=1), LimitName.CONCURRENT)


def test_an_unnamed_429_is_treated_as_the_minute_limit(world: World) -> None:
    # When Xero answers 429 without X-Rate-Limit-Problem or Retry-After
    waiting = world.refused(XeroRateLimitedError(None, ""))
    # Then the tenant waits out a whole minute
    assert (waiting.until, waiting.limit) == (world.clock.now() + timedelta(seconds=60), LimitName.MINUTE)


def test_an_app_minute_429_parks_only_the_tenant_that_met_it(world: World) -> None:
    # Given Xero refused a call for the app's minute limit
    world.refused(XeroRateLimitedError(30, "appminute"))
    # When another organisation calls, then it is still permitted (it parks itself if it meets the 429 too)
    assert world.call(xero_tenant_id=OTHER_ORG) == ANSWER


def test_a_day_429_parks_the_tenant_until_xeros_reset(world: World) -> None:
    # When Xero answers 429 for the day with 5 hours to its reset
    waiting = world.refused(day_429(retry_after=5 * 3600))
    # Then the caller and every later call wait 5 hours
    until = world.clock.now() + timedelta(hours=5)
    assert (waiting.until, waiting.limit) == (until, LimitName.DAY)
    assert world.budget.inner.take(ORG, Priority.USER_WRITE, world.clock.now()) == Delay(5 * 3600.0, LimitName.PARKED)


def test_a_day_429_tells_the_connected_tenant_its_sync_is_paused_until_the_reset(world: World) -> None:
    # Given a platform tenant connected to the organisation
    world.connect("tenant-a")
    # When Xero answers 429 for the day
    until = world.refused(day_429()).until
    # Then one sync.paused event says until when and why
    (event,) = world.events.of_type(EventType.SYNC_PAUSED)
    assert (event.tenant_id, event.data["until"], event.data["xero_tenant_id"]) == ("tenant-a", until.isoformat(), ORG)
    assert "daily limit" in event.data["reason"]


def test_every_connected_tenant_of_the_organisation_is_told_and_no_one_else(world: World) -> None:
    # Given two tenants connected to the organisation and one that disconnected from it
    world.connect("tenant-a")
    world.connect("tenant-b")
    world.connect("tenant-gone", ConnectionStatus.DISCONNECTED)
    # When Xero answers 429 for the day
    world.refused(day_429())
    # Then the two connected tenants are told
    assert sorted(e.tenant_id for e in world.events.of_type(EventType.SYNC_PAUSED)) == ["tenant-a", "tenant-b"]


def test_calls_in_flight_that_all_meet_the_day_limit_announce_the_pause_once(world: World) -> None:
    # Given a connected tenant, and a second call that starts while the first is in flight
    world.connect("tenant-a")

    def second_call() -> None:
        with pytest.raises(MustWaitError):
            world.call()

    world.xero.meanwhile = second_call
    # When Xero refuses both for the day
    world.xero.outcomes.append(day_429())
    world.refused(day_429())
    # Then the platform heard of the pause once
    assert len(world.events.of_type(EventType.SYNC_PAUSED)) == 1


def test_a_pause_after_the_previous_one_ended_is_announced_again(world: World) -> None:
    # Given a pause announced for one hour, which has ended
    world.connect("tenant-a")
    world.refused(day_429(retry_after=3600))
    world.clock.advance(3601)
    # When the day limit is met again
    world.refused(day_429(retry_after=3600))
    # Then the platform is told of the new pause too
    assert len(world.events.of_type(EventType.SYNC_PAUSED)) == 2


def test_a_minute_429_tells_the_platform_nothing(world: World) -> None:
    # Given a connected tenant
    world.connect("tenant-a")
    # When Xero answers 429 for the minute, then no event is published: the wait is seconds
    world.refused(minute_429())
    assert world.events.events == []


@pytest.mark.usefixtures("fresh_metrics")
def test_each_call_made_counts_and_reports_the_calls_xero_says_are_left(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given one call answered and one deferred by a parked budget
    world.call()
    world.budget.inner.park(ORG, world.clock.now() + timedelta(seconds=30))
    with pytest.raises(MustWaitError):
        world.call()
    # When the metrics are flushed
    metrics.flush_metrics()
    # Then one call to Xero is counted, with the minute and day calls Xero said were left
    assert emitted_metrics(capsys.readouterr().out) == {
        "XeroCalls": 1,
        "XeroMinuteRemaining": 59,
        "XeroDayRemaining": 4999,
    }


@pytest.mark.usefixtures("fresh_metrics")
def test_a_429_is_counted_by_the_limit_xero_named(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    # When Xero answers 429 for the day
    world.refused(day_429())
    # Then XeroRateLimited is counted with the problem as its dimension, and no tenant id in sight
    captured = capsys.readouterr().out
    assert dimension(captured, "XeroRateLimited", "problem") == ["day"]
    assert ORG not in captured
