"""The accounts watch's steps (shared/domain/inbound/watch.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.domain.inbound.watch import CALLS_A_DAY, TICK_LOST, WATCH_FOR, TickStep, begun, step, ticked

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_notice_starts_a_chain_that_lasts_watch_for_after_it() -> None:
    watch, start = begun(None, "t", NOW, "chain-1")
    assert start
    assert (watch.until, watch.chain, watch.calls) == (NOW + WATCH_FOR, "chain-1", 0)
    assert step(watch, "chain-1", NOW + WATCH_FOR - timedelta(seconds=1)) is TickStep.LOOK
    assert step(watch, "chain-1", NOW + WATCH_FOR) is TickStep.END


def test_a_later_notice_lengthens_the_live_chain_without_starting_another() -> None:
    watch, _ = begun(None, "t", NOW, "chain-1")
    later = NOW + timedelta(seconds=10)
    watch = ticked(watch, later, looked=later, called=True)
    again, start = begun(watch, "t", later + timedelta(seconds=1), "chain-2")
    assert not start
    assert (again.chain, again.until) == ("chain-1", later + timedelta(seconds=1) + WATCH_FOR)


def test_a_tick_of_another_chain_ends_so_that_one_chain_lives() -> None:
    watch, _ = begun(None, "t", NOW, "chain-1")
    assert step(watch, "chain-2", NOW) is TickStep.END
    assert step(None, "chain-1", NOW) is TickStep.END


def test_a_chain_not_heard_of_for_tick_lost_is_replaced_by_the_next_notice() -> None:
    watch, _ = begun(None, "t", NOW, "chain-1")
    again, start = begun(watch, "t", NOW + TICK_LOST, "chain-2")
    assert start
    assert again.chain == "chain-2"


def test_the_days_calls_spent_the_chain_rests_and_a_new_day_looks_again() -> None:
    watch, _ = begun(None, "t", NOW, "chain-1")
    spent = watch.model_copy(update={"calls": CALLS_A_DAY})
    assert step(spent, "chain-1", NOW) is TickStep.REST
    tomorrow = spent.model_copy(update={"until": NOW + timedelta(days=2)})
    assert step(tomorrow, "chain-1", NOW + timedelta(days=1)) is TickStep.LOOK
    assert ticked(tomorrow, NOW + timedelta(days=1), looked=None, called=True).calls == 1


def test_a_tick_counts_its_call_and_keeps_the_last_answered_look() -> None:
    watch, _ = begun(None, "t", NOW, "chain-1")
    first = ticked(watch, NOW, looked=NOW, called=True)
    second = ticked(first, NOW + timedelta(seconds=2), looked=None, called=True)  # Xero failed: no answer
    assert (second.calls, second.looked_at, second.ticked_at) == (2, NOW, NOW + timedelta(seconds=2))
