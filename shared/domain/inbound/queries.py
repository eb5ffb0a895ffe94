"""How xero-sync reads each Xero collection: the parameters every read carries, by id or by listing.

Each one guards against a way a read silently misses what it needs (FACTS.md §4.2, §4.3, §4.6):
- `page` on Invoices, CreditNotes, Contacts, Payments, BankTransactions: unpaged multi-record
  GETs leave out line items; paged ones (pageSize up to 1000) carry them.
- `includeArchived=true` on Contacts and TrackingCategories: archived records are hidden without
  it, and an archived contact missing from an answer would read as not found, never as archived.
- `unitdp=4` on documents, items and bank transactions: unit amounts are rounded to 2 places
  otherwise, and a price of 12.3456 would read back as a change.
- By id: `IDs=` on Contacts and Invoices (50 per call: about 52 GUIDs fit in the URL). GET
  /CreditNotes takes no IDs= (OAS-ACC), so credit notes are asked for with a `where` of
  CreditNoteID==Guid("...") joined by OR, 25 per call, to stay within the same URL length.
- If-Modified-Since only where Xero honours it: not on TaxRates or TrackingCategories (§4.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PAGE_SIZE = 1000
IDS_PER_FETCH = 50
WHERE_IDS_PER_FETCH = 25


@dataclass(frozen=True)
class CollectionRead:
    collection: str
    id_field: str
    paged: bool  # takes page and pageSize
    if_modified_since: bool  # honours the If-Modified-Since header
    ids_param: bool  # takes IDs=
    params: dict[str, str] = field(default_factory=dict)  # carried by every read


READS: dict[str, CollectionRead] = {
    read.collection: read
    for read in (
        CollectionRead("Contacts", "ContactID", True, True, True, {"includeArchived": "true"}),
        CollectionRead("Invoices", "InvoiceID", True, True, True, {"unitdp": "4"}),
        CollectionRead("CreditNotes", "CreditNoteID", True, True, False, {"unitdp": "4"}),
        CollectionRead("Payments", "PaymentID", True, True, False),
        CollectionRead("Items", "ItemID", False, True, False, {"unitdp": "4"}),
        CollectionRead("Accounts", "AccountID", False, True, False),
        CollectionRead("TaxRates", "TaxType", False, False, False),
        CollectionRead("TrackingCategories", "TrackingCategoryID", False, False, False, {"includeArchived": "true"}),
        CollectionRead("BankTransactions", "BankTransactionID", True, True, False, {"unitdp": "4"}),
    )
}


def ids_per_fetch(collection: str) -> int:
    """How many ids one read by id asks for."""
    return IDS_PER_FETCH if READS[collection].ids_param else WHERE_IDS_PER_FETCH


def by_ids(collection: str, ids: Sequence[str]) -> dict[str, str]:
    """The query of one read of `ids` (at most ids_per_fetch) from `collection`, with its line items."""
    read = READS[collection]
    if not ids or len(ids) > ids_per_fetch(collection):
        raise ValueError(f"a read by id asks for 1 to {ids_per_fetch(collection)} ids, not {len(ids)}")
    params = dict(read.params)
    if read.paged:
        params["page"] = "1"  # every id fits in the first page (default size 100)
    if read.ids_param:
        params["IDs"] = ",".join(ids)
    else:
        params["where"] = " OR ".join(f'{read.id_field}==Guid("{item_id}")' for item_id in ids)
    return params
