"""The bodies of reports and actions: marking a document paid, and bank transactions to review.

Reports are answered in their use case's model as they are (shared/usecases/reports/report_rows.py):
the tree of Xero's report with each money cell's amount as a decimal string.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from functions.api.record_models import PlatformIdField, RecordWithLedger
from shared.usecases.reports.bank_matching import MatchedBy, ReviewReason, Verdict
from shared.usecases.reports.bank_review import BankReviewPage
from shared.usecases.reports.mark_paid import MarkedPaid, MarkPaidRequest

Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]


class MarkPaidBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: dt.date = Field(description="when the money was received (or paid, for a bill)")
    bank_account: str = Field(
        min_length=1,
        max_length=255,
        description="the platform's bank account or card id, matched to a Xero bank account by the sync settings",
    )
    amount: Money | None = Field(default=None, description="the amount paid; Xero's amount due when absent")
    reference: str | None = Field(default=None, max_length=255, description="the payment's reference in Xero")
    payment_id: PlatformIdField | None = Field(
        default=None,
        description="the platform's id for the payment record; derived from the request when absent, so the "
        "same request made again answers the same payment",
    )

    def request(self) -> MarkPaidRequest:
        return MarkPaidRequest(
            paid_on=self.date,
            bank_account=self.bank_account,
            amount=self.amount,
            reference=self.reference,
            payment_id=self.payment_id,
        )


class MarkedPaidBody(BaseModel):
    payment: RecordWithLedger = Field(description="the payment record; the sync worker sends it to Xero")
    amount: Decimal = Field(description="the payment's amount")
    amount_due: Decimal | None = Field(
        description="what Xero said was due before this payment; null when the request repeats an earlier one"
    )
    replayed: bool = Field(description="the same request was made before: its payment, unchanged, and no Xero call")

    @classmethod
    def of(cls, marked: MarkedPaid) -> MarkedPaidBody:
        return cls(
            payment=RecordWithLedger.of(marked.payment),
            amount=Decimal(str(marked.payment.body["amount"])),
            amount_due=marked.amount_due,
            replayed=marked.replayed,
        )


class BankAccountRef(BaseModel):
    code: str | None
    name: str | None


class BankTransactionToReview(BaseModel):
    bank_transaction_id: str = Field(description="Xero's BankTransactionID")
    type: str = Field(description="Xero's Type: RECEIVE, SPEND, ...")
    date: dt.date | None
    amount: Decimal = Field(description="Xero's Total")
    currency: str | None
    bank_account: BankAccountRef
    contact: str | None = Field(description="the contact's name in Xero")
    reference: str | None
    is_reconciled: bool = Field(description="Xero's IsReconciled: matched to a bank statement line in Xero")
    reason: ReviewReason = Field(
        description="`no_platform_record`: no platform payment accounts for it; `possible_duplicate`: it looks "
        "like a platform payment Xero already holds, so Xero may count the money twice"
    )
    payment_id: str | None = Field(description="the platform payment it may duplicate")

    @classmethod
    def of(cls, verdict: Verdict) -> BankTransactionToReview:
        line = verdict.line
        return cls(
            bank_transaction_id=line.bank_transaction_id,
            type=line.type,
            date=line.on,
            amount=line.total,
            currency=line.currency,
            bank_account=BankAccountRef(code=line.account_code, name=line.account_name),
            contact=line.contact_name,
            reference=line.reference,
            is_reconciled=line.is_reconciled,
            reason=verdict.reason or ReviewReason.NO_PLATFORM_RECORD,
            payment_id=verdict.payment_id,
        )


class UnmatchedBankTransactions(BaseModel):
    since: dt.date
    page: int
    checked: int = Field(description="bank transactions on this page")
    matched_by_ledger: int = Field(description="matched to a platform payment by Xero id")
    matched_by_heuristic: int = Field(description="matched by amount, bank account, date and reference")
    unmatched: list[BankTransactionToReview] = Field(description="the transactions a person should review")
    next_page: int | None = Field(description="pass as `page` for the next page; null on the last page")

    @classmethod
    def of(cls, page: BankReviewPage) -> UnmatchedBankTransactions:
        by = [verdict.matched_by for verdict in page.verdicts]
        return cls(
            since=page.since,
            page=page.page,
            checked=len(page.verdicts),
            matched_by_ledger=by.count(MatchedBy.LEDGER),
            matched_by_heuristic=by.count(MatchedBy.HEURISTIC),
            unmatched=[BankTransactionToReview.of(verdict) for verdict in page.flagged],
            next_page=page.next_page,
        )
