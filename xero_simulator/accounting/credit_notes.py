"""Routes: credit notes (ACCRECCREDIT, ACCPAYCREDIT) under /CreditNotes (FACTS.md §4.9).

The same write, status and lock-date rules as invoices (document_writes.py, documents.py); no
discounts (FACTS.md §4.6); ACCRECCREDIT numbers are unique and generated as CN-0001, CN-0002...
RemainingCredit starts at the Total and falls as the credit note is allocated (allocations.py,
whose routes this module registers by importing it) or refunded.
"""

from __future__ import annotations

from typing import Any

from xero_simulator.accounting import allocations as _allocations  # noqa: F401 - registers its routes
from xero_simulator.accounting.batch import write_batch
from xero_simulator.accounting.document_views import document_or_404, list_documents, present
from xero_simulator.accounting.document_writes import save_document
from xero_simulator.accounting.documents import CREDIT_NOTE
from xero_simulator.accounting.querying import ListRules
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily

CREDIT_NOTE_LIST = ListRules(
    id_field="CreditNoteID",
    status_field="Status",
    pageable=True,
    detail_fields=("LineItems",),
)


@accounting.route("GET", "/CreditNotes", ScopeFamily.INVOICES)
def get_credit_notes(req: ApiRequest) -> dict[str, Any]:
    return list_documents(req, CREDIT_NOTE, CREDIT_NOTE_LIST)


@accounting.route("GET", "/CreditNotes/{CreditNoteID}", ScopeFamily.INVOICES)
def get_credit_note(req: ApiRequest) -> dict[str, Any]:
    return {"CreditNotes": [present(req, document_or_404(req, CREDIT_NOTE, req.path_params["CreditNoteID"]))]}


@accounting.route("PUT", "/CreditNotes", ScopeFamily.INVOICES)
def create_credit_notes(req: ApiRequest) -> dict[str, Any]:
    return write_batch(
        req, "CreditNotes", lambda r, element: present(r, save_document(r, CREDIT_NOTE, element, create_only=True))
    )


@accounting.route("POST", "/CreditNotes", ScopeFamily.INVOICES)
def update_or_create_credit_notes(req: ApiRequest) -> dict[str, Any]:
    return write_batch(req, "CreditNotes", lambda r, element: present(r, save_document(r, CREDIT_NOTE, element)))


@accounting.route("POST", "/CreditNotes/{CreditNoteID}", ScopeFamily.INVOICES)
def update_credit_note(req: ApiRequest) -> dict[str, Any]:
    credit_note_id = document_or_404(req, CREDIT_NOTE, req.path_params["CreditNoteID"])["CreditNoteID"]
    return write_batch(
        req,
        "CreditNotes",
        lambda r, element: present(r, save_document(r, CREDIT_NOTE, element, path_id=credit_note_id)),
    )
