"""Reconciliation: when a kind is due, and the If-Modified-Since and query it reads with."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shared.domain.inbound.reconcile import if_modified_since, is_due, plan
from shared.domain.inbound.settings import DEFAULTS, Direction, InboundEntitySettings, SyncedKind

STARTED = datetime(2026, 3, 2, 10, 0, 30, 750000, tzinfo=UTC)  # the last successful run's start


def test_if_modified_since_reaches_back_five_minutes_to_the_second() -> None:
    # Given a run that started at 10:00:30.75 / When the next asks / Then it asks from 09:55:30
    assert if_modified_since(STARTED) == datetime(2026, 3, 2, 9, 55, 30, tzinfo=UTC)


def test_a_kind_never_read_is_due_and_read_in_full() -> None:
    # Given invoices never reconciled / When planned / Then they are due, with no If-Modified-Since
    planned = plan(SyncedKind.INVOICE, DEFAULTS[SyncedKind.INVOICE], None, STARTED)
    assert (planned.due, planned.query and planned.query.header()) == (True, {})


def test_invoices_are_due_every_fifteen_minutes() -> None:
    # Given invoices last reconciled at STARTED
    settings = DEFAULTS[SyncedKind.INVOICE]
    # When asked 14 and 15 minutes later / Then due only at 15
    early = is_due(settings, STARTED, STARTED + timedelta(minutes=14))
    on_time = is_due(settings, STARTED, STARTED + timedelta(minutes=15))
    assert (early[0], on_time) == (False, (True, "Its interval of 15 minutes has passed."))


def test_the_issues_intervals_are_the_defaults() -> None:
    # Given the default settings / When their intervals are read / Then they are the issue's
    intervals = {kind: DEFAULTS[kind].reconcile_interval_minutes for kind in SyncedKind}
    assert (
        intervals[SyncedKind.INVOICE],
        intervals[SyncedKind.BILL],
        intervals[SyncedKind.CONTACT],
        intervals[SyncedKind.BANK_TRANSACTION],
    ) == (15, 30, 60, 1440)
    assert {intervals[k] for k in (SyncedKind.ACCOUNT, SyncedKind.TAX_RATE, SyncedKind.TRACKING_CATEGORY)} == {None}


def test_a_kind_read_when_it_changes_is_due_only_when_signalled() -> None:
    # Given tax rates read before, and no interval
    settings = DEFAULTS[SyncedKind.TAX_RATE]
    later = STARTED + timedelta(days=30)
    # When asked without and with a signal / Then due only when signalled
    assert (is_due(settings, STARTED, later)[0], is_due(settings, STARTED, later, signalled=True)[0]) == (False, True)


def test_a_trigger_makes_a_kind_due_at_once() -> None:
    # Given bills read a minute ago / When a person triggers a sync / Then bills are due
    assert is_due(DEFAULTS[SyncedKind.BILL], STARTED, STARTED + timedelta(minutes=1), forced=True)[0]


def test_a_kind_sent_to_xero_only_is_never_read() -> None:
    # Given contacts go to Xero only / When a sync is even triggered / Then they are not due
    settings = InboundEntitySettings(direction=Direction.TO_XERO, reconcile_interval_minutes=60)
    assert is_due(settings, None, STARTED, forced=True)[0] is False


def test_bills_are_read_from_invoices_by_type_a_thousand_a_page_since_the_watermark() -> None:
    # Given bills due / When planned
    query = plan(SyncedKind.BILL, DEFAULTS[SyncedKind.BILL], STARTED, STARTED + timedelta(hours=1)).query
    # Then the query reads ACCPAY documents with line items, paged by 1000, since the overlap
    assert query is not None
    assert (query.collection, query.params, query.header()) == (
        "Invoices",
        {"unitdp": "4", "where": 'Type=="ACCPAY"', "page": "1", "pageSize": "1000"},
        {"If-Modified-Since": "2026-03-02T09:55:30+00:00"},
    )
    assert query.page(3)["page"] == "3"


def test_the_first_day_taken_narrows_the_read() -> None:
    # Given invoices taken from 1 April 2026 / When planned / Then the where holds the date
    settings = InboundEntitySettings(since=date(2026, 4, 1), reconcile_interval_minutes=15)
    query = plan(SyncedKind.INVOICE, settings, None, STARTED).query
    assert query is not None
    assert query.params["where"] == 'Type=="ACCREC" AND Date>=DateTime(2026,04,01)'


def test_tax_rates_are_read_whole_as_xero_takes_no_if_modified_since_for_them() -> None:
    # Given tax rates signalled / When planned / Then no header, no paging, and the read is complete
    query = plan(SyncedKind.TAX_RATE, DEFAULTS[SyncedKind.TAX_RATE], STARTED, STARTED, signalled=True).query
    assert query is not None
    assert (query.header(), query.paged, query.complete) == ({}, False, True)


def test_a_full_read_of_items_is_complete_and_an_incremental_one_is_not() -> None:
    # Given items due / When planned incrementally and in full / Then only the full read proves deletions
    settings = DEFAULTS[SyncedKind.ITEM]
    later = STARTED + timedelta(hours=2)
    incremental = plan(SyncedKind.ITEM, settings, STARTED, later).query
    full = plan(SyncedKind.ITEM, settings, STARTED, later, full=True).query
    assert (incremental and incremental.complete, full and full.complete) == (False, True)
