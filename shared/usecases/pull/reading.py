"""Reading and taking the records of one run of the sync from Xero.

Each group of ids is read and its records taken (taking.py); what a record waits for (its contact,
the invoice a payment pays, the invoice a credit note is allocated to) is read and taken first, a
record of each at most once a run, three levels deep (a payment, its invoice, the invoice's
contact); the payments Xero lists on an invoice or bill that the platform knows neither as a
payment nor as a part of one are read after it (25 a call: GET /Payments takes no IDs=) and taken
as receipts. A record the platform knows by its Xero id is looked up once a run.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.domain.inbound.from_xero import FetchedRecord, InboundContext
from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings
from shared.usecases.pull.fetching import XeroReads
from shared.usecases.pull.report import PullReport
from shared.usecases.pull.taking import Taken, Taker, Waits
from shared.usecases.push.reference import current_reference
from shared.usecases.push.tenant_xero import TenantXero

if TYPE_CHECKING:
    from shared.usecases.pull.run import SyncPull

# A payment waits for its invoice, which waits for its contact: three levels of records brought first.
DEPENDENCY_DEPTH = 3
_COLLECTION_OF = {
    Entity.CONTACT: "Contacts",
    Entity.INVOICE: "Invoices",
    Entity.BILL: "Invoices",
    Entity.CREDIT_NOTE: "CreditNotes",
    Entity.PAYMENT: "Payments",
}


class Reading:
    """Reading and taking records for one run: the records others wait for first, the unknown
    payments of invoices and bills after them."""

    def __init__(  # noqa: PLR0917 - one run's reading parts, built in one place (_PullRun)
        self,
        pull: SyncPull,
        tenant_id: str,
        xero: TenantXero,
        settings: TenantSyncSettings,
        report: PullReport,
        deadline: datetime | None,
    ) -> None:
        self.pull, self.tenant_id, self.xero, self.settings, self.report = pull, tenant_id, xero, settings, report
        self.reads = XeroReads(xero, pull.clock.now, deadline)
        self.taker = Taker(tenant_id, pull.records, pull.feed, settings, self._context, pull.clock.now)
        self.tried: set[tuple[Entity, str]] = set()  # records read in this run because others waited for them
        self._made: InboundContext | None = None
        self._platform_ids: dict[tuple[Entity, str], str] = {}

    def take_all(self, collection: str, elements: list[dict[str, Any]], depth: int) -> None:
        """Take `elements`; bring over what they wait for, then take them again; then the unknown
        payments of the invoices and bills taken."""
        waiting_for: list[tuple[dict[str, Any], tuple[tuple[Entity, str], ...]]] = []
        paid: list[FetchedRecord] = []
        for element in elements:
            outcome = self.taker.take(collection, element)
            if isinstance(outcome, Waits):
                waiting_for.append((element, outcome.waits_for))
            elif isinstance(outcome, Taken) and outcome.record is not None and outcome.fetched.payment_ids:
                paid.append(outcome.fetched)
        if waiting_for:
            needed = {wait for _, waits in waiting_for for wait in waits if wait not in self.tried}
            if depth >= DEPENDENCY_DEPTH or not needed:
                self.taker.counts["waits_unmet"] = self.taker.counts.get("waits_unmet", 0) + len(waiting_for)
            else:
                self._bring(needed, depth)
                self.take_all(collection, [element for element, _ in waiting_for], depth + 1)
        unknown = [payment_id for fetched in paid for payment_id in fetched.payment_ids if not self._known(payment_id)]
        if unknown and depth < DEPENDENCY_DEPTH:
            for _, answer in self.reads.chunked("Payments", unknown):
                self.report.fetched += len(answer.found)
                self.take_all("Payments", list(answer.found.values()), depth + 1)

    def _bring(self, needed: set[tuple[Entity, str]], depth: int) -> None:
        """Read and take the records others wait for, by collection, contacts first."""
        self.tried |= needed
        by_collection: dict[str, list[str]] = {}
        for entity, xero_id in sorted(needed, key=lambda wait: (list(_COLLECTION_OF).index(wait[0]), wait[1])):
            by_collection.setdefault(_COLLECTION_OF[entity], []).append(xero_id)
        for collection, ids in by_collection.items():
            for _, answer in self.reads.chunked(collection, ids):
                self.report.fetched += len(answer.found)
                self.take_all(collection, list(answer.found.values()), depth + 1)

    def _known(self, payment_id: str) -> bool:
        records = self.pull.records
        found = records.find_by_xero_id(self.tenant_id, Entity.PAYMENT, payment_id)
        return found is not None or records.find_part(self.tenant_id, payment_id) is not None

    def _context(self) -> InboundContext:
        """The reading context, made on first use: the reference data may cost Xero calls."""
        if self._made is None:
            reference = current_reference(self.xero, self.pull.settings, self.pull.clock.now())
            self._made = InboundContext(self.settings, reference, self.platform_id_of)
        return self._made

    def platform_id_of(self, entity: Entity, xero_id: str) -> str | None:
        """The platform id of a Xero id, from the ledger. A record found stays found for the run (fifty
        invoices of one customer read its map once); one not found is asked again, as it may be
        brought over in this very run."""
        known = self._platform_ids.get((entity, xero_id))
        if known is not None:
            return known
        found = self.pull.records.find_by_xero_id(self.tenant_id, entity, xero_id)
        if found is None:
            return None
        self._platform_ids[(entity, xero_id)] = found.platform_id
        return found.platform_id
