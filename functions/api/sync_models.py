"""The sync API's bodies: sync status per entity, a triggered sync, and the platform's on/off switch.

The settings are answered in their domain model as it is (shared/domain/sync_settings.py): it is
the contract. The reference data is answered as Xero's fields of its domain model
(shared/domain/reference_data.py), without what xero-sync keeps beside them for itself.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.inbound.backfill import BackfillProgress, KindPhase
from shared.domain.inbound.reconcile_state import ReconcileState
from shared.domain.inbound.settings import SyncedKind
from shared.domain.ledger import SyncState
from shared.domain.records import Entity
from shared.domain.reference_data import ReferenceData, XeroAccount, XeroTaxRate, XeroTrackingCategory
from shared.usecases.records import SyncStatus, TenantSyncStatus


class StateCounts(BaseModel):
    """How many of the entity's records are in each state."""

    # A state added to the ledger without a field here fails loudly instead of vanishing from the counts.
    model_config = ConfigDict(extra="forbid")

    pending: int
    in_flight: int
    synced: int
    failed: int
    skipped: int
    parked: int


class EntitySyncStatus(BaseModel):
    entity: Entity
    counts: StateCounts
    last_synced_at: datetime | None = Field(description="when a record of this entity last reached Xero")
    oldest_pending_at: datetime | None = Field(description="since when the oldest unsent change has waited")
    lag_seconds: int | None = Field(description="now minus `oldest_pending_at`; null when nothing waits")

    @classmethod
    def of(cls, status: SyncStatus) -> EntitySyncStatus:
        counts = status.counts
        return cls(
            entity=counts.entity,
            counts=StateCounts.model_validate({state.value: counts.counts.get(state, 0) for state in SyncState}),
            last_synced_at=counts.last_synced_at,
            oldest_pending_at=counts.oldest_pending_at,
            lag_seconds=int(status.lag.total_seconds()) if status.lag is not None else None,
        )


class KindReconciliation(BaseModel):
    kind: SyncedKind
    last_success: datetime | None = Field(
        description="when the last reconciliation read to Xero's last page began (its watermark); null: never"
    )
    next_due: datetime | None = Field(description="when it is next read from Xero; null: not scheduled")
    note: str = Field(description="why it is due when it is, or why it was put off (the last step's reason)")

    @classmethod
    def of(cls, state: ReconcileState) -> KindReconciliation:
        return cls(kind=state.kind, last_success=state.last_success, next_due=state.due_at, note=state.note)


class SyncStatusBody(BaseModel):
    enabled: bool = Field(description="the platform's switch: when false nothing is sent to Xero")
    entities: list[EntitySyncStatus] = Field(description="in the order records are sent (dependencies first)")
    reconciliation: list[KindReconciliation] = Field(
        default_factory=list,
        description="per kind read from Xero, its reconciliation (reading it all again, issue 5): the last "
        "success, when it is next due, and why; a kind never scheduled is absent",
    )

    @classmethod
    def of(cls, status: TenantSyncStatus, reconciliation: list[ReconcileState] | None = None) -> SyncStatusBody:
        return cls(
            enabled=status.enabled,
            entities=[EntitySyncStatus.of(entity) for entity in status.entities],
            reconciliation=[KindReconciliation.of(state) for state in reconciliation or []],
        )


class SyncTriggered(BaseModel):
    entities: list[Entity] = Field(description="what the sync worker will send, in this order")


class XeroReferenceBody(BaseModel):
    """The organisation's reference data as Xero last answered it; what xero-sync keeps beside it for
    itself (what the platform was told of each element) stays out."""

    organisation_name: str
    base_currency: str
    period_lock_date: date | None = None
    end_of_year_lock_date: date | None = None
    accounts: list[XeroAccount]
    tax_rates: list[XeroTaxRate]
    tracking_categories: list[XeroTrackingCategory]
    fetched_at: datetime = Field(description="when the whole copy was last read from Xero")

    @classmethod
    def of(cls, reference: ReferenceData) -> XeroReferenceBody:
        return cls.model_validate(reference.model_dump(include=set(cls.model_fields)))


class SyncEnabled(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(description="whether the tenant's records go to Xero (the platform's plan decides)")


class KindBackfill(BaseModel):
    kind: SyncedKind
    state: KindPhase = Field(description="waiting (not begun), running, done, or skipped (sent to Xero only)")
    records: int = Field(description="records Xero listed on the pages read so far")
    total: int | None = Field(description="Xero's count of the kind's records (pagination itemCount); null until known")
    pages: int = Field(description="pages read")
    page_count: int | None = Field(description="Xero's pageCount for the read; null until known")
    calls: int = Field(description="Xero calls made for this kind")
    note: str = Field(description="the last step's reason, as the reconciliation state holds it")


class InitialSyncBody(BaseModel):
    """The backfill from Xero (Xero's records to the platform) and the platform's records on their way to Xero."""

    done: bool = Field(description="every kind taken from Xero has been read to its last page")
    from_xero: list[KindBackfill] = Field(description="per kind, in the order they are read")
    calls: int = Field(description="Xero calls the backfill has made")
    calls_left: int = Field(description="at least this many calls are still needed (more if taking reads more)")
    day_calls_used: int = Field(description="the tenant's Xero calls in the last 24 hours, whatever made them")
    day_calls_left: int = Field(description="what is left of Xero's 5,000 calls a day for the tenant")
    backfill_day_calls_left: int = Field(description="what the backfill may still use today (a reserve is kept)")
    estimated_seconds: float | None = Field(
        description="time to finish at the pace the rate budget allows the backfill; null when done"
    )
    to_xero: list[EntitySyncStatus] = Field(description="the push of the platform's records, as the sync status")

    @classmethod
    def of(cls, progress: BackfillProgress, status: TenantSyncStatus) -> InitialSyncBody:
        return cls(
            done=progress.done,
            from_xero=[
                KindBackfill(
                    kind=kind.kind,
                    state=kind.phase,
                    records=kind.records,
                    total=kind.total,
                    pages=kind.pages,
                    page_count=kind.page_count,
                    calls=kind.calls,
                    note=kind.note,
                )
                for kind in progress.kinds
            ],
            calls=progress.calls,
            calls_left=progress.calls_left,
            day_calls_used=progress.day_calls_used,
            day_calls_left=progress.day_calls_left,
            backfill_day_calls_left=progress.backfill_day_calls_left,
            estimated_seconds=progress.estimated_seconds,
            to_xero=[EntitySyncStatus.of(entity) for entity in status.entities],
        )
