"""Every call to Xero through one rate budget (issue 4 §4): a permit is taken before the call is
made, not discovered by a 429 (shared/ports/rate_budget.py, FACTS.md §3.1).

Nothing here sleeps. When the budget says "not now", or Xero answers 429 anyway, the call raises
MustWaitError with the instant to try again, and the caller defers the work (a Lambda extends its
message's visibility rather than waiting). A 429 that still happens parks the tenant's budget, so
every Lambda of every function holds back until Xero's window has reset:
- minute and concurrent: for Retry-After (1 s for a concurrency 429 without one);
- day: for Retry-After, which Xero sets to the seconds until the day's reset (hours, FACTS.md §6.6),
  and the platform is told once, with a sync.paused event to each tenant connected to that
  organisation;
- appminute: the app's limit, across every tenant. Only this tenant is parked, for Retry-After:
  the port parks tenants, and every other tenant that meets the same 429 parks itself, each at
  the cost of one refused call. The app budget keeps this from happening unless something else
  spends the app's calls (another deployment sharing the Xero app's client id).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from shared.domain.connections import ConnectionStatus
from shared.domain.platform_events import EventType, PlatformEvent
from shared.domain.rate_limits import Delay, LimitName, Priority
from shared.observability import METRICS_NAMESPACE, SERVICE, logger, metrics
from shared.ports.xero_accounting import CallsRemaining, XeroAnswer, XeroRateLimitedError
from shared.ports.xero_identity import XeroUnavailableError

if TYPE_CHECKING:
    from shared.clock import Clock
    from shared.ports.event_bus import EventBus
    from shared.ports.rate_budget import Permit, RateBudget
    from shared.ports.state import ConnectionRepository
    from shared.ports.xero_accounting import XeroAccounting, XeroRequest

# X-Rate-Limit-Problem values (FACTS.md §3.1; the concurrent and app-minute ones are the simulator's
# names, Xero's were not found). An unnamed or unknown problem is treated as the minute limit.
PROBLEMS: dict[str, LimitName] = {
    "minute": LimitName.MINUTE,
    "day": LimitName.DAY,
    "appminute": LimitName.APP_MINUTE,
    "concurrent": LimitName.CONCURRENT,
}
# How long to park when a 429 carries no Retry-After (Xero sends one for the minute and day limits).
# A concurrency slot frees when a call ends; a minute window resets within 60 s; a day window's
# reset is unknown, and an hour costs one refused call an hour where a whole day could waste most of one.
WAIT_WITHOUT_RETRY_AFTER: dict[LimitName, timedelta] = {
    LimitName.CONCURRENT: timedelta(seconds=1),
    LimitName.MINUTE: timedelta(seconds=60),
    LimitName.APP_MINUTE: timedelta(seconds=60),
    LimitName.DAY: timedelta(hours=1),
}
DAILY_LIMIT_REASON = (
    "Xero's daily limit of API calls for this organisation is spent. Nothing is sent to Xero until it "
    "resets; changes made meanwhile are kept and sent then."
)


class MustWaitError(XeroUnavailableError):
    """Not now: the call was not made (or Xero refused it with a 429); do the work again at `until`.

    `limit` says why: one of Xero's limits, PARKED (an earlier 429 parked the tenant) or CONTENDED
    (many Lambdas raced for the budget; `until` is now). A XeroUnavailableError, so a caller that only
    knows "try later" does the right thing."""

    def __init__(self, until: datetime, limit: LimitName) -> None:
        super().__init__(f"no call to Xero until {until.isoformat()} ({limit.value})")
        self.until = until
        self.limit = limit


class RateBudgetedXero:
    """The XeroAccounting port behind the rate budget: what every path calls Xero through.

    `connections` (optional, with `events`) finds the platform tenants to tell when an organisation's
    daily limit is spent; several tenants may connect the same organisation."""

    def __init__(
        self,
        accounting: XeroAccounting,
        budget: RateBudget,
        clock: Clock,
        events: EventBus | None = None,
        connections: ConnectionRepository | None = None,
    ) -> None:
        self._accounting = accounting
        self._budget = budget
        self._clock = clock
        self._events = events
        self._connections = connections
        self._lock = threading.Lock()
        self._announced_until: dict[str, datetime] = {}

    @property
    def budget(self) -> RateBudget:
        """The budget every call takes from (read by a backfill's progress: what is left of the day)."""
        return self._budget

    def call(self, access_token: str, xero_tenant_id: str, request: XeroRequest, priority: Priority) -> XeroAnswer:
        """Make `request` once the budget permits a call of `priority`; Xero's answer, its errors
        (shared/ports/xero_accounting.py), or MustWaitError without calling Xero."""
        answer = self._budgeted(
            xero_tenant_id, priority, lambda: self._accounting.call(access_token, xero_tenant_id, request)
        )
        _count_remaining(answer.remaining)
        return answer

    def organisation(
        self, access_token: str, xero_tenant_id: str, priority: Priority = Priority.USER_WRITE
    ) -> dict[str, Any]:
        """GET /Organisation under the budget (a user's connection test by default)."""
        return self._budgeted(
            xero_tenant_id, priority, lambda: self._accounting.organisation(access_token, xero_tenant_id)
        )

    def _budgeted[T](self, xero_tenant_id: str, priority: Priority, make_call: Callable[[], T]) -> T:
        now = self._clock.now()
        taken = self._budget.take(xero_tenant_id, priority, now)
        if isinstance(taken, Delay):
            raise MustWaitError(now + timedelta(seconds=taken.seconds), taken.reason)
        metrics.add_metric(name="XeroCalls", unit=MetricUnit.Count, value=1)
        try:
            return make_call()
        except XeroRateLimitedError as limited:
            raise self._honour(xero_tenant_id, limited) from limited
        finally:
            self._release(taken)

    def _honour(self, xero_tenant_id: str, limited: XeroRateLimitedError) -> MustWaitError:
        """Park the tenant until Xero's window resets, and say until when."""
        limit = PROBLEMS.get(limited.problem, LimitName.MINUTE)
        wait = (
            timedelta(seconds=limited.retry_after_seconds)
            if limited.retry_after_seconds is not None
            else WAIT_WITHOUT_RETRY_AFTER[limit]
        )
        now = self._clock.now()
        until = now + wait
        try:
            self._budget.park(xero_tenant_id, until)
        except Exception:
            # This work waits either way; the next call meets the 429 again and parks the tenant then.
            logger.exception("the rate budget could not park the tenant")
        _count_remaining(limited.remaining)
        # Problem values are few (PROBLEMS); anything else is counted as "unknown", never as free text.
        problem = limited.problem if limited.problem in PROBLEMS else "unknown"
        _count_rate_limited(problem)
        logger.warning(
            "Xero answered 429 despite the budget; the tenant is parked",
            extra={"xero_tenant_id": xero_tenant_id, "problem": problem, "until": until.isoformat()},
        )
        if limit is LimitName.DAY:
            try:
                self._announce_pause(xero_tenant_id, until, now)
            except Exception:
                # The tenant is parked either way; the caller must still learn to wait.
                logger.exception("the sync.paused event could not be published")
        return MustWaitError(until, limit)

    def _announce_pause(self, xero_tenant_id: str, until: datetime, now: datetime) -> None:
        """Tell each tenant connected to the organisation that its sync is paused, once per pause
        in this process (calls in flight when the limit ran out each meet the 429; events are at
        least once anyway, docs/events.md)."""
        if self._events is None or self._connections is None:
            return
        with self._lock:
            announced = self._announced_until.get(xero_tenant_id)
            if announced is not None and announced > now:
                return
            self._announced_until[xero_tenant_id] = until
        data = {"until": until.isoformat(), "reason": DAILY_LIMIT_REASON, "xero_tenant_id": xero_tenant_id}
        for connection in self._connections.find_by_xero_tenant(xero_tenant_id):
            if connection.status is ConnectionStatus.CONNECTED:
                self._events.publish(
                    PlatformEvent(
                        type=EventType.SYNC_PAUSED, tenant_id=connection.tenant_id, occurred_at=now, data=data
                    )
                )

    def _release(self, permit: Permit) -> None:
        try:
            self._budget.release(permit)
        except Exception:
            # The slot frees by itself when the permit's lease ends (at permit.expires_at); raising
            # here would lose Xero's answer to a call that has already been made.
            logger.exception("the rate budget did not take back a permit; its lease will end it")


def _count_rate_limited(problem: str) -> None:
    """One 429, by the limit Xero named: a dimension of its own, so single_metric rather than the
    shared Metrics object, whose dimensions every other metric of the invocation carries."""
    with single_metric(
        name="XeroRateLimited",
        unit=MetricUnit.Count,
        value=1,
        namespace=METRICS_NAMESPACE,
        default_dimensions={"service": SERVICE},
    ) as metric:
        metric.add_dimension(name="problem", value=problem)


def _count_remaining(remaining: CallsRemaining) -> None:
    """The calls left in the tenant's minute and day, as Xero counts them (the lowest matters)."""
    if remaining.minute is not None:
        metrics.add_metric(name="XeroMinuteRemaining", unit=MetricUnit.Count, value=remaining.minute)
    if remaining.day is not None:
        metrics.add_metric(name="XeroDayRemaining", unit=MetricUnit.Count, value=remaining.day)
