"""One record fetched from Xero, taken onto the platform: read, decided, applied, told.

The steps for one element of Xero's answer:
1. Find the platform's record by its Xero id, or, when there is none, the payment whose part it
   is (a discount credit note, a fee bill: never a record of its own).
2. Read it into the platform's canonical body against the stored one (from_xero.read_record); a
   record that names one the platform lacks (its contact, its invoice) waits for it.
3. Decide (conflicts.decide) from what the ledger knows: Xero's stamp when xero-sync last wrote
   or read it, and the body Xero last accepted.
4. Append the change to the feed, then apply the decision to the record, conditioned on the
   version decided on. The feed comes first so that a crash between the two repeats a change
   (the next read decides the same again) rather than loses it; a record that moved in between
   (the platform wrote) takes the change back out of the feed (no reader saw it: the feed is
   served SETTLE behind) and is decided again from a fresh read.
5. The change's event goes out with the run's others, after the writes.

Every change the platform hears comes with a version of its own, the record's next one: a change
that leaves the body as it is (Xero's status alone moved, an invoice PAID in Xero; a conflict the
platform won) restates the body as a new version, synced as far as the one it replaces, so nothing
goes to Xero that was not going already (ledger_changes.restated).

A change of Xero's status alone that only xero-sync's own writes explain (an invoice PAID by the
payments and credit notes the push applied) is the echo of those writes: the ledger notes the new
status and the platform hears nothing, as it wrote them; its version stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.domain.inbound.changes import RecordChange, change_for
from shared.domain.inbound.conflicts import InboundAction, InboundDecision, PlatformEffect, before_reading, decide
from shared.domain.inbound.echo import SyncedVersion
from shared.domain.inbound.from_xero import (
    ID_FIELDS,
    FetchedRecord,
    InboundContext,
    NotImportableError,
    entity_of,
    read_record,
)
from shared.domain.ledger import StoredRecord, XeroEffect, XeroVersion
from shared.domain.ledger_changes import RecordMovedError
from shared.domain.platform_events import EventType, PlatformEvent
from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings
from shared.ports.change_feed import ChangeFeed
from shared.ports.records import RecordStore

# A record the platform writes while its Xero change is applied is decided again; this many times
# in a row means the platform is rewriting it constantly, and Xero's change waits for the next read.
DECISIONS_PER_RECORD = 3
# What Xero lists on an invoice or bill as applied to it, by the Xero id field of each entry.
_APPLIED_LISTS = {"Payments": "PaymentID", "CreditNotes": "CreditNoteID", "Prepayments": "PrepaymentID"}
_APPLIED_LISTS |= {"Overpayments": "OverpaymentID"}
_EFFECTS = {
    PlatformEffect.WRITE: XeroEffect.TAKE,
    PlatformEffect.DELETE: XeroEffect.DELETE,
    PlatformEffect.NONE: XeroEffect.NOTE,
}
_EVENT_TYPES = {
    "created": EventType.RECORD_CREATED,
    "updated": EventType.RECORD_UPDATED,
    "deleted": EventType.RECORD_DELETED,
    "conflict": EventType.RECORD_CONFLICT,
}


def platform_id_for(xero_id: str) -> str:
    """The platform id of a record created from Xero: the same on every worker and every retry, so a
    record is never created twice (and the platform can tell where it came from)."""
    return f"xero-{xero_id}"


def synced_version_of(record: StoredRecord) -> SyncedVersion | None:
    """The version Xero last accepted, when the ledger knows its body."""
    if record.synced_version is not None and record.synced_version == record.version:
        return SyncedVersion(body=record.body, deleted=record.deleted)
    if record.synced_body is not None:
        return SyncedVersion(body=record.synced_body, deleted=record.synced_deleted)
    return None


def event_of(change: RecordChange) -> PlatformEvent:
    """The bus event of a change (docs/events.md): the feed entry's fields, with its cursor."""
    detail = change.event_detail()
    return PlatformEvent(
        type=_EVENT_TYPES[change.kind.value], tenant_id=change.tenant_id, occurred_at=change.at, data=detail["data"]
    )


@dataclass(frozen=True)
class Taken:
    """A record read and decided: the decision and the platform's record after it (None: not on the platform)."""

    fetched: FetchedRecord
    decision: InboundDecision
    record: StoredRecord | None


@dataclass(frozen=True)
class Waits:
    """A record that names records the platform lacks: bring them over first, then read it again."""

    waits_for: tuple[tuple[Entity, str], ...]


@dataclass(frozen=True)
class Refused:
    """A record that cannot be taken (not readable, not the platform's kind, or skipped before reading)."""

    reason: str


TakeOutcome = Taken | Waits | Refused


@dataclass
class Taker:
    """Takes the elements of one tenant's answers from Xero; `events` and `counts` gather as it goes."""

    tenant_id: str
    records: RecordStore
    feed: ChangeFeed
    settings: TenantSyncSettings
    context: Callable[[], InboundContext]  # made on first use: reading needs the reference data
    now: Callable[[], datetime]
    events: list[PlatformEvent] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def take(self, collection: str, element: dict[str, Any]) -> TakeOutcome:
        """Read, decide and apply one element of a GET {collection} answer."""
        try:
            entity = entity_of(collection, element)
        except NotImportableError as refused:
            return self._refused("not_importable", str(refused))
        raw_id = element.get(ID_FIELDS[entity])
        if not raw_id:
            return self._refused("not_importable", f"no {ID_FIELDS[entity]}")
        xero_id = str(raw_id).lower()
        for _ in range(DECISIONS_PER_RECORD):
            outcome = self._take_once(collection, element, entity, xero_id)
            if outcome is not None:
                return outcome
        return self._refused("moved", "the platform kept writing the record")

    def own_applied(self, element: dict[str, Any]) -> bool:
        """Whether everything Xero lists as applied to this invoice or bill is xero-sync's own write
        (a payment record or part, a credit note record or part): then a status it moved to is ours."""
        for list_name, id_field in _APPLIED_LISTS.items():
            for entry in element.get(list_name) or []:
                xero_id = str(entry.get(id_field) or "").lower() if isinstance(entry, dict) else ""
                if not xero_id or not self._known_as_ours(list_name, xero_id):
                    return False
        return True

    def _known_as_ours(self, list_name: str, xero_id: str) -> bool:
        entity = {"Payments": Entity.PAYMENT, "CreditNotes": Entity.CREDIT_NOTE}.get(list_name)
        if entity is None:
            return False  # prepayments and overpayments are never xero-sync's
        found = self.records.find_by_xero_id(self.tenant_id, entity, xero_id)
        return found is not None or self.records.find_part(self.tenant_id, xero_id) is not None

    def _take_once(self, collection: str, element: dict[str, Any], entity: Entity, xero_id: str) -> TakeOutcome | None:
        """One read and decision; None when the record moved under it (decide again)."""
        record = self.records.find_by_xero_id(self.tenant_id, entity, xero_id)
        owner = None if record is not None else self.records.find_part(self.tenant_id, xero_id)
        inbound = self.settings.inbound.of(entity)
        part_of = f"{owner.entity.value} {owner.platform_id}" if owner is not None else None
        skipped = before_reading(entity, xero_id, inbound, part_of=part_of)
        if skipped is not None:
            return self._refused("skipped", skipped.reason)
        try:
            fetched = read_record(collection, element, self.context(), record.body if record is not None else None)
        except NotImportableError as refused:
            if refused.only_waits:
                return Waits(refused.waits_for)
            return self._refused("not_importable", str(refused))
        decision = decide(
            fetched,
            record,
            inbound,
            seen_at=record.xero_updated_at if record is not None else None,
            now=self.now(),
            synced=synced_version_of(record) if record is not None else None,
        )
        if decision.status_changed and decision.action is InboundAction.NO_CHANGE and self.own_applied(element):
            decision = decision.model_copy(update={"status_changed": False})
        try:
            after = self._apply(decision, record)
        except RecordMovedError:
            return None
        self._count(decision.action.value)
        return Taken(fetched, decision, after)

    def _apply(self, decision: InboundDecision, record: StoredRecord | None) -> StoredRecord | None:
        """Apply `decision` to `record` (None: new to the platform): feed first, then the record."""
        if record is None and decision.action is not InboundAction.APPLY:
            return None  # not taken onto the platform: nothing to remember of it
        platform_id = record.platform_id if record is not None else platform_id_for(decision.xero_id)
        # Every change the platform is told comes with a version of its own (it may deduplicate on
        # entity, platform id and version): the record's next one, even when its body stays.
        change = change_for(
            decision,
            tenant_id=self.tenant_id,
            platform_id=platform_id,
            version=record.version + 1 if record is not None else 1,
            at=self.now(),
            current_body=record.body if record is not None else None,
        )
        effect = _EFFECTS[decision.effect]
        if effect is XeroEffect.NOTE and change is not None:
            effect = XeroEffect.RESTATE  # Xero's status alone moved, or the platform won a conflict
        taken = XeroVersion(
            effect=effect,
            expected_version=record.version if record is not None else None,
            xero_id=decision.xero_id,
            xero_status=decision.xero_status,
            xero_updated_at=decision.xero_updated_at,
            has_applied=decision.has_applied,
            body=_new_body(decision) if effect in (XeroEffect.TAKE, XeroEffect.DELETE) else None,
            message=_history_line(decision, record),
        )
        if change is not None:
            # Taken again after a worker died before the record was written: kept once, as first appended.
            change = self.feed.append(change)
        try:
            after = self.records.apply_from_xero(self.tenant_id, decision.entity, platform_id, taken, now=self.now())
        except RecordMovedError:
            if change is not None:
                self.feed.remove(change)
            raise
        if change is not None:
            self.events.append(event_of(change))
            self._count(f"change_{change.kind.value}")
        return after

    def _refused(self, count: str, reason: str) -> Refused:
        self._count(count)
        return Refused(reason)

    def _count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1


def _new_body(decision: InboundDecision) -> dict[str, Any] | None:
    """Xero's body for a record the decision writes or deletes (the conflict's, when Xero won it)."""
    if decision.conflict is not None:
        return decision.conflict.xero_body
    return decision.body


def _history_line(decision: InboundDecision, record: StoredRecord | None) -> str | None:
    """The words of the record's history line, None when nothing is worth one (an echo's stamp)."""
    action = decision.action
    status = (decision.xero_status or "").lower()
    if action is InboundAction.APPLY:
        return "created from Xero" if record is None else "changed in Xero"
    if action is InboundAction.TOMBSTONE:
        return f"{status or 'deleted'} in Xero"
    if action is InboundAction.CONFLICT and decision.conflict is not None:
        return f"conflict with Xero: {decision.conflict.winner.value}'s version wins ({decision.conflict.rule.value})"
    if action is InboundAction.SKIP_FILTERED:
        return f"not taken from Xero: {decision.reason}"
    if decision.status_changed and decision.xero_status:
        return f"Xero status {decision.xero_status}"
    return None
