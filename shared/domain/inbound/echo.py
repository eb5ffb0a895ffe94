"""Whether a record fetched from Xero carries a change made in Xero, or only xero-sync's own write
(issue 5, §3: "the service's own writes are not re-imported as changes").

The rule, in two steps:

1. Stamp. A fetched record is an echo when its UpdatedDateUTC is not after `seen_at`: the
   UpdatedDateUTC Xero itself reported for the record in the answer to xero-sync's last write to
   it, or on the last version xero-sync fetched and dealt with. Xero stamps every write to the
   millisecond, so anything changed after our write carries a later stamp: a Xero user's edit a
   second after our write is not an echo. Both instants are on Xero's clock, so no skew between
   our clock and Xero's can turn an edit into an echo (a rule on our own write time,
   last_synced_at, could), and a fetch older than our latest write (a reconciliation page read
   before a push that landed since) is recognised and never applied over the newer write.
2. Body. A later stamp says Xero's record changed, not that anything the platform holds did:
   applying our payment marks the invoice PAID, a bookkeeper fills in a contact's website. So
   Xero's version, read back into the canonical body, is compared with the body of the version
   Xero last accepted (`SyncedVersion`); only a difference, or a void, deletion or archive, is a
   change made in Xero. When the platform has not changed the record since (version ==
   synced_version) that body is the stored one; otherwise it is known only if the ledger keeps it.

Why not bodies alone: StoredRecord keeps the platform's latest body. Once the platform has changed
the record again, a stale or unchanged Xero version differs from it just as an edited one does;
the stamp tells them apart, and without the synced body a difference is taken for Xero's change
(at worst a conflict, recorded with both sides: never an edit silently dropped).

Where the stamp misleads: Xero says some changes do not move UpdatedDateUTC (a due date on a
partly paid invoice, FACTS.md §4.3); such an edit reads as an echo, as it also escapes
If-Modified-Since. Without `seen_at` (a record written before the ledger kept it) step 1 never
calls anything an echo.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from shared.domain.inbound.from_xero import FetchedRecord
from shared.domain.ledger import StoredRecord
from shared.domain.records import Entity, parse_body


def is_echo(fetched_updated_at: datetime | None, seen_at: datetime | None) -> bool:
    """Step 1: whether a fetched record stamped `fetched_updated_at` is no newer than what xero-sync
    last wrote or took of it (`seen_at`), both on Xero's clock. An unknown stamp is never an echo."""
    return fetched_updated_at is not None and seen_at is not None and fetched_updated_at <= seen_at


def seen_after(seen_at: datetime | None, fetched_updated_at: datetime | None) -> datetime | None:
    """What the ledger keeps as `seen_at` once a fetched (or written) version is dealt with: the later
    stamp, so a stale read never moves it back."""
    stamps = [stamp for stamp in (seen_at, fetched_updated_at) if stamp is not None]
    return max(stamps) if stamps else None


def same_body(entity: Entity, first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Whether two bodies of `entity` say the same thing: compared as models, so 2, "2.0" and "2.00"
    are one quantity and a field left out equals its default. Bodies that do not validate compare
    as plain data."""
    try:
        return parse_body(entity, first) == parse_body(entity, second)
    except ValidationError:
        return first == second


def platform_changed(record: StoredRecord) -> bool:
    """Whether the platform has a version Xero has not accepted (changed since the last sync)."""
    return record.synced_version != record.version


# What Xero fills in when the platform leaves it out: a sales invoice or credit note sent without a
# number gets Xero's next one. That number alone is Xero completing the platform's own write, not a
# change made in Xero; it reaches the platform with the next real change (docs/decisions.md).
_FILLED_IN_BY_XERO: dict[Entity, tuple[str, ...]] = {Entity.INVOICE: ("number",), Entity.CREDIT_NOTE: ("number",)}


def as_left_by_platform(entity: Entity, platform_body: dict[str, Any], xero_body: dict[str, Any]) -> dict[str, Any]:
    """Xero's body with what Xero filled in, where the platform's body left it empty, emptied again."""
    filled = [
        name
        for name in _FILLED_IN_BY_XERO.get(entity, ())
        if platform_body.get(name) is None and xero_body.get(name) is not None
    ]
    return {**xero_body, **dict.fromkeys(filled)} if filled else xero_body


def holds_same(record: StoredRecord, fetched: FetchedRecord) -> bool:
    """Whether the platform already holds what Xero holds: alive or gone alike, and the same body
    (but for what Xero filled in)."""
    xeros = as_left_by_platform(record.entity, record.body, fetched.body)
    return record.deleted == fetched.deleted and same_body(record.entity, record.body, xeros)


class SyncedVersion(BaseModel):
    """The version of a record Xero last accepted, as the ledger may keep it beside the latest one."""

    model_config = ConfigDict(frozen=True)

    body: dict[str, Any]
    deleted: bool = False


def changed_in_xero(record: StoredRecord, fetched: FetchedRecord, synced: SyncedVersion | None = None) -> bool:
    """Step 2 (after step 1 found no echo): whether Xero's version differs, in what the platform holds,
    from the version Xero last accepted. `synced` is that version when the ledger keeps it; without
    it, and with the platform changed since, any difference counts as Xero's."""
    if not platform_changed(record):
        return not holds_same(record, fetched)
    if synced is None:
        return True
    xeros = as_left_by_platform(record.entity, synced.body, fetched.body)
    return fetched.deleted != synced.deleted or not same_body(record.entity, synced.body, xeros)
