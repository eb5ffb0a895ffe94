"""What to do with a record fetched from Xero (issue 5, §3): apply it, delete the platform's record,
ignore it, skip it by the tenant's filters, or resolve a conflict and record both versions.

The decision, in order:
1. The tenant's direction sends this kind to Xero only: SKIP_FILTERED. So is a Xero record that is
   a part xero-sync wrote for a platform payment (its discount credit note and allocation, its fee
   bill and that bill's payment): it is the payment's, never a record of its own (`before_reading`,
   which also runs before the record is read: such a part names documents the platform lacks).
2. New to the platform: a tombstone is skipped (gone before the platform knew it); the filters
   apply (only unpaid invoices and bills; nothing dated before `since`); else APPLY creates it. The
   filters decide creation only: a record the platform has keeps receiving Xero's changes (its
   payment, its void), or the platform's copy would silently go stale.
3. Known to the platform: an echo of xero-sync's own write or a stale read (echo.py, step 1) is
   IGNORE_ECHO. NO_CHANGE, its Xero status still recorded, when the platform already holds what
   Xero holds (or both sides deleted it), or when Xero still holds the version last synced (echo.py,
   step 2) and the platform's newer one is on its way. A void, deletion or archive the tenant does
   not sync (sync_deletions off) is SKIP_FILTERED.
4. Changed in Xero only: APPLY (a restore too), or TOMBSTONE.
5. Changed on both sides since the last sync: CONFLICT, won by
   - Xero when its version is final (voided, deleted: nothing can bring it back, so the platform's
     version could never be sent, FACTS.md §4.7-§4.8);
   - Xero when the document has a payment or credit applied in Xero (Xero refuses to edit or void
     it: the platform's version would be refused);
   - Xero when the tenant takes this kind from Xero only (the platform's version is never sent);
   - otherwise the side the tenant chose (conflict_winner).
   Either way the ConflictRecord keeps both versions and the rule that decided.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.domain.inbound.echo import SyncedVersion, changed_in_xero, holds_same, is_echo, platform_changed
from shared.domain.inbound.from_xero import FetchedRecord
from shared.domain.inbound.settings import Direction, InboundEntitySettings, Side
from shared.domain.inbound.tombstones import is_final
from shared.domain.ledger import StoredRecord
from shared.domain.records import Entity

_DOCUMENTS = frozenset({Entity.INVOICE, Entity.BILL, Entity.CREDIT_NOTE})
_UNPAID_FILTERED = frozenset({Entity.INVOICE, Entity.BILL})


class InboundAction(StrEnum):
    APPLY = "apply"  # the platform takes Xero's body: a new record, a new version, or a restore
    TOMBSTONE = "tombstone"  # the platform's record is deleted
    IGNORE_ECHO = "ignore_echo"  # xero-sync's own write coming back, or a read older than it
    NO_CHANGE = "no_change"  # nothing the platform holds changed (its Xero status may have)
    SKIP_FILTERED = "skip_filtered"  # the tenant's direction or filters keep it off the platform
    CONFLICT = "conflict"  # changed on both sides: `conflict` says which side won and why


class ConflictRule(StrEnum):
    SETTING = "setting"  # the tenant's conflict_winner for the kind
    DIRECTION = "direction"  # the kind comes from Xero only
    FINAL_IN_XERO = "final_in_xero"  # voided or deleted in Xero, which never brings it back
    LOCKED_IN_XERO = "locked_in_xero"  # a payment or credit is applied in Xero, which then refuses changes


class PlatformEffect(StrEnum):
    """What happens to the platform's record."""

    WRITE = "write"  # take `body` (create, new version, or restore); Xero holds it, so it is synced as written
    DELETE = "delete"  # delete it; Xero already has it gone
    NONE = "none"  # unchanged; a conflict the platform won leaves its pending version to go to Xero


class ConflictRecord(BaseModel):
    """A record changed on both sides since the last sync: both versions, the winner and the rule."""

    model_config = ConfigDict(frozen=True)

    tenant_id: str
    entity: Entity
    platform_id: str
    xero_id: str
    platform_version: int
    platform_body: dict[str, Any]
    platform_deleted: bool
    xero_body: dict[str, Any]
    xero_deleted: bool
    xero_status: str | None
    xero_updated_at: datetime | None
    winner: Side
    rule: ConflictRule
    detected_at: datetime


class InboundDecision(BaseModel):
    """The verdict on one fetched record. Whatever the action, the ledger records `xero_status`,
    `has_applied` and `xero_updated_at` (as echo.seen_after) on the platform's record, if it has one."""

    model_config = ConfigDict(frozen=True)

    action: InboundAction
    reason: str
    entity: Entity
    xero_id: str
    platform_id: str | None  # None: the record is new to the platform
    body: dict[str, Any] | None = None  # Xero's body, for APPLY, TOMBSTONE and CONFLICT
    conflict: ConflictRecord | None = None
    xero_status: str | None = None
    xero_updated_at: datetime | None = None
    has_applied: bool = False
    status_changed: bool = False  # Xero's status moved (PAID, VOIDED, ARCHIVED...): worth telling the platform

    @property
    def effect(self) -> PlatformEffect:
        if self.action is InboundAction.APPLY:
            return PlatformEffect.WRITE
        if self.action is InboundAction.TOMBSTONE:
            return PlatformEffect.DELETE
        if self.conflict is not None and self.conflict.winner is Side.XERO:
            return PlatformEffect.DELETE if self.conflict.xero_deleted else PlatformEffect.WRITE
        return PlatformEffect.NONE


def _noun(entity: Entity) -> str:
    return entity.value.replace("_", " ")


def before_reading(
    entity: Entity, xero_id: str, settings: InboundEntitySettings, *, part_of: str | None = None
) -> InboundDecision | None:
    """The SKIP_FILTERED verdict on a Xero record that is not to be read at all, else None.

    `part_of` names the platform record it is a part of ("payment p-1") when the ledger lists its
    Xero id among a record's linked parts.
    """
    reason = None
    if settings.direction is Direction.TO_XERO:
        reason = f"The tenant's settings send {_noun(entity)}s to Xero only."
    elif part_of is not None:
        reason = f"It is part of {part_of}, written to Xero by xero-sync."
    if reason is None:
        return None
    return InboundDecision(
        action=InboundAction.SKIP_FILTERED, reason=reason, entity=entity, xero_id=xero_id, platform_id=None
    )


def _filtered_out(fetched: FetchedRecord, settings: InboundEntitySettings) -> str | None:
    """Why a record new to the platform is not created there, or None."""
    noun = _noun(fetched.entity)
    if fetched.deleted:
        return f"The {noun} is {(fetched.status or 'gone').lower()} in Xero and was never on the platform."
    if settings.only_unpaid and fetched.entity in _UNPAID_FILTERED and fetched.status == "PAID":
        return f"The {noun} is paid, and only unpaid {noun}s come from Xero."
    dated = fetched.body.get("date")
    if settings.since is not None and isinstance(dated, str) and date.fromisoformat(dated) < settings.since:
        return f"The {noun} is dated {dated}, before {settings.since.isoformat()}, the first day taken from Xero."
    return None


def _winner(record: StoredRecord, fetched: FetchedRecord, settings: InboundEntitySettings) -> tuple[Side, ConflictRule]:
    if fetched.deleted and is_final(fetched.entity, fetched.status):
        return Side.XERO, ConflictRule.FINAL_IN_XERO
    locked = fetched.has_applied or fetched.status == "PAID"
    if record.entity in _DOCUMENTS and locked and not fetched.deleted:
        return Side.XERO, ConflictRule.LOCKED_IN_XERO
    if settings.direction is Direction.FROM_XERO:
        return Side.XERO, ConflictRule.DIRECTION
    return settings.conflict_winner, ConflictRule.SETTING


def decide(
    fetched: FetchedRecord,
    record: StoredRecord | None,
    settings: InboundEntitySettings,
    *,
    seen_at: datetime | None,
    now: datetime,
    synced: SyncedVersion | None = None,
    part_of: str | None = None,
) -> InboundDecision:
    """The verdict on `fetched`, Xero's current version of `record` (None: the platform has no record
    of it). `seen_at` and `synced` are what the ledger knows of the last version xero-sync wrote to
    or took from Xero (echo.py); `now` dates a conflict."""
    skipped = before_reading(fetched.entity, fetched.xero_id, settings, part_of=part_of)
    if skipped is not None:
        return skipped
    common: dict[str, Any] = {
        "entity": fetched.entity,
        "xero_id": fetched.xero_id,
        "platform_id": record.platform_id if record is not None else None,
        "xero_status": fetched.status,
        "xero_updated_at": fetched.updated_at,
        "has_applied": fetched.has_applied,
        "status_changed": record is not None and fetched.status != record.xero_status,
    }
    noun = _noun(fetched.entity)

    def verdict(action: InboundAction, reason: str, **extra: Any) -> InboundDecision:
        return InboundDecision(action=action, reason=reason, **common, **extra)

    if record is None:
        filtered = _filtered_out(fetched, settings)
        if filtered is not None:
            return verdict(InboundAction.SKIP_FILTERED, filtered)
        return verdict(InboundAction.APPLY, f"A {noun} new in Xero.", body=fetched.body)
    if is_echo(fetched.updated_at, seen_at):
        return verdict(InboundAction.IGNORE_ECHO, "Xero's version is no newer than xero-sync's last write or read.")
    if record.deleted and fetched.deleted:
        return verdict(InboundAction.NO_CHANGE, f"The {noun} is gone on both sides.")
    if holds_same(record, fetched):
        return verdict(InboundAction.NO_CHANGE, "Nothing the platform holds changed in Xero.")
    if not changed_in_xero(record, fetched, synced):
        return verdict(
            InboundAction.NO_CHANGE, "Xero still holds the version last synced; the platform's newer one goes to Xero."
        )
    if fetched.deleted and not settings.sync_deletions:
        return verdict(InboundAction.SKIP_FILTERED, f"Deletions in Xero are not synced for {noun}s.")
    if not platform_changed(record):
        if fetched.deleted:
            return verdict(InboundAction.TOMBSTONE, f"The {noun} is {fetched.status} in Xero.", body=fetched.body)
        return verdict(InboundAction.APPLY, f"The {noun} changed in Xero.", body=fetched.body)

    winner, rule = _winner(record, fetched, settings)
    conflict = ConflictRecord(
        tenant_id=record.tenant_id,
        entity=record.entity,
        platform_id=record.platform_id,
        xero_id=fetched.xero_id,
        platform_version=record.version,
        platform_body=record.body,
        platform_deleted=record.deleted,
        xero_body=fetched.body,
        xero_deleted=fetched.deleted,
        xero_status=fetched.status,
        xero_updated_at=fetched.updated_at,
        winner=winner,
        rule=rule,
        detected_at=now,
    )
    reason = f"The {noun} changed on both sides since the last sync; {winner.value}'s version wins ({rule.value})."
    return verdict(InboundAction.CONFLICT, reason, body=fetched.body, conflict=conflict)
