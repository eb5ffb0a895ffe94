"""Routes: sales invoices (ACCREC) and bills (ACCPAY) under /Invoices (FACTS.md §4.4, §4.6, §4.7).

PUT creates; POST creates or updates (by InvoiceID, or by InvoiceNumber for ACCREC); both take
batches with summarizeErrors. GET lists with Xero's filters and paging (line items only on paged
lists and single GETs), or fetches one by InvoiceID or InvoiceNumber. The rules themselves live in
documents.py (statuses, lock dates, settlement), document_writes.py and line_items.py.
"""

from __future__ import annotations

from typing import Any

from xero_simulator.accounting.batch import write_batch
from xero_simulator.accounting.document_views import (
    created_by_my_app,
    document_or_404,
    list_documents,
    present,
    search_term,
)
from xero_simulator.accounting.document_writes import save_document
from xero_simulator.accounting.documents import INVOICE
from xero_simulator.accounting.querying import ListRules
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily

INVOICE_LIST = ListRules(
    id_field="InvoiceID",
    id_filters={"invoicenumbers": "InvoiceNumber", "contactids": "Contact.ContactID"},
    status_field="Status",
    pageable=True,
    detail_fields=("LineItems",),
    # includeArchived names "Invoices with a status of ARCHIVED" (OAS-ACC), a status no invoice can
    # have: the parameter is accepted and changes nothing.
)


@accounting.route("GET", "/Invoices", ScopeFamily.INVOICES)
def get_invoices(req: ApiRequest) -> dict[str, Any]:
    return list_documents(req, INVOICE, INVOICE_LIST, (created_by_my_app, search_term(("InvoiceNumber", "Reference"))))


@accounting.route("GET", "/Invoices/{InvoiceID}", ScopeFamily.INVOICES)
def get_invoice(req: ApiRequest) -> dict[str, Any]:
    return {"Invoices": [present(req, document_or_404(req, INVOICE, req.path_params["InvoiceID"]))]}


@accounting.route("PUT", "/Invoices", ScopeFamily.INVOICES)
def create_invoices(req: ApiRequest) -> dict[str, Any]:
    return write_batch(
        req, "Invoices", lambda r, element: present(r, save_document(r, INVOICE, element, create_only=True))
    )


@accounting.route("POST", "/Invoices", ScopeFamily.INVOICES)
def update_or_create_invoices(req: ApiRequest) -> dict[str, Any]:
    return write_batch(req, "Invoices", lambda r, element: present(r, save_document(r, INVOICE, element)))


@accounting.route("POST", "/Invoices/{InvoiceID}", ScopeFamily.INVOICES)
def update_invoice(req: ApiRequest) -> dict[str, Any]:
    invoice_id = document_or_404(req, INVOICE, req.path_params["InvoiceID"])["InvoiceID"]
    return write_batch(
        req, "Invoices", lambda r, element: present(r, save_document(r, INVOICE, element, path_id=invoice_id))
    )
