"""The change feed's and the pending fetches' contract (shared/ports/change_feed.py). A subclass
provides the fixtures `feed` (ChangeFeed) and `pending` (PendingFetches), both empty."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.domain.inbound.changes import ChangeKind, ConflictSides, RecordChange, readable_until
from shared.domain.inbound.conflicts import ConflictRule
from shared.domain.inbound.pending import PendingFetch
from shared.domain.inbound.settings import Side
from shared.domain.records import Entity
from shared.domain.webhook_events import ChangeNotice

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TENANT = "tenant-1"
FAR = readable_until(T0 + timedelta(days=365))  # everything written in these tests is settled by then


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def a_change(
    seconds: float, platform_id: str = "c-1", kind: ChangeKind = ChangeKind.UPDATED, **fields: Any
) -> RecordChange:
    values: dict[str, Any] = {
        "tenant_id": TENANT,
        "entity": Entity.INVOICE,
        "platform_id": platform_id,
        "xero_id": f"x-{platform_id}",
        "kind": kind,
        "version": 2,
        "at": at(seconds),
        "body": {"contact_id": "c-1", "lines": [{"description": "Labour — ünïcode", "unit_amount": "12.3456"}]},
        "xero_status": "AUTHORISED",
        **fields,
    }
    return RecordChange(**values)


def a_conflict(seconds: float, platform_id: str = "c-1") -> RecordChange:
    sides = ConflictSides(
        platform_body={"name": "Ours"},
        platform_deleted=False,
        xero_body={"name": "Theirs"},
        xero_deleted=False,
        winner=Side.PLATFORM,
        rule=ConflictRule.SETTING,
    )
    return a_change(seconds, platform_id, ChangeKind.CONFLICT, body=None, conflict=sides)


def a_notice(resource_id: str, category: str = "INVOICE") -> ChangeNotice:
    return ChangeNotice(
        tenant_id=TENANT,
        xero_tenant_id="org-1",
        category=category,
        event_type="UPDATE",
        resource_id=resource_id,
        event_date_utc="2026-01-05T09:00:00.123",
        receipt_key=f"receipt-{resource_id}",
    )


def kept(resource_id: str, retry_in: float, **fields: Any) -> PendingFetch:
    return PendingFetch(notice=a_notice(resource_id), retry_at=at(retry_in), reason="minute limit", **fields)


class ChangeFeedContract:
    def test_changes_read_back_exactly_in_feed_order(self, feed: Any) -> None:
        # Given three changes appended out of order
        changes = [a_change(2, "c-2"), a_change(1, "c-1"), a_change(3, "c-3")]
        for change in changes:
            feed.append(change)
        # When the feed is read / Then they come in time order, as they were written
        assert feed.read(TENANT, None, 10, until=FAR) == sorted(changes, key=RecordChange.sort_key)

    def test_a_read_resumes_right_after_the_position_given(self, feed: Any) -> None:
        # Given five changes
        changes = [a_change(n, f"c-{n}") for n in range(5)]
        for change in changes:
            feed.append(change)
        # When read two at a time from each page's last position
        first = feed.read(TENANT, None, 2, until=FAR)
        second = feed.read(TENANT, first[-1].sort_key(), 2, until=FAR)
        third = feed.read(TENANT, second[-1].sort_key(), 2, until=FAR)
        # Then each change came once, in order, and the end reads nothing
        assert first + second + third == changes
        assert feed.read(TENANT, third[-1].sort_key(), 2, until=FAR) == []

    def test_changes_past_the_bound_are_not_served_yet(self, feed: Any) -> None:
        # Given a change an hour ago and one just now
        feed.append(a_change(0, "c-old"))
        feed.append(a_change(3600, "c-new"))
        # When read up to what is settled at the second's time / Then only the older one
        assert [c.platform_id for c in feed.read(TENANT, None, 10, until=readable_until(at(3601)))] == ["c-old"]

    def test_the_same_change_appended_twice_is_read_once(self, feed: Any) -> None:
        # Given a change appended again (a worker retried its write)
        feed.append(a_change(1))
        feed.append(a_change(1))
        # When the feed is read / Then it is there once
        assert len(feed.read(TENANT, None, 10, until=FAR)) == 1

    def test_a_change_taken_again_later_is_kept_once_under_its_first_instant(self, feed: Any) -> None:
        # Given a change appended, whose worker died before it wrote the record
        feed.append(a_change(1))
        # When the change is taken again a minute later
        kept = feed.append(a_change(61))
        # Then it is given back, and read, once, at the instant it was first appended with
        assert kept == a_change(1)
        assert feed.read(TENANT, None, 10, until=FAR) == [a_change(1)]

    def test_a_change_that_says_something_else_is_a_change_of_its_own(self, feed: Any) -> None:
        # Given a change of a record's version 2
        feed.append(a_change(1))
        # When a change of the same version saying something else is appended (a later status in Xero)
        feed.append(a_change(2, xero_status="PAID"))
        # Then both are read, in order
        assert [c.xero_status for c in feed.read(TENANT, None, 10, until=FAR)] == ["AUTHORISED", "PAID"]

    def test_a_removed_change_taken_again_is_appended_anew(self, feed: Any) -> None:
        # Given a change taken back (its record write lost a race)
        feed.append(a_change(1))
        feed.remove(a_change(1))
        # When the same change is appended again, later / Then it is kept at its new instant
        assert feed.append(a_change(5)) == a_change(5)
        assert feed.read(TENANT, None, 10, until=FAR) == [a_change(5)]

    def test_conflicts_are_read_on_their_own_with_both_versions(self, feed: Any) -> None:
        # Given updates and conflicts interleaved
        for n in range(4):
            feed.append(a_change(n, f"c-{n}"))
        feed.append(a_conflict(1.5, "c-1"))
        feed.append(a_conflict(3.5, "c-3"))
        # When only conflicts are read / Then both, in order, each with both sides
        conflicts = feed.read(TENANT, None, 10, until=FAR, conflicts_only=True)
        assert [(c.platform_id, c.kind) for c in conflicts] == [
            ("c-1", ChangeKind.CONFLICT),
            ("c-3", ChangeKind.CONFLICT),
        ]
        assert conflicts[0].conflict is not None
        assert (conflicts[0].conflict.platform_body, conflicts[0].conflict.xero_body) == (
            {"name": "Ours"},
            {"name": "Theirs"},
        )
        # And the whole feed still holds them among the rest
        assert len(feed.read(TENANT, None, 10, until=FAR)) == 6

    def test_a_removed_change_is_read_nowhere(self, feed: Any) -> None:
        # Given a conflict appended and then taken back
        feed.append(a_conflict(1))
        feed.remove(a_conflict(1))
        # When the feed and the conflicts are read / Then neither holds it
        assert feed.read(TENANT, None, 10, until=FAR) == []
        assert feed.read(TENANT, None, 10, until=FAR, conflicts_only=True) == []

    def test_a_page_is_filled_across_the_store_s_own_pages(self, feed: Any) -> None:
        # Given more changes than one read asks for
        for n in range(30):
            feed.append(a_change(n, f"c-{n:02d}"))
        # When 25 are asked for / Then 25 come, the first 25
        assert [c.platform_id for c in feed.read(TENANT, None, 25, until=FAR)] == [f"c-{n:02d}" for n in range(25)]

    def test_a_tenant_reads_none_of_another_tenant_s_changes(self, feed: Any) -> None:
        # Given tenant-1's changes and a conflict
        feed.append(a_change(1))
        feed.append(a_conflict(2))
        # When tenant-2 reads, from the start or from tenant-1's position / Then it finds nothing
        assert feed.read("tenant-2", None, 10, until=FAR) == []
        assert feed.read("tenant-2", None, 10, until=FAR, conflicts_only=True) == []
        assert feed.read("tenant-2", a_change(0).sort_key(), 10, until=FAR) == []


class PendingFetchesContract:
    def test_kept_fetches_are_listed_soonest_due_first(self, pending: Any) -> None:
        # Given fetches due in a minute and now / When listed / Then the one due now comes first
        pending.keep(TENANT, [kept("inv-1", 60), kept("inv-2", 0)])
        assert [fetch.notice.resource_id for fetch in pending.listing(TENANT)] == ["inv-2", "inv-1"]

    def test_a_fetch_reads_back_as_kept(self, pending: Any) -> None:
        # Given a fetch kept after Xero answered without its record twice
        fetch = kept("inv-1", 60, not_found=2)
        pending.keep(TENANT, [fetch])
        # When listed / Then it is the same
        assert pending.listing(TENANT) == [fetch]

    def test_a_newer_notice_of_the_same_record_replaces_the_kept_one(self, pending: Any) -> None:
        # Given a fetch kept for inv-1 / When inv-1 is kept again (upper-case id) / Then one fetch, the newer
        pending.keep(TENANT, [kept("inv-1", 60)])
        pending.keep(TENANT, [kept("INV-1", 5, not_found=1)])
        [only] = pending.listing(TENANT)
        assert (only.retry_at, only.not_found) == (at(5), 1)

    def test_dropped_fetches_are_forgotten_and_unknown_keys_ignored(self, pending: Any) -> None:
        # Given two kept fetches / When one is dropped, with a key never kept
        pending.keep(TENANT, [kept("inv-1", 0), kept("inv-2", 0)])
        pending.drop(TENANT, [kept("inv-1", 0).key, "INVOICE#never"])
        # Then only the other is left
        assert [fetch.notice.resource_id for fetch in pending.listing(TENANT)] == ["inv-2"]

    def test_a_tenant_sees_and_drops_none_of_another_tenant_s_fetches(self, pending: Any) -> None:
        # Given tenant-1's fetch / When tenant-2 lists and drops under the same key
        pending.keep(TENANT, [kept("inv-1", 0)])
        pending.drop("tenant-2", [kept("inv-1", 0).key])
        # Then tenant-2 has none and tenant-1 still has its own
        assert pending.listing("tenant-2") == []
        assert len(pending.listing(TENANT)) == 1
