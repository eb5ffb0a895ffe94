"""A change from Xero as the platform reads it: an entry of the change feed and an event on the bus
(issue 5, §3: "every change is published ... and appears in a change feed the platform reads with
a cursor").

One change per decision that touches the platform's record (conflicts.py):
- record.created: a record new in Xero now on the platform (`body`, version 1);
- record.updated: Xero changed it (`body` is the new version); also a change of Xero's status
  alone (an invoice PAID in Xero: same body, `xero_status` PAID);
- record.deleted: voided, deleted or archived in Xero (`body` is the last one);
- record.conflict: changed on both sides; both bodies, the winner and the rule. When Xero won, the
  record now holds `xero_body` (a new version, or deleted when `xero_deleted`); when the platform
  won, its own version goes to Xero and the record is unchanged.

The feed is ordered by `sort_key`: the instant of the change (fixed width, UTC, microseconds),
then entity, platform id and version, so two changes never share a key and a cursor (the last key
read) resumes exactly after what was read. One tenant's changes may be written by two workers at
once (its change notices and its sync requests are separate message groups), so a change stamped
just before a key already read can land after it: `at` is taken right before the write, and the
feed is served only up to `SETTLE` before now (`readable_until`), past which no write is pending.

The platform holds a cursor (`cursor_of`): the sort key of the last change read, base64url-encoded
so that nobody builds one by hand. Every event carries its change's cursor too, so a platform that
hears an event can resume the feed from it. A cursor is a position, not a credential: it is read
only within the tenant the request names, so one from another tenant reveals nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.domain.inbound.conflicts import ConflictRule, InboundAction, InboundDecision
from shared.domain.inbound.settings import Side, SyncedKind

ORIGIN = "xero"
# Longer than a write takes from taking its instant to landing, or to being taken back on a lost race
# (a few single-item requests; one puller per tenant at a time, under the push lease), plus any skew
# between two Lambdas' clocks; short enough that a change reaches the feed well within the 5 seconds
# issue 5 allows from the edit in Xero.
SETTLE = timedelta(seconds=2)
_SORT_KEY = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z#[a-z_]+#[A-Za-z0-9._~:@-]+#\d{12}$")


class ChangeKind(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    CONFLICT = "conflict"

    @property
    def detail_type(self) -> str:
        """The EventBridge detail-type: record.created, record.updated, record.deleted, record.conflict."""
        return f"record.{self.value}"


class ConflictSides(BaseModel):
    model_config = ConfigDict(frozen=True)

    platform_body: dict[str, Any]
    platform_deleted: bool
    xero_body: dict[str, Any]
    xero_deleted: bool
    winner: Side
    rule: ConflictRule


class RecordChange(BaseModel):
    """One change from Xero: a line of the tenant's change feed, and the event published for it."""

    model_config = ConfigDict(frozen=True)

    tenant_id: str
    entity: SyncedKind  # a platform record's entity, or reference data read from Xero (an account)
    platform_id: str
    xero_id: str
    kind: ChangeKind
    version: int  # the platform record's version after the change
    at: datetime
    body: dict[str, Any] | None = None  # created, updated, deleted: the record's body
    xero_status: str | None = None
    conflict: ConflictSides | None = None

    def sort_key(self) -> str:
        """The feed's order and cursor: sorts as text in the order of the changes."""
        instant = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return f"{instant}#{self.entity.value}#{self.platform_id}#{self.version:012d}"

    def identity(self) -> str:
        """What makes it the same change whenever it is taken: all but its instant (what it says is in
        a digest). A worker that dies between the feed and the record takes the change again, later,
        with the same identity; a change that says something else (two conflicts on one version) has
        another."""
        said = self.model_dump_json(include={"body", "xero_status", "conflict"}).encode()
        digest = hashlib.sha256(said).hexdigest()[:32]
        return f"{self.entity.value}#{self.platform_id}#{self.version:012d}#{self.kind.value}#{digest}"

    def cursor(self) -> str:
        """The cursor that resumes the feed right after this change."""
        return cursor_of(self.sort_key())

    def event_detail(self) -> dict[str, Any]:
        """The event's detail, in the shape of every xero-sync event (docs/events.md): tenant_id,
        occurred_at and data."""
        data: dict[str, Any] = {
            "entity": self.entity.value,
            "platform_id": self.platform_id,
            "xero_id": self.xero_id,
            "version": self.version,
            "origin": ORIGIN,
            "xero_status": self.xero_status,
            "cursor": self.cursor(),
        }
        if self.body is not None:
            data["body"] = self.body
        if self.conflict is not None:
            data.update(self.conflict.model_dump(mode="json"))
        return {"tenant_id": self.tenant_id, "occurred_at": self.at.isoformat(), "data": data}


def change_for(
    decision: InboundDecision,
    *,
    tenant_id: str,
    platform_id: str,
    version: int,
    at: datetime,
    current_body: dict[str, Any] | None = None,
) -> RecordChange | None:
    """The change a decision made to the platform's record `platform_id` (its id once created), now at
    `version`; None when the platform has nothing to hear. `current_body` is the record's body, told
    with a change of Xero's status alone."""
    common: dict[str, Any] = {
        "tenant_id": tenant_id,
        "entity": SyncedKind.of(decision.entity),
        "platform_id": platform_id,
        "xero_id": decision.xero_id,
        "version": version,
        "at": at,
        "xero_status": decision.xero_status,
    }
    action = decision.action
    if action is InboundAction.APPLY:
        kind = ChangeKind.CREATED if decision.platform_id is None else ChangeKind.UPDATED
        return RecordChange(kind=kind, body=decision.body, **common)
    if action is InboundAction.TOMBSTONE:
        return RecordChange(kind=ChangeKind.DELETED, body=decision.body, **common)
    if action is InboundAction.CONFLICT and decision.conflict is not None:
        conflict = decision.conflict
        sides = ConflictSides(
            platform_body=conflict.platform_body,
            platform_deleted=conflict.platform_deleted,
            xero_body=conflict.xero_body,
            xero_deleted=conflict.xero_deleted,
            winner=conflict.winner,
            rule=conflict.rule,
        )
        return RecordChange(kind=ChangeKind.CONFLICT, conflict=sides, **common)
    if action is InboundAction.NO_CHANGE and decision.status_changed:
        return RecordChange(kind=ChangeKind.UPDATED, body=current_body, **common)
    return None


def cursor_of(sort_key: str) -> str:
    """The opaque cursor of a position in the feed."""
    return base64.urlsafe_b64encode(sort_key.encode()).decode().rstrip("=")


def sort_key_of(cursor: str) -> str:
    """The position a cursor stands for; ValueError for anything cursor_of did not make."""
    try:
        sort_key = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ValueError("not a change feed cursor") from error
    if not _SORT_KEY.match(sort_key) or cursor_of(sort_key) != cursor:
        raise ValueError("not a change feed cursor")
    return sort_key


def readable_until(now: datetime) -> str:
    """The highest sort key a reader may be served at `now`: changes stamped within SETTLE may still be
    joined by a slower writer's earlier instant."""
    return (now - SETTLE).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") + "#~"


def page_after(
    changes: Iterable[RecordChange], cursor: str | None, limit: int, until: str | None = None
) -> tuple[list[RecordChange], str | None]:
    """The next `limit` changes after `cursor` (None: from the start) and up to `until` (readable_until),
    in feed order, and the cursor to resume from (the last key returned, else `cursor` itself)."""
    if limit < 1:
        raise ValueError("a page holds at least one change")
    ordered = sorted(
        (
            change
            for change in changes
            if (cursor is None or change.sort_key() > cursor) and (until is None or change.sort_key() <= until)
        ),
        key=_key,
    )
    page = ordered[:limit]
    return page, page[-1].sort_key() if page else cursor


def _key(change: RecordChange) -> str:
    return change.sort_key()
