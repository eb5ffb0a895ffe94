"""Telling the platform of the tenant's bank transactions (issue 5, §4: "if the tenant chooses, ...
bank transactions since a date"), a page of Xero's answer at a time.

Bank transactions are not platform records: each element read is compared with what the platform
was last told of it (shared/domain/inbound/told.py, kept in the told store, shared/ports/told.py),
and each change goes to the change feed; then what is now told is kept. The order repeats rather
than loses, as for the reference data (reference_told.py): a crash after the feed and before the
told store tells the same changes again next time, under the same identities, so the feed keeps
them once. A page says nothing of what it leaves out: reconciliation reads what changed since its
watermark, from the tenant's `since` on, so a transaction missing from it is not gone.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.domain.inbound.bank_transactions import ContactOf, bank_transaction_element
from shared.domain.inbound.changes import RecordChange
from shared.domain.inbound.from_xero import NotImportableError
from shared.domain.inbound.settings import InboundEntitySettings, SyncedKind
from shared.domain.inbound.told import Element, tell
from shared.domain.reference_data import ToldElement
from shared.observability import logger
from shared.ports.told import ToldElements
from shared.usecases.pull.run import SyncPull

KIND = SyncedKind.BANK_TRANSACTION


def tell_bank_transactions(
    pull: SyncPull,
    told: ToldElements,
    tenant_id: str,
    elements: Sequence[object],
    *,
    inbound: InboundEntitySettings,
    contact_of: ContactOf,
) -> list[RecordChange]:
    """Tell the changes of one page of Xero's BankTransactions and keep what is then told; the changes
    as the feed holds them (an entry taken again keeps the instant it was first appended with)."""
    read: dict[str, Element] = {}
    for element in elements:
        try:
            transaction = bank_transaction_element(element, contact_of)
        except NotImportableError as unreadable:
            logger.warning(
                "A bank transaction could not be read", extra={"tenant_id": tenant_id, "why": str(unreadable)}
            )
            continue
        read[transaction.xero_id] = transaction  # listed twice on one page (never by Xero): the last one
    before = told.get_many(tenant_id, KIND, read)
    now = pull.clock.now()
    changes: list[RecordChange] = []
    after: dict[str, ToldElement] = {}
    for xero_id, transaction in read.items():
        told_now = tell(tenant_id, transaction, before.get(xero_id), inbound, now)
        if told_now is not None:
            change, after[xero_id] = told_now
            changes.append(change)
    appended = [pull.feed.append(change) for change in changes]
    told.put_many(tenant_id, KIND, after)
    return appended
