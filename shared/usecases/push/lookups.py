"""The platform records a page of pending records depends on, read in bulk and kept for the push.

Mapping a document needs its contact's Xero id; a payment its document's. Read one at a time,
5,000 invoices would cost 5,000 reads; `prefetch` reads a page's dependencies with one bulk read
per entity. `missing` remembers which dependencies had no Xero id, so the push can tell "waits
for a contact still on its way" (try again this run) from "waits for a contact that failed" (park).
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.domain.ledger import SENDABLE, StoredRecord
from shared.domain.records import Bill, CreditNote, Document, Entity, Invoice, Payment
from shared.ports.records import RecordStore
from shared.usecases.push.plans import FEE_SUPPLIER_ID


class Lookups:
    def __init__(self, store: RecordStore, tenant_id: str) -> None:
        self._store = store
        self._tenant_id = tenant_id
        self._known: dict[tuple[Entity, str], StoredRecord | None] = {}
        self.missing: list[tuple[Entity, str]] = []

    def prefetch(self, records: Iterable[StoredRecord]) -> None:
        """Read what `records` depend on, in one bulk read per entity."""
        wanted: dict[Entity, set[str]] = {}
        for record in records:
            for entity, platform_id in dependencies(record):
                if (entity, platform_id) not in self._known:
                    wanted.setdefault(entity, set()).add(platform_id)
        for entity, ids in wanted.items():
            found = self._store.get_many(self._tenant_id, entity, sorted(ids))
            for platform_id in ids:
                self._known[entity, platform_id] = found.get(platform_id)

    def forget(self, entity: Entity, platform_id: str) -> None:
        """A dependency changed in this run (it reached Xero): read it again when next asked."""
        self._known.pop((entity, platform_id), None)

    def record(self, entity: Entity, platform_id: str) -> StoredRecord | None:
        key = (entity, platform_id)
        if key not in self._known:
            self._known[key] = self._store.get(self._tenant_id, entity, platform_id)
        return self._known[key]

    def xero_id_of(self, entity: Entity, platform_id: str) -> str | None:
        record = self.record(entity, platform_id)
        xero_id = record.xero_id if record is not None and not record.deleted else None
        if xero_id is None:
            self.missing.append((entity, platform_id))
        return xero_id

    def document_of(self, entity: Entity, platform_id: str) -> Document | None:
        record = self.record(entity, platform_id)
        if record is None:
            return None
        document = record.parsed()
        return document if isinstance(document, Invoice | Bill) else None

    def on_its_way(self) -> bool:
        """Whether a dependency found missing since `missing` was cleared is still to be sent."""
        for entity, platform_id in self.missing:
            record = self.record(entity, platform_id)
            if record is None and (entity, platform_id) == (Entity.CONTACT, FEE_SUPPLIER_ID):
                return True  # the push writes the fee supplier once a payment needs it
            if record is not None and record.state in SENDABLE:
                return True
        return False


def dependencies(record: StoredRecord) -> list[tuple[Entity, str]]:
    """The platform records `record` names: a document's contact, a payment's document (and its
    contact), a credit note's contact and the documents it is allocated to."""
    body = record.parsed()
    if isinstance(body, Invoice | Bill):
        return [(Entity.CONTACT, body.contact_id)]
    if isinstance(body, CreditNote):
        document = Entity.INVOICE if body.kind == "sales" else Entity.BILL
        return [(Entity.CONTACT, body.contact_id), *((document, a.invoice_id) for a in body.allocations)]
    if isinstance(body, Payment) and body.invoice_id:
        return [(Entity.INVOICE if body.document == "invoice" else Entity.BILL, body.invoice_id)]
    return []
