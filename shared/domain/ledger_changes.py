"""How a platform write, a delete, a sync outcome and a retry change a stored record (issue 4, §1).

Pure rules, shared by every RecordStore (shared/ports/records.py), so the in-memory fake and the
DynamoDB adapter cannot drift apart: each store reads a record, asks these functions what it
becomes, and writes the answer (with its history line) in one atomic step. A function returns
None when nothing changes, so a retried call writes nothing and adds no history.

`state_at` is when the state last changed: a record edited again while it waits keeps its place
in the queue (the longest waiting is sent first, and the status's lag counts from the first
unsent change), while a record that leaves PENDING and comes back goes to the back.

`from_xero` is the sync from Xero's step (issue 5): Xero's version becomes a new version that is
already SYNCED (Xero holds it, so nothing goes back); or the body stays under a new version that is
as synced as the one it replaces (a change told without a body of its own: Xero's status alone, a
conflict the platform won); or only what the ledger knows of Xero's copy moves. It applies to the
version the decision read, or raises RecordMovedError.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from shared.domain.ledger import LedgerEvent, Outcome, StoredRecord, SyncState, XeroEffect, XeroVersion
from shared.domain.records import Entity

# The states a retry makes PENDING again: a verdict that a person may want to overturn.
RETRYABLE = (SyncState.FAILED, SyncState.SKIPPED, SyncState.PARKED)
# Verdicts end a version's sends, so its count of attempts starts again.
VERDICTS = (SyncState.SYNCED, SyncState.FAILED, SyncState.SKIPPED, SyncState.PARKED)


class Change(NamedTuple):
    """A record as it becomes and the history line that says why (None: a change to what the ledger
    knows of Xero's copy that tells nothing worth a line, such as an echo's stamp)."""

    record: StoredRecord
    event: LedgerEvent | None


class RecordMovedError(Exception):
    """The record is no longer at the version a decision about it was made on (the platform wrote,
    or another worker applied Xero's change, in between): decide again from a fresh read."""


def kept_body(body: dict[str, Any]) -> dict[str, Any]:
    """The body as every store keeps it: plain JSON data. Decimals and dates become their strings
    ("12.50", "2026-01-05"), as pydantic's JSON mode writes them: exact, and parse_body reads them
    back as Decimals and dates. So a body reads back the same from every store."""
    kept: dict[str, Any] = json.loads(json.dumps(body, default=str))
    return kept


def created(tenant_id: str, entity: Entity, platform_id: str, body: dict[str, Any], now: datetime) -> Change:
    """A record the platform writes for the first time: version 1, waiting to be sent."""
    record = StoredRecord(
        tenant_id=tenant_id,
        entity=entity,
        platform_id=platform_id,
        version=1,
        body=kept_body(body),
        updated_at=now,
        state=SyncState.PENDING,
        state_at=now,
    )
    return Change(record, LedgerEvent(at=now, version=1, state=SyncState.PENDING, message="created"))


def written(record: StoredRecord, body: dict[str, Any], now: datetime) -> Change | None:
    """The platform writes `body` over `record`: a new version unless the body is the one kept and
    the record is not deleted (a retried write is not a change)."""
    body = kept_body(body)
    if body == record.body and not record.deleted:
        return None
    message = "written again after its delete" if record.deleted else "changed"
    return _new_version(record, now, message, body=body, deleted=False)


def deleted(record: StoredRecord, now: datetime) -> Change | None:
    """The platform deletes `record`: a new version, its body kept (a void or a delete in Xero
    still needs it). None if it is deleted already."""
    if record.deleted:
        return None
    return _new_version(record, now, "deleted", body=record.body, deleted=True)


def _new_version(record: StoredRecord, now: datetime, message: str, *, body: dict[str, Any], deleted: bool) -> Change:
    version = record.version + 1
    update: dict[str, Any] = {
        "version": version,
        "body": body,
        "deleted": deleted,
        "updated_at": now,
        "state": SyncState.PENDING,
        "state_at": _state_at(record, SyncState.PENDING, now),
        "message": None,
        "attempts": 0,
    }
    if record.synced_version == record.version:
        # The version Xero holds is about to be replaced here: keep its body to compare Xero's with.
        update |= {"synced_body": record.body, "synced_deleted": record.deleted}
    changed = record.model_copy(update=update)
    return Change(changed, LedgerEvent(at=now, version=version, state=SyncState.PENDING, message=message))


def settled(record: StoredRecord, version: int, outcome: Outcome, now: datetime) -> Change:
    """What the sync worker learnt about `version` of `record`.

    What Xero now holds always lands: its id, its other ids (`linked`, merged), and its status and
    the synced version unless a later version has synced already. The state, message and attempts
    follow the outcome only when `version` is still the record's: otherwise the platform has
    written since, and the newer version keeps waiting to be sent."""
    current = version == record.version
    not_behind = record.synced_version is None or version >= record.synced_version
    update: dict[str, Any] = {"linked": record.linked | outcome.linked}
    if outcome.xero_id is not None:
        update["xero_id"] = outcome.xero_id
    if outcome.xero_status is not None and not_behind:
        update["xero_status"] = outcome.xero_status
    if outcome.xero_updated_at is not None:
        update["xero_updated_at"] = _later(record.xero_updated_at, outcome.xero_updated_at)
    if outcome.state is SyncState.SYNCED and not_behind:
        # Xero holds `version` now; its body is the record's own when it is the latest, else unknown.
        update |= {"synced_version": version, "last_synced_at": now, "synced_body": None, "synced_deleted": False}
    if current:
        update |= {
            "state": outcome.state,
            "state_at": _state_at(record, outcome.state, now),
            "message": outcome.message,
            "attempts": _attempts(record, outcome.state),
        }
    event = LedgerEvent(at=now, version=version, state=outcome.state, message=outcome.message, xero_id=outcome.xero_id)
    return Change(record.model_copy(update=update), event)


def _attempts(record: StoredRecord, state: SyncState) -> int:
    # PENDING after a send means it did not get through (a 5xx, a timeout, a 429): one more try.
    if state is SyncState.PENDING:
        return record.attempts + 1
    return 0 if state in VERDICTS else record.attempts


def retried(record: StoredRecord, now: datetime) -> Change | None:
    """A person asks for a FAILED, SKIPPED or PARKED record to be sent again; None for any other."""
    if record.state not in RETRYABLE:
        return None
    changed = record.model_copy(update={"state": SyncState.PENDING, "state_at": now, "message": None, "attempts": 0})
    return Change(changed, LedgerEvent(at=now, version=record.version, state=SyncState.PENDING, message="retried"))


def _state_at(record: StoredRecord, state: SyncState, now: datetime) -> datetime:
    return record.state_at if record.state is state else now


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    """The later of two stamps on Xero's clock, so a stale read never moves one back (echo.seen_after)."""
    stamps = [stamp for stamp in (first, second) if stamp is not None]
    return max(stamps) if stamps else None


def _not_older(stamp: datetime | None, held: datetime | None) -> bool:
    """Whether a version stamped `stamp` is at least as new as the one the ledger knows (unknown: yes)."""
    return stamp is None or held is None or stamp >= held


def from_xero(
    record: StoredRecord | None, taken: XeroVersion, now: datetime, *, tenant_id: str, entity: Entity, platform_id: str
) -> Change | None:
    """What a decision about Xero's version of a record does to it (`record` None: it does not exist).

    Raises RecordMovedError when the record is not at `taken.expected_version`. TAKE on no record
    creates it as version 1; TAKE and DELETE make a new version, SYNCED at once; RESTATE makes a new
    version of the same body (restated); NOTE changes no version. Xero's status and the applied flag
    follow only a version at least as new as the stamp the ledger holds (a stale read does not move
    them back). None when nothing changes."""
    found = record.version if record is not None else None
    if found != taken.expected_version:
        raise RecordMovedError(f"{entity.value} {platform_id} is at version {found}, not {taken.expected_version}")
    if record is None:
        if taken.effect is not XeroEffect.TAKE or taken.body is None:
            raise RecordMovedError(f"{entity.value} {platform_id} does not exist")
        record = StoredRecord(
            tenant_id=tenant_id,
            entity=entity,
            platform_id=platform_id,
            version=0,
            body={},
            updated_at=now,
            state=SyncState.SYNCED,
            state_at=now,
        )
    known: dict[str, Any] = {
        "xero_id": taken.xero_id,
        "xero_updated_at": _later(record.xero_updated_at, taken.xero_updated_at),
    }
    if _not_older(taken.xero_updated_at, record.xero_updated_at):
        known |= {"xero_status": taken.xero_status, "has_applied": taken.has_applied}
    if taken.effect is XeroEffect.NOTE:
        noted = record.model_copy(update=known)
        if noted == record and taken.message is None:
            return None
        line = None
        if taken.message is not None:
            line = LedgerEvent(
                at=now, version=record.version, state=record.state, message=taken.message, xero_id=taken.xero_id
            )
        return Change(noted, line)
    if taken.effect is XeroEffect.RESTATE:
        return restated(record, taken, known, now)
    version = record.version + 1
    deleted = taken.effect is XeroEffect.DELETE
    body = taken.body if taken.body is not None else record.body
    changed = record.model_copy(
        update={
            **known,
            "version": version,
            "body": kept_body(body),
            "deleted": deleted,
            "updated_at": now,
            "state": SyncState.SYNCED,
            "state_at": _state_at(record, SyncState.SYNCED, now) if record.version else now,
            "synced_version": version,
            "synced_body": None,
            "synced_deleted": False,
            "message": None,
            "attempts": 0,
            "last_synced_at": now,
        }
    )
    message = taken.message or ("deleted in Xero" if deleted else "changed in Xero")
    return Change(
        changed, LedgerEvent(at=now, version=version, state=SyncState.SYNCED, message=message, xero_id=taken.xero_id)
    )


def restated(record: StoredRecord, taken: XeroVersion, known: dict[str, Any], now: datetime) -> Change:
    """`record`'s body as a new version, with what the ledger now knows of Xero's copy (`known`).

    The platform is told of the change under that version, so it needs one of its own (a consumer
    deduplicates on entity, platform id and version). Xero's copy did not change in anything the
    record holds, so the new version is exactly as synced as the one it replaces: when Xero held that
    one, the synced version moves with it and the record stays SYNCED (the push has nothing to send);
    when the platform's version was still to go, it still is, in the same state and place in the queue."""
    version = record.version + 1
    update: dict[str, Any] = {**known, "version": version, "updated_at": now}
    if record.synced_version == record.version:
        update["synced_version"] = version
    message = taken.message or "restated after a change in Xero"
    line = LedgerEvent(at=now, version=version, state=record.state, message=message, xero_id=taken.xero_id)
    return Change(record.model_copy(update=update), line)
