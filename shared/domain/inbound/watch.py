"""Watching the chart of accounts while a tenant works in Xero (issue 5, Done means: an archived
account reaches the platform within 5 seconds).

Xero sends no webhook for accounts, tax rates or tracking categories (FACTS.md §2.4), so the only
way to hear of an archived account within seconds is to ask. Asking every few seconds for every
tenant all day would spend Xero's daily limit (5,000 calls) in under three hours, so xero-sync asks
only while the tenant is at work in Xero, which its webhooks show: a change notice starts a watch,
and each later one lengthens it, to WATCH_FOR after the last. Only notices of changes made in Xero count:
the echoes of xero-sync's own writes (a bulk push makes thousands) tell the platform nothing and begin
nothing. While it lasts, GET /Accounts with If-Modified-Since (Accounts is the one kind of reference
data that takes it, FACTS.md §4.3) is asked every WATCH_EVERY: an empty answer most times. The calls go
through the rate budget at the lowest priority, behind all other work; and a tenant's watch stops for
the day after CALLS_A_DAY calls. Tax rates and tracking categories stay with reconciliation (daily, and on a
trigger): neither takes If-Modified-Since, so each look would read them whole.

A watch is one chain of delayed messages (a tick re-sends itself WATCH_EVERY later), named by a
token kept in the watch; a tick of another chain (two workers started one at once, or SQS delivered
a tick twice) ends there, so one chain lives. A chain whose tick was lost (a worker crash) is
taken for dead once TICK_LOST has passed since its last tick, and the next notice starts another.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.domain.rate_limits import Priority

# Under 5 s from the edit to the change feed, which is served 2 s after a change (changes.SETTLE):
# a tick every 2 s hears the change 0-2 s after it, and the feed serves it 2 s later.
WATCH_EVERY = timedelta(seconds=2)
WATCH_FOR = timedelta(minutes=1)  # after the last change notice: 30 looks
CALLS_A_DAY = 600  # an eighth of Xero's daily 5,000: twenty minutes of watching
# The lowest: a look never delays a user's write, a webhook's fetch or a reconciliation, and shares with a
# bulk push or a backfill.
WATCH_PRIORITY = Priority.BACKFILL
TICK_LOST = timedelta(seconds=30)  # a chain not heard of for this long is dead
# If-Modified-Since is accurate to the second (FACTS.md §4.3): ask from a little before the last look,
# so that a change in the same second is not missed; what is read twice is no change.
OVERLAP = timedelta(seconds=2)


class WatchTick(BaseModel):
    """The delayed message of one look."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["xero.watch"] = "xero.watch"
    tenant_id: str
    chain: str


class Watch(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant_id: str
    until: datetime  # the watch ends here: WATCH_FOR after the last change notice
    chain: str  # the token of the live chain of ticks
    ticked_at: datetime  # the chain's last tick (or its start)
    looked_at: datetime | None = None  # the instant of the last look that Xero answered
    day: date
    calls: int = 0  # calls made on `day`


class TickStep(StrEnum):
    LOOK = "look"  # ask Xero, then tick again
    REST = "rest"  # no call this time (the day's calls are spent), tick again
    END = "end"  # the chain ends: another one lives, or the watch is over


def begun(watch: Watch | None, tenant_id: str, now: datetime, token: str) -> tuple[Watch, bool]:
    """The watch after a change notice at `now`, and whether a chain of ticks must start (with `token`)."""
    until = now + WATCH_FOR
    if watch is not None and now - watch.ticked_at < TICK_LOST:
        return watch.model_copy(update={"until": max(until, watch.until)}), False
    day = now.date()
    calls = watch.calls if watch is not None and watch.day == day else 0
    looked_at = watch.looked_at if watch is not None else None
    started = Watch(
        tenant_id=tenant_id, until=until, chain=token, ticked_at=now, looked_at=looked_at, day=day, calls=calls
    )
    return started, True


def step(watch: Watch | None, chain: str, now: datetime) -> TickStep:
    """What a tick of `chain` does at `now`."""
    if watch is None or watch.chain != chain or now >= watch.until:
        return TickStep.END
    if watch.day == now.date() and watch.calls >= CALLS_A_DAY:
        return TickStep.REST
    return TickStep.LOOK


def ticked(watch: Watch, now: datetime, *, looked: datetime | None, called: bool) -> Watch:
    """The watch after a tick at `now` (looked: the instant of a look Xero answered; called: a call made)."""
    calls = watch.calls if watch.day == now.date() else 0
    return watch.model_copy(
        update={
            "ticked_at": now,
            "looked_at": looked if looked is not None else watch.looked_at,
            "day": now.date(),
            "calls": calls + (1 if called else 0),
        }
    )
