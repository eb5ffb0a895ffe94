"""Webhook change notices folded into the fewest fetches (issue 5, §1).

Xero delivers at least once and in no promised order (FACTS.md §2.4), and an event carries no
record, only its id: ten events about one invoice mean one fetch of its current state. So the
notices of a batch are folded to distinct (tenant, category, resource), and each category's ids
are fetched in groups: 50 per IDs= call (about 52 GUIDs fit in Xero's URL, §4.2), 25 per call for
credit notes, which Xero lets us ask for by a `where` only (queries.py).

- CONTACT, INVOICE and CREDITNOTE are fetched from /Contacts, /Invoices (sales invoices and bills
  alike: the entity is the answered record's Type) and /CreditNotes, contacts first: a document
  fetched in the same pass can then name a contact already on the platform, and credit notes
  come last because their allocations name invoices.
- A category this version does not know (PREPAYMENT, OVERPAYMENT, SUBSCRIPTION...) is kept aside
  with its count, never raised on: reconciliation covers what it would have told.
- Order is stable: within a category by the resource's first event date, then its id, so the
  same notices always give the same fetches (and a redelivered batch the same calls).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shared.domain.inbound.instants import xero_instant
from shared.domain.inbound.queries import by_ids, ids_per_fetch
from shared.domain.webhook_events import ChangeNotice

# The collection each known category is fetched from, in the order the fetches run.
CATEGORY_COLLECTIONS: dict[str, str] = {"CONTACT": "Contacts", "INVOICE": "Invoices", "CREDITNOTE": "CreditNotes"}
# An event date that cannot be read sorts after every readable one.
_UNREADABLE = datetime.max.replace(tzinfo=None)


class FetchGroup(BaseModel):
    """One GET {collection}?IDs=... for one tenant."""

    model_config = ConfigDict(frozen=True)

    tenant_id: str
    category: str
    collection: str
    ids: tuple[str, ...]

    def params(self) -> dict[str, str]:
        """The query of the GET (IDs= or where, with line items and archived records)."""
        return by_ids(self.collection, self.ids)


class Coalesced(BaseModel):
    model_config = ConfigDict(frozen=True)

    fetches: tuple[FetchGroup, ...]
    unknown: tuple[ChangeNotice, ...]  # one per distinct unknown resource, kept for whoever can use them
    unknown_counts: dict[str, int]  # category -> notices received (duplicates included)
    folded: int  # notices that added nothing: a repeat of a resource already in the batch


def _when(notice: ChangeNotice) -> datetime:
    try:
        instant = xero_instant(notice.event_date_utc)
    except ValueError:
        instant = None
    return instant.replace(tzinfo=None) if instant is not None else _UNREADABLE


def coalesce(notices: Iterable[ChangeNotice], per_fetch: int | None = None) -> Coalesced:
    """The fetches that cover `notices`: distinct resources in stable order, chunked by what one read
    of the collection takes (or `per_fetch`, when smaller)."""
    if per_fetch is not None and per_fetch < 1:
        raise ValueError("a fetch asks for at least one id")
    first: dict[tuple[str, str, str], tuple[datetime, ChangeNotice]] = {}
    unknown_counts: Counter[str] = Counter()
    received = 0
    for notice in notices:
        received += 1
        category = notice.category.strip().upper()
        if category not in CATEGORY_COLLECTIONS:
            unknown_counts[category] += 1
        key = (notice.tenant_id, category, notice.resource_id.strip().lower())
        when = _when(notice)
        if key not in first or when < first[key][0]:
            first[key] = (when, notice)

    ordered = sorted(first.items(), key=lambda entry: (entry[1][0], entry[0][2]))
    fetches: list[FetchGroup] = []
    tenants = list(dict.fromkeys(tenant for (tenant, _, _), _ in ordered))
    for tenant in tenants:
        for category, collection in CATEGORY_COLLECTIONS.items():
            ids = [key[2] for key, _ in ordered if key[0] == tenant and key[1] == category]
            size = min(per_fetch or ids_per_fetch(collection), ids_per_fetch(collection))
            for start in range(0, len(ids), size):
                chunk = tuple(ids[start : start + size])
                fetches.append(FetchGroup(tenant_id=tenant, category=category, collection=collection, ids=chunk))
    unknown = tuple(notice for key, (_, notice) in ordered if key[1] not in CATEGORY_COLLECTIONS)
    return Coalesced(
        fetches=tuple(fetches), unknown=unknown, unknown_counts=dict(unknown_counts), folded=received - len(first)
    )
