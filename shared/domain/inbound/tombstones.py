"""When a record is gone in Xero, and when it is only not found (issue 5, §3: "a transient failure is
never taken for a deletion").

Only an explicit status is a tombstone, read from the record Xero answered:
- invoices, bills and credit notes: VOIDED or DELETED (Xero has no DELETE for them, FACTS.md §4.1);
- contacts: ARCHIVED (Xero's only way to remove one, §4.10) and GDPRREQUEST (the person asked for
  their data to be erased: the platform must not keep a live copy either);
- payments: DELETED (§4.8).
Items have no status: DELETE /Items/{id} removes them. An item is gone only when a complete
listing (GET /Items answers every item in one call, unpaged, without If-Modified-Since) was
answered and does not hold it; it is then taken as Xero's element of it with the status ITEM_GONE
(`gone_item`), so the same decisions (echo, conflict, the tenant's sync_deletions) apply.

A record asked for by IDs= and missing from the answer is NOT FOUND, never deleted: Xero answers
what the token may see, its search may lag a write, and a 404 names a wrong id as often as a
removed one. The record is kept and fetched again later; reconciliation settles it.

Final statuses are tombstones Xero never brings back (a voided invoice cannot be edited or
un-voided, a deleted payment not restored); an archived contact can be made ACTIVE again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.domain.inbound.queries import READS
from shared.domain.records import Entity

_DOCUMENT_GONE = frozenset({"VOIDED", "DELETED"})
TOMBSTONE_STATUSES: dict[Entity, frozenset[str]] = {
    Entity.INVOICE: _DOCUMENT_GONE,
    Entity.BILL: _DOCUMENT_GONE,
    Entity.CREDIT_NOTE: _DOCUMENT_GONE,
    Entity.CONTACT: frozenset({"ARCHIVED", "GDPRREQUEST"}),
    Entity.PAYMENT: frozenset({"DELETED"}),
    Entity.ITEM: frozenset({"DELETED"}),  # given by xero-sync to an item a complete listing lacks (gone_item)
}
FINAL_STATUSES: dict[Entity, frozenset[str]] = {
    Entity.INVOICE: _DOCUMENT_GONE,
    Entity.BILL: _DOCUMENT_GONE,
    Entity.CREDIT_NOTE: _DOCUMENT_GONE,
    Entity.CONTACT: frozenset({"GDPRREQUEST"}),
    Entity.PAYMENT: frozenset({"DELETED"}),
    Entity.ITEM: frozenset({"DELETED"}),  # a deleted item's id is never used again
}
ITEM_GONE = "DELETED"
# The status field of each entity's records, where it is not Status.
STATUS_FIELDS: dict[Entity, str] = {Entity.CONTACT: "ContactStatus"}


def xero_status(entity: Entity, element: dict[str, Any]) -> str | None:
    """The record's status as Xero answered it (ContactStatus for contacts, Status otherwise)."""
    status = element.get(STATUS_FIELDS.get(entity, "Status"))
    return str(status).strip().upper() if status else None


def is_tombstone(entity: Entity, status: str | None) -> bool:
    """Whether a record of `entity` in this Xero status is gone from Xero's books."""
    return status is not None and status.upper() in TOMBSTONE_STATUSES[entity]


def is_final(entity: Entity, status: str | None) -> bool:
    """Whether the status is a tombstone Xero never reverses (the platform cannot win against it)."""
    return status is not None and status.upper() in FINAL_STATUSES[entity]


class FetchAnswer(BaseModel):
    """An IDs= answer sorted out: the records found by id, and the ids asked for and not answered."""

    model_config = ConfigDict(frozen=True)

    found: dict[str, dict[str, Any]]  # lower-cased id -> the element
    not_found: tuple[str, ...]  # keep and retry: never a deletion


def sort_answer(asked: Iterable[str], elements: Iterable[dict[str, Any]], collection: str) -> FetchAnswer:
    """Match the elements of an IDs= answer to the ids asked for (GUIDs compare case-insensitively).

    An element of an id not asked for is kept too (Xero answered it; it is real).
    """
    id_field = READS[collection].id_field
    found = {str(element[id_field]).lower(): element for element in elements if element.get(id_field)}
    not_found = tuple(dict.fromkeys(key.lower() for key in asked if key.lower() not in found))
    return FetchAnswer(found=found, not_found=not_found)


def items_gone(known: Iterable[str], listed: Iterable[str], *, complete: bool) -> tuple[str, ...]:
    """The Xero ids of known items that a listing proves deleted: none unless the listing is complete.

    `complete` is True only for an answered GET /Items without If-Modified-Since or a where filter:
    a filtered or incremental listing leaves items out that still exist.
    """
    if not complete:
        return ()
    present = {item_id.lower() for item_id in listed}
    return tuple(item_id for item_id in dict.fromkeys(known) if item_id.lower() not in present)


def gone_item(xero_id: str, body: dict[str, Any], at: datetime) -> dict[str, Any]:
    """Xero's element of an item a complete listing at `at` no longer holds, from its last `body` on the
    platform (the canonical item): its fields as Xero held them, the status ITEM_GONE, stamped `at`."""
    prices = {"SalesDetails": body.get("sale_price"), "PurchaseDetails": body.get("purchase_price")}
    element: dict[str, Any] = {
        "ItemID": xero_id,
        "Code": body.get("code"),
        "Name": body.get("name"),
        "Description": body.get("description"),
        "Status": ITEM_GONE,
        "UpdatedDateUTC": f"/Date({int(at.timestamp() * 1000)}+0000)/",
    }
    element |= {details: {"UnitPrice": price} for details, price in prices.items() if price is not None}
    return element
