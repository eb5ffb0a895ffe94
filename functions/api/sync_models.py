"""The sync API's bodies: sync status per entity, a triggered sync, and the platform's on/off switch.

The settings and the reference data are answered in their domain models as they are
(shared/domain/sync_settings.py, shared/domain/reference_data.py): they are the contract.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.ledger import SyncState
from shared.domain.records import Entity
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


class SyncStatusBody(BaseModel):
    enabled: bool = Field(description="the platform's switch: when false nothing is sent to Xero")
    entities: list[EntitySyncStatus] = Field(description="in the order records are sent (dependencies first)")

    @classmethod
    def of(cls, status: TenantSyncStatus) -> SyncStatusBody:
        return cls(enabled=status.enabled, entities=[EntitySyncStatus.of(entity) for entity in status.entities])


class SyncTriggered(BaseModel):
    entities: list[Entity] = Field(description="what the sync worker will send, in this order")


class SyncEnabled(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(description="whether the tenant's records go to Xero (the platform's plan decides)")
