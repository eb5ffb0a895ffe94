"""The change feed's answer bodies: the changes made in Xero, as the platform reads them with a cursor.

A change carries the same fields as its event on the bus (docs/events.md), so a platform may act on
either and key its action on (tenant, entity, platform id, version).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from shared.domain.inbound.changes import ChangeKind, ConflictSides, RecordChange
from shared.domain.inbound.settings import SyncedKind
from shared.usecases.change_feed import ChangesPage


class ChangeEntry(BaseModel):
    kind: ChangeKind = Field(description="created, updated, deleted (voided, deleted or archived in Xero) or conflict")
    entity: SyncedKind = Field(
        description="the platform record's entity, or the reference data read from Xero (account, tax_rate, "
        "tracking_category)"
    )
    platform_id: str = Field(description="the platform's id of the record; `xero-<Xero id>` for one created from Xero")
    xero_id: str
    version: int = Field(description="the record's version after the change")
    at: datetime = Field(description="when xero-sync applied the change")
    body: dict[str, Any] | None = Field(description="the record's body after the change (none for a conflict)")
    xero_status: str | None = Field(description="the record's status in Xero (PAID, VOIDED, ARCHIVED, ...)")
    conflict: ConflictSides | None = Field(
        description="for a conflict: both versions, the side that won and the rule that decided"
    )
    cursor: str = Field(description="read on from here to get the changes after this one")

    @classmethod
    def of(cls, change: RecordChange) -> ChangeEntry:
        return cls(
            kind=change.kind,
            entity=change.entity,
            platform_id=change.platform_id,
            xero_id=change.xero_id,
            version=change.version,
            at=change.at,
            body=change.body,
            xero_status=change.xero_status,
            conflict=change.conflict,
            cursor=change.cursor(),
        )


class ChangeFeedPage(BaseModel):
    changes: list[ChangeEntry] = Field(description="oldest first")
    next_cursor: str | None = Field(
        description="pass as `cursor` to read on; the same cursor when nothing new has come (poll again later)"
    )

    @classmethod
    def of(cls, page: ChangesPage) -> ChangeFeedPage:
        return cls(changes=[ChangeEntry.of(change) for change in page.changes], next_cursor=page.cursor)
