"""Export now: the platform asks for chosen records to go to Xero at once and waits for the outcome.

The records API calls an Exporter (the sync worker's push, run in the API's invocation at a
user's priority) and reports "3 of 3 invoices exported" with each failure's reason.
"""

from __future__ import annotations

from typing import Protocol

from shared.domain.ledger import StoredRecord
from shared.domain.records import Entity


class Exporter(Protocol):
    def export(self, tenant_id: str, entity: Entity, platform_ids: list[str]) -> list[StoredRecord]:
        """Send the named records (and what they depend on) now; the records as they stand afterwards.
        Records that do not exist are left out of the answer."""
