"""Reports and actions under /v1/tenants/{tenant_id}: profit and loss, balance sheet, aged receivables
and payables, marking an invoice or bill paid, and the bank transactions to review.

Every route calls Xero through the tenant's rate budget at a user's priority: busy answers 429 with
Retry-After, Xero unavailable 503, a tenant not connected 409 (functions/api/errors.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.api.errors import problem_responses
from functions.api.report_models import MarkedPaidBody, MarkPaidBody, UnmatchedBankTransactions
from functions.api.routes.parameters import Deps, PlatformId, TenantId
from shared.observability import logger
from shared.usecases.reports.financial import AgedKind, Comparison, Timeframe
from shared.usecases.reports.mark_paid import PayableDocument
from shared.usecases.reports.report_rows import Report

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves __init__ unannotated

# Every answer that reads Xero: the tenant unknown, not connected, Xero refusing, busy or unavailable.
XERO_PROBLEMS = problem_responses(404, 409, 429, 502, 503)

Periods = Annotated[int | None, Query(ge=1, le=12, description="earlier periods to compare with (1 to 12)")]
TimeframeParam = Annotated[Timeframe | None, Query(description="the length of each earlier period")]
AsAt = Annotated[date | None, Query(alias="date", description="the report's date (YYYY-MM-DD)")]
ContactId = Annotated[
    str, Query(min_length=1, max_length=255, description="the platform's id of the contact (its record's id)")
]
Document = Annotated[PayableDocument, Path(description="`invoice` or `bill`")]


@router.get(
    "/tenants/<tenant_id>/reports/profit-and-loss",
    operation_id="getProfitAndLoss",
    summary="Read the profit and loss for a period",
    description="Xero's Profit and Loss (accrual basis) from `from` to `to`, both included: at most one year "
    "(compare earlier periods with `periods` and `timeframe`). One call to Xero from the tenant's rate budget.",
    tags=["reports"],
    responses={200: {"description": "The report"}, **XERO_PROBLEMS},
)
def profit_and_loss(
    tenant_id: TenantId,
    deps: Deps,
    *,
    start: Annotated[date, Query(alias="from", description="the first day of the period (YYYY-MM-DD)")],
    end: Annotated[date, Query(alias="to", description="the last day of the period (YYYY-MM-DD)")],
    periods: Periods = None,
    timeframe: TimeframeParam = None,
) -> Report:
    logger.append_keys(tenant_id=tenant_id)
    return deps.reports.profit_and_loss(tenant_id, start, end, Comparison(periods, timeframe))


@router.get(
    "/tenants/<tenant_id>/reports/balance-sheet",
    operation_id="getBalanceSheet",
    summary="Read the balance sheet at a date",
    description="Xero's Balance Sheet as at `date` (the end of the current month when absent). One call to Xero.",
    tags=["reports"],
    responses={200: {"description": "The report"}, **XERO_PROBLEMS},
)
def balance_sheet(
    tenant_id: TenantId, deps: Deps, as_at: AsAt = None, periods: Periods = None, timeframe: TimeframeParam = None
) -> Report:
    logger.append_keys(tenant_id=tenant_id)
    return deps.reports.balance_sheet(tenant_id, as_at, Comparison(periods, timeframe))


_AGED = "Xero's aged {what} of one contact, as Xero computes it: each open {documents} with what was paid, "
_AGED += "credited and is due, counting payments up to `date` (today when absent). Xero reports aged figures per "
_AGED += "contact only; 409 while the contact is not in Xero yet. One call to Xero."


@router.get(
    "/tenants/<tenant_id>/reports/aged-receivables",
    operation_id="getAgedReceivables",
    summary="Read a contact's aged receivables",
    description=_AGED.format(what="receivables", documents="invoice and sales credit note"),
    tags=["reports"],
    responses={200: {"description": "The report"}, **XERO_PROBLEMS},
)
def aged_receivables(tenant_id: TenantId, contact_id: ContactId, deps: Deps, as_at: AsAt = None) -> Report:
    logger.append_keys(tenant_id=tenant_id)
    return deps.reports.aged(tenant_id, AgedKind.RECEIVABLES, contact_id, as_at)


@router.get(
    "/tenants/<tenant_id>/reports/aged-payables",
    operation_id="getAgedPayables",
    summary="Read a contact's aged payables",
    description=_AGED.format(what="payables", documents="bill and purchase credit note"),
    tags=["reports"],
    responses={200: {"description": "The report"}, **XERO_PROBLEMS},
)
def aged_payables(tenant_id: TenantId, contact_id: ContactId, deps: Deps, as_at: AsAt = None) -> Report:
    logger.append_keys(tenant_id=tenant_id)
    return deps.reports.aged(tenant_id, AgedKind.PAYABLES, contact_id, as_at)


@router.post(
    "/tenants/<tenant_id>/records/<document>/<platform_id>/mark-paid",
    status_code=202,
    operation_id="markPaid",
    summary="Mark an invoice or bill paid",
    description="Writes a payment record against the invoice (or bill) for what Xero says is due, or `amount`, "
    "from the platform's `bank_account`; the sync worker sends it to Xero within seconds, as any payment. "
    "Reads the document from Xero first (one call). 409 while the document is not in Xero yet, or when Xero "
    "takes no payment against it (a draft, voided, already paid). Making the same request again answers the "
    "same payment.",
    tags=["records"],
    responses={202: {"description": "The payment, queued for Xero"}, **problem_responses(404, 409, 415, 429, 502, 503)},
)
def mark_paid(
    tenant_id: TenantId, document: Document, platform_id: PlatformId, request: MarkPaidBody, deps: Deps
) -> MarkedPaidBody:
    logger.append_keys(tenant_id=tenant_id)
    marked = deps.mark_paid.mark_paid(tenant_id, document, platform_id, request.request())
    logger.info("marked paid", extra={"document": document.value, "replayed": marked.replayed})
    return MarkedPaidBody.of(marked)


@router.get(
    "/tenants/<tenant_id>/bank-transactions/unmatched",
    operation_id="getUnmatchedBankTransactions",
    summary="List bank transactions no platform record accounts for",
    description="Reads one page (up to 1,000) of Xero's authorised bank transactions dated from `since` and "
    "flags for review those no platform payment accounts for: matched by Xero id through the ledger, else by "
    "amount, bank account, date (3 days either way) and reference. One that looks like a payment Xero already "
    "holds is flagged as a possible duplicate. One call to Xero per page.",
    tags=["reports"],
    responses={200: {"description": "The page's transactions to review"}, **XERO_PROBLEMS},
)
def unmatched_bank_transactions(
    tenant_id: TenantId,
    since: Annotated[date, Query(description="the earliest transaction date to read (YYYY-MM-DD)")],
    deps: Deps,
    page: Annotated[int, Query(ge=1, le=100_000, description="the page of Xero's transactions, from 1")] = 1,
    modified_since: Annotated[
        datetime | None,
        Query(description="only transactions created or changed in Xero since this instant (If-Modified-Since)"),
    ] = None,
) -> UnmatchedBankTransactions:
    logger.append_keys(tenant_id=tenant_id)
    if modified_since is not None and modified_since.tzinfo is None:
        modified_since = modified_since.replace(tzinfo=UTC)  # an instant without a zone is UTC
    return UnmatchedBankTransactions.of(deps.bank_review.unmatched(tenant_id, since, page, modified_since))
