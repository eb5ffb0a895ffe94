"""Changes from Xero as change-feed entries and platform events, in cursor order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.domain.inbound.changes import (
    ChangeKind,
    RecordChange,
    change_for,
    cursor_of,
    page_after,
    readable_until,
    sort_key_of,
)
from shared.domain.inbound.conflicts import ConflictRecord, ConflictRule, InboundAction, InboundDecision
from shared.domain.inbound.settings import Side
from shared.domain.records import Entity

AT = datetime(2026, 3, 2, 10, 0, 0, 250000, tzinfo=UTC)
BODY = {"name": "Acme Group"}


def decision(action: InboundAction, platform_id: str | None = "c-1", **fields: Any) -> InboundDecision:
    return InboundDecision(
        action=action, reason="why", entity=Entity.CONTACT, xero_id="xero-1", platform_id=platform_id, **fields
    )


def change(**fields: Any) -> RecordChange | None:
    values: dict[str, Any] = {"tenant_id": "t-1", "platform_id": "c-1", "version": 2, "at": AT, **fields}
    made = values.pop("decision")
    return change_for(made, **values)


def test_a_record_new_in_xero_is_created() -> None:
    # Given a record applied that the platform did not have / When its change is made / Then it is record.created
    made = change(decision=decision(InboundAction.APPLY, platform_id=None, body=BODY), version=1)
    assert made is not None
    assert (made.kind.detail_type, made.body, made.version) == ("record.created", BODY, 1)


def test_a_change_applied_is_an_update_and_a_tombstone_a_deletion() -> None:
    # Given an applied change and a tombstone / When their changes are made / Then updated and deleted
    updated = change(decision=decision(InboundAction.APPLY, body=BODY))
    deleted = change(decision=decision(InboundAction.TOMBSTONE, body=BODY))
    assert (updated and updated.kind, deleted and deleted.kind) == (ChangeKind.UPDATED, ChangeKind.DELETED)


def test_a_change_of_xeros_status_alone_is_an_update_with_the_current_body() -> None:
    # Given an invoice paid in Xero, nothing else changed
    made = change(
        decision=decision(InboundAction.NO_CHANGE, status_changed=True, xero_status="PAID"), current_body=BODY
    )
    # When its change is made / Then the platform hears an update carrying the status
    assert made is not None
    assert (made.kind, made.xero_status, made.body) == (ChangeKind.UPDATED, "PAID", BODY)


@pytest.mark.parametrize("action", [InboundAction.IGNORE_ECHO, InboundAction.NO_CHANGE, InboundAction.SKIP_FILTERED])
def test_what_changes_nothing_on_the_platform_is_not_told(action: InboundAction) -> None:
    # Given a decision that leaves the platform's record as it is / When its change is made / Then there is none
    assert change(decision=decision(action)) is None


def test_a_conflict_carries_both_versions_the_winner_and_the_rule() -> None:
    # Given a conflict Xero won
    conflict = ConflictRecord(
        tenant_id="t-1",
        entity=Entity.CONTACT,
        platform_id="c-1",
        xero_id="xero-1",
        platform_version=2,
        platform_body={"name": "Acme"},
        platform_deleted=False,
        xero_body=BODY,
        xero_deleted=False,
        xero_status="ACTIVE",
        xero_updated_at=AT,
        winner=Side.XERO,
        rule=ConflictRule.SETTING,
        detected_at=AT,
    )
    made = change(decision=decision(InboundAction.CONFLICT, conflict=conflict, body=BODY), version=3)
    # When its event is built
    assert made is not None
    data = made.event_detail()["data"]
    # Then the platform reads both bodies and who won
    assert (made.kind.detail_type, data["platform_body"], data["xero_body"], data["winner"], data["rule"]) == (
        "record.conflict",
        {"name": "Acme"},
        BODY,
        "xero",
        "setting",
    )


def test_an_event_has_the_shape_of_every_xero_sync_event() -> None:
    # Given an update / When its event detail is built / Then tenant, instant and data, with the cursor
    made = change(decision=decision(InboundAction.APPLY, body=BODY))
    assert made is not None
    detail = made.event_detail()
    assert (detail["tenant_id"], detail["occurred_at"], detail["data"]["origin"], detail["data"]["cursor"]) == (
        "t-1",
        "2026-03-02T10:00:00.250000+00:00",
        "xero",
        made.cursor(),
    )


def entry(at: datetime, platform_id: str = "c-1", version: int = 2) -> RecordChange:
    return RecordChange(
        tenant_id="t-1",
        entity=Entity.CONTACT,
        platform_id=platform_id,
        xero_id="xero-1",
        kind=ChangeKind.UPDATED,
        version=version,
        at=at,
    )


def test_sort_keys_order_changes_as_text_in_time_order() -> None:
    # Given changes a microsecond, a second and a day apart, and two at the same instant
    changes = [entry(AT + timedelta(days=1)), entry(AT, "c-2"), entry(AT + timedelta(microseconds=1)), entry(AT)]
    # When they are sorted by key / Then time first, then record
    ordered = sorted(changes, key=RecordChange.sort_key)
    assert [(c.at, c.platform_id) for c in ordered] == [
        (AT, "c-1"),
        (AT, "c-2"),
        (AT + timedelta(microseconds=1), "c-1"),
        (AT + timedelta(days=1), "c-1"),
    ]


def test_a_cursor_resumes_exactly_after_what_was_read() -> None:
    # Given five changes read two at a time
    changes = [entry(AT + timedelta(seconds=n)) for n in range(5)]
    first, cursor = page_after(changes, None, 2)
    second, cursor = page_after(changes, cursor, 2)
    third, cursor = page_after(changes, cursor, 2)
    last, final = page_after(changes, cursor, 2)
    # When all pages are read / Then each change came once, in order, and the cursor stays at the end
    assert [c.at for c in first + second + third] == [c.at for c in changes]
    assert (last, final) == ([], cursor)


def test_a_cursor_stands_for_its_change_s_position_and_nothing_else_is_one() -> None:
    # Given a change / When its cursor is read back / Then it is the change's position
    made = entry(AT)
    assert sort_key_of(made.cursor()) == made.sort_key()
    # And text that cursor_of did not make is refused
    for forged in ("", "not-a-cursor", cursor_of("TENANT#t-2"), made.cursor() + "A", "%%%"):
        with pytest.raises(ValueError, match="not a change feed cursor"):
            sort_key_of(forged)


def test_the_feed_holds_back_changes_a_slower_writer_may_still_precede() -> None:
    # Given a change stamped a second ago and one a minute ago
    now = AT + timedelta(minutes=1)
    changes = [entry(now - timedelta(seconds=1)), entry(AT)]
    # When the feed is read up to what is settled / Then only the older change is served
    page, _ = page_after(changes, None, 10, until=readable_until(now))
    assert [c.at for c in page] == [AT]
