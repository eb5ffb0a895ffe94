"""Reading invoices and credit notes: finding one by id or number, listing, and how a record is shown.

A stored document keeps its Contact as {ContactID, Name} and its money in full precision; what a
client sees is `present(req, record)`: the contact's current name, UnitAmount at 2 decimal places
unless the call says unitdp=4 (FACTS.md §4.6), and with summaryOnly=true no line items or
settlement lists (OAS-ACC `summaryOnly`: "only lightweight fields").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from xero_simulator.accounting.documents import DocumentKind
from xero_simulator.accounting.querying import ListRules, list_records
from xero_simulator.accounting.totals import rounded, unit_places
from xero_simulator.errors import found
from xero_simulator.routing import ApiRequest

# The computation-heavy parts of a document that summaryOnly=true leaves out.
_HEAVY_FIELDS = ("LineItems", "Payments", "CreditNotes", "Prepayments", "Overpayments", "Allocations")

RecordFilter = Callable[[ApiRequest, Iterable[dict[str, Any]]], Iterable[dict[str, Any]]]


def present(req: ApiRequest, record: dict[str, Any]) -> dict[str, Any]:
    """The document as Xero answers it to this call (a copy; the stored record is untouched)."""
    view = dict(record)
    contact = req.org.records("Contacts").get(str(record["Contact"]["ContactID"]))
    if contact is not None:
        view["Contact"] = {
            "ContactID": contact["ContactID"],
            "Name": contact.get("Name"),
            "ContactNumber": contact.get("ContactNumber"),
            "ContactStatus": contact.get("ContactStatus"),
        }
    if req.flag("summaryOnly"):
        for field in _HEAVY_FIELDS:
            view.pop(field, None)
    places = unit_places(req.int_param("unitdp"))
    if "LineItems" in view:
        view["LineItems"] = [
            {**line, "UnitAmount": rounded(line["UnitAmount"], places)} if "UnitAmount" in line else line
            for line in view["LineItems"]
        ]
    return view


def find_document(req: ApiRequest, kind: DocumentKind, key: str) -> dict[str, Any] | None:
    """The document whose id or (Xero accepts both in the path) number is `key`; numbered type first."""
    records = req.org.records(kind.collection)
    found = records.get(key.strip().lower())
    if found is not None:
        return found
    wanted = key.strip().lower()
    matches = [r for r in records.values() if str(r.get(kind.number_field) or "").strip().lower() == wanted]
    matches.sort(key=lambda r: r["Type"] != kind.numbered_type)
    return matches[0] if matches else None


def document_or_404(req: ApiRequest, kind: DocumentKind, key: str) -> dict[str, Any]:
    return found(find_document(req, kind, key))


def created_by_my_app(req: ApiRequest, records: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """createdByMyApp=true: only documents this app created (OAS-ACC GET /Invoices)."""
    if not req.flag("createdByMyApp"):
        return records
    return [r for r in records if r.get("_created_by") == req.app.client_id]


def search_term(fields: tuple[str, ...]) -> RecordFilter:
    """searchTerm=: a case-insensitive text search across `fields` (OAS-ACC `searchTerm`)."""

    def matching(req: ApiRequest, records: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        term = (req.query.get("searchterm") or "").strip().lower()
        if not term:
            return records
        return [r for r in records if any(term in str(r.get(f) or "").lower() for f in fields)]

    return matching


def list_documents(
    req: ApiRequest, kind: DocumentKind, rules: ListRules, filters: Iterable[RecordFilter] = ()
) -> dict[str, Any]:
    """GET of a document collection: the simulator's own filters, then Xero's list rules, then `present`."""
    records: Iterable[dict[str, Any]] = req.org.records(kind.collection).values()
    for keep in filters:
        records = keep(req, records)
    page, pagination = list_records(req, records, rules)
    payload: dict[str, Any] = {kind.collection: [present(req, r) for r in page]}
    if pagination is not None:
        payload["pagination"] = pagination
    return payload
