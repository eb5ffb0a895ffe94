"""The initial sync's progress (issue 5, §4): each kind's phase and counts from its reconciliation
state, the calls left, and the estimate of the time to finish at the pace the rate budget allows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared.domain.inbound.backfill import (
    REFERENCE_CALLS,
    KindPhase,
    backfill_progress,
    calls_left,
    estimate_seconds,
    kind_progress,
)
from shared.domain.inbound.reconcile_state import BackfillCount, ReconcileState, fresh
from shared.domain.inbound.settings import NOT_CHOSEN, Direction, InboundEntitySettings, InboundSettings, SyncedKind
from shared.domain.rate_limits import Limits, Priority, TenantUsage, tenant_with_call

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TENANT = "tenant-1"
LIMITS = Limits()
DEFAULTS = InboundSettings()


def running(kind: SyncedKind, *, records: int, pages: int, total: int, page_count: int) -> ReconcileState:
    count = BackfillCount(records=records, pages=pages, calls=pages, total=total, page_count=page_count)
    return fresh(TENANT, kind, NOW).model_copy(update={"backfill": count, "page": pages + 1, "run_started": NOW})


def test_the_estimate_is_the_minute_pace_while_the_days_allowance_lasts() -> None:
    # Reconciliation may make 54 of Xero's 60 calls a minute: 540 calls take ten minutes; the backfill 48
    assert estimate_seconds(540, 4500, LIMITS, Priority.RECONCILIATION) == pytest.approx(600)
    assert estimate_seconds(480, 4000, LIMITS) == pytest.approx(600)
    assert estimate_seconds(0, 4500, LIMITS) == 0


def test_the_estimate_adds_a_day_for_each_days_allowance_beyond_what_is_left_today() -> None:
    # 100 calls left today, 4,100 needed: 100 at the backfill's minute pace (48), then 4,000 (a whole day's allowance)
    assert estimate_seconds(4100, 100, LIMITS) == pytest.approx(100 * 60 / 48 + 24 * 3600)
    # Nothing left today: a day for each allowance
    assert estimate_seconds(2000, 0, LIMITS) == pytest.approx(12 * 3600)


def test_a_kind_not_begun_waits_one_being_read_runs_and_one_read_to_its_end_is_done() -> None:
    assert kind_progress(SyncedKind.CONTACT, None, DEFAULTS).phase is KindPhase.WAITING
    state = running(SyncedKind.INVOICE, records=2000, pages=2, total=4500, page_count=5)
    progress = kind_progress(SyncedKind.INVOICE, state, DEFAULTS)
    assert (progress.phase, progress.records, progress.total, progress.pages, progress.page_count) == (
        KindPhase.RUNNING,
        2000,
        4500,
        2,
        5,
    )
    done = state.model_copy(update={"last_success": NOW, "page": None, "run_started": None})
    assert kind_progress(SyncedKind.INVOICE, done, DEFAULTS).phase is KindPhase.DONE


def test_a_kind_sent_to_xero_only_is_skipped() -> None:
    settings = InboundSettings(kinds={SyncedKind.ITEM: InboundEntitySettings(direction=Direction.TO_XERO)})
    assert kind_progress(SyncedKind.ITEM, None, settings).phase is KindPhase.SKIPPED


def test_bank_transactions_are_skipped_until_the_tenant_chooses_a_date_to_bring_them_from() -> None:
    skipped = kind_progress(SyncedKind.BANK_TRANSACTION, None, DEFAULTS)
    assert (skipped.phase, skipped.note) == (KindPhase.SKIPPED, NOT_CHOSEN)
    since = InboundEntitySettings(direction=Direction.FROM_XERO, since=date(2026, 1, 1))
    chosen = InboundSettings(kinds={SyncedKind.BANK_TRANSACTION: since})
    assert kind_progress(SyncedKind.BANK_TRANSACTION, None, chosen).phase is KindPhase.WAITING


def test_calls_left_count_the_pages_not_read_one_for_an_unknown_count_and_one_reference_refresh() -> None:
    kinds = [
        kind_progress(
            SyncedKind.INVOICE, running(SyncedKind.INVOICE, records=2000, pages=2, total=4500, page_count=5), DEFAULTS
        ),
        kind_progress(SyncedKind.CONTACT, None, DEFAULTS),
        kind_progress(SyncedKind.ACCOUNT, None, DEFAULTS),
        kind_progress(SyncedKind.TAX_RATE, None, DEFAULTS),
    ]
    assert calls_left(kinds) == 3 + 1 + REFERENCE_CALLS


def test_the_tenants_progress_reads_the_budgets_day_and_totals_the_backfills_calls() -> None:
    # Given a backfill with invoices part read, and 10 calls made in the last hour
    usage = TenantUsage()
    for second in range(10):
        usage = tenant_with_call(usage, f"lease-{second}", NOW - timedelta(minutes=30, seconds=second), LIMITS)
    states = [running(SyncedKind.INVOICE, records=2000, pages=2, total=4500, page_count=5)]
    # When its progress is read
    progress = backfill_progress(states, DEFAULTS, usage, NOW, LIMITS)
    # Then every kind is listed, the reference data first, and the day's budget is what is left of it
    assert [kind.kind for kind in progress.kinds][:3] == [
        SyncedKind.ACCOUNT,
        SyncedKind.TAX_RATE,
        SyncedKind.TRACKING_CATEGORY,
    ]
    assert not progress.done
    assert progress.calls == 2
    assert (progress.day_calls_used, progress.day_calls_left, progress.backfill_day_calls_left) == (10, 4990, 3990)
    # Invoices' 3 pages, one page for each of the 5 other kinds from Xero (not bank transactions, which the
    # tenant did not choose), one reference refresh
    assert progress.calls_left == 3 + 5 + REFERENCE_CALLS
    assert progress.estimated_seconds == pytest.approx(progress.calls_left * 60 / 48)


def test_a_backfill_every_kind_of_which_is_read_is_done_with_no_estimate() -> None:
    states = [
        fresh(TENANT, kind, NOW).model_copy(update={"last_success": NOW, "backfill": BackfillCount(pages=1)})
        for kind in SyncedKind
    ]
    progress = backfill_progress(states, DEFAULTS, TenantUsage(), NOW, LIMITS)
    assert progress.done
    assert progress.calls_left == 0
    assert progress.estimated_seconds is None
