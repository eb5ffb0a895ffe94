"""An Exporter that settles each named record at once, as the sync worker's push would after Xero answered.

Every record that exists becomes SYNCED at its current version with a Xero id, unless a test
scripted Xero's refusal for it with `refuse` (FAILED with Xero's message) or held it with `hold`
(Xero did not answer in time: the record is answered as it stands). Records that do not exist
are left out of the answer, as the Exporter protocol says.
"""

from __future__ import annotations

import uuid

from shared.clock import Clock
from shared.domain.ledger import Outcome, StoredRecord, SyncState
from shared.domain.records import Entity
from shared.ports.records import RecordStore


class SettlingExporter:
    def __init__(self, store: RecordStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._refusals: dict[str, str] = {}  # platform id -> Xero's message
        self._held: set[str] = set()
        self.asked: list[list[str]] = []

    def refuse(self, platform_id: str, message: str) -> None:
        """Xero will refuse this record with `message`."""
        self._refusals[platform_id] = message

    def hold(self, platform_id: str) -> None:
        """Xero will not answer for this record before the export answers."""
        self._held.add(platform_id)

    def export(self, tenant_id: str, entity: Entity, platform_ids: list[str]) -> list[StoredRecord]:
        self.asked.append(list(platform_ids))
        settled = []
        for record in self._store.get_many(tenant_id, entity, platform_ids).values():
            if record.platform_id in self._held:
                settled.append(record)
                continue
            refusal = self._refusals.get(record.platform_id)
            outcome = (
                Outcome(state=SyncState.FAILED, message=refusal)
                if refusal is not None
                else Outcome(state=SyncState.SYNCED, xero_id=str(uuid.uuid4()), xero_status="AUTHORISED")
            )
            after = self._store.settle(
                tenant_id, entity, record.platform_id, record.version, outcome, now=self._clock.now()
            )
            assert after is not None
            settled.append(after)
        return settled
