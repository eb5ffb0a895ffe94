"""GET /v1/tenants/{tenant_id}/changes: the changes made in Xero, read with a cursor."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from shared.domain.inbound.changes import ChangeKind, ConflictSides, RecordChange
from shared.domain.inbound.conflicts import ConflictRule
from shared.domain.inbound.settings import Side
from shared.domain.records import Entity
from shared.fakes.memory_change_feed import MemoryChangeFeed
from tests.unit.api.api_world import ApiWorld


@pytest.fixture
def feed(world: ApiWorld) -> MemoryChangeFeed:
    kept = MemoryChangeFeed()
    world.deps = replace(world.deps, change_feed=kept)
    return kept


def a_change(world: ApiWorld, tenant_id: str, platform_id: str, seconds_ago: float, **fields: Any) -> RecordChange:
    values: dict[str, Any] = {
        "tenant_id": tenant_id,
        "entity": Entity.CONTACT,
        "platform_id": platform_id,
        "xero_id": f"x-{platform_id}",
        "kind": ChangeKind.UPDATED,
        "version": 2,
        "at": world.clock.now() - timedelta(seconds=seconds_ago),
        "body": {"name": f"Customer {platform_id}"},
        "xero_status": "ACTIVE",
        **fields,
    }
    return RecordChange(**values)


def changes_of(world: ApiWorld, tenant_id: str, query: str = "") -> Any:
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/changes", query=query)
    assert answer.status == 200, answer.text
    return answer.body


def test_changes_are_read_oldest_first_page_after_page(world: ApiWorld, feed: MemoryChangeFeed, tenant_id: str) -> None:
    # Given three changes made in Xero a minute ago
    for n, platform_id in enumerate(["c-1", "c-2", "c-3"]):
        feed.append(a_change(world, tenant_id, platform_id, 60 - n))
    # When the platform reads two, then the rest from the cursor it was given
    first = changes_of(world, tenant_id, "limit=2")
    rest = changes_of(world, tenant_id, f"limit=2&cursor={first['next_cursor']}")
    # Then it read each once, in order, with its body and Xero status
    assert [c["platform_id"] for c in first["changes"] + rest["changes"]] == ["c-1", "c-2", "c-3"]
    assert (first["changes"][0]["kind"], first["changes"][0]["body"], first["changes"][0]["xero_status"]) == (
        "updated",
        {"name": "Customer c-1"},
        "ACTIVE",
    )
    assert rest["next_cursor"] == rest["changes"][-1]["cursor"]


def test_with_nothing_new_the_same_cursor_comes_back(world: ApiWorld, feed: MemoryChangeFeed, tenant_id: str) -> None:
    # Given the platform has read the only change
    feed.append(a_change(world, tenant_id, "c-1", 60))
    cursor = changes_of(world, tenant_id)["next_cursor"]
    # When it polls again / Then no change, and the cursor to poll with next time is the same
    again = changes_of(world, tenant_id, f"cursor={cursor}")
    assert (again["changes"], again["next_cursor"]) == ([], cursor)


def test_a_change_still_landing_is_served_a_few_seconds_later(
    world: ApiWorld, feed: MemoryChangeFeed, tenant_id: str
) -> None:
    # Given a change made a second ago
    feed.append(a_change(world, tenant_id, "c-1", 1))
    # When the feed is read at once / Then it is not served yet; five seconds later it is
    assert changes_of(world, tenant_id)["changes"] == []
    world.clock.advance(5)
    assert [c["platform_id"] for c in changes_of(world, tenant_id)["changes"]] == ["c-1"]


def test_conflicts_are_read_on_their_own_with_both_versions(
    world: ApiWorld, feed: MemoryChangeFeed, tenant_id: str
) -> None:
    # Given an update and a conflict the platform won
    feed.append(a_change(world, tenant_id, "c-1", 60))
    sides = ConflictSides(
        platform_body={"name": "Ours"},
        platform_deleted=False,
        xero_body={"name": "Theirs"},
        xero_deleted=False,
        winner=Side.PLATFORM,
        rule=ConflictRule.SETTING,
    )
    feed.append(a_change(world, tenant_id, "c-2", 30, kind=ChangeKind.CONFLICT, body=None, conflict=sides))
    # When the conflicts are read / Then the conflict alone, with both versions, the winner and the rule
    [conflict] = changes_of(world, tenant_id, "kind=conflict")["changes"]
    assert (conflict["platform_id"], conflict["conflict"]) == (
        "c-2",
        {
            "platform_body": {"name": "Ours"},
            "platform_deleted": False,
            "xero_body": {"name": "Theirs"},
            "xero_deleted": False,
            "winner": "platform",
            "rule": "setting",
        },
    )


def test_a_tenant_reads_none_of_another_tenant_s_changes(
    world: ApiWorld, feed: MemoryChangeFeed, tenant_id: str
) -> None:
    # Given another tenant's change, and the cursor it was given
    other = world.tenant("Other Plumbing")
    feed.append(a_change(world, other, "c-9", 60))
    cursor = changes_of(world, other)["next_cursor"]
    # When this tenant reads, from the start or from the other's cursor / Then it sees nothing
    assert changes_of(world, tenant_id)["changes"] == []
    assert changes_of(world, tenant_id, f"cursor={cursor}")["changes"] == []


def test_a_cursor_the_feed_did_not_hand_out_is_refused(world: ApiWorld, feed: MemoryChangeFeed, tenant_id: str) -> None:
    # Given a made-up cursor / When the feed is read from it / Then 422 names the cursor
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/changes", query="cursor=bm90LWEtY3Vyc29y")
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "query.cursor"


def test_an_unknown_tenant_has_no_changes(world: ApiWorld, feed: MemoryChangeFeed) -> None:
    # Given no such tenant / When its changes are read / Then 404
    assert world.call("GET", "/v1/tenants/no-such-tenant/changes").status == 404
