"""Bank transactions in Xero that no platform record accounts for, flagged for a person to review.

One page of Xero's BankTransactions per request (pageSize=1000, FACTS.md §4.2): one budgeted call
at a user's priority, within the API's 30 seconds however large the organisation; the answer says
the next page while a page came back full. Only AUTHORISED transactions dated on or after `since`
are read (`where`, ordered by date); a deleted one moved no money. If-Modified-Since is sent only
when the platform gives `modified_since` (polling for what is new since its last look): the date
filter alone cannot use it, since a transaction entered today may be dated last month, and one
entered last month may be dated today. Bank statement lines are not read: the Accounting API has
none (they belong to Xero's Bank Feeds API), so IsReconciled, whether Xero matched the transaction
to a statement line, is answered as Xero gives it.

Each transaction is matched against the tenant's payment records (bank_matching.py): by Xero id
through the ledger, else by amount, bank account, date and reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.domain.ledger import StoredRecord
from shared.domain.records import Entity
from shared.observability import logger
from shared.ports.records import RecordStore, SyncSettingsStore
from shared.usecases.reports.bank_matching import (
    MATCH_DAYS,
    PlatformMoney,
    Verdict,
    bank_line,
    platform_money,
    review,
)
from shared.usecases.reports.tenant_calls import TenantCalls

PAGE_SIZE = 1000  # Xero's largest page (FACTS.md §4.2)
RECORDS_PAGE = 1000  # payment records read from the store at a time


@dataclass(frozen=True)
class BankReviewPage:
    since: date
    page: int
    verdicts: list[Verdict]  # every transaction of the page, matched or not
    next_page: int | None  # None on the last page

    @property
    def flagged(self) -> list[Verdict]:
        return [verdict for verdict in self.verdicts if not verdict.matched]


@dataclass(frozen=True)
class BankReview:
    calls: TenantCalls
    records: RecordStore
    settings: SyncSettingsStore

    def unmatched(
        self, tenant_id: str, since: date, page: int = 1, modified_since: datetime | None = None
    ) -> BankReviewPage:
        """One page of the tenant's bank transactions dated from `since`, each with its verdict."""
        xero = self.calls.open(tenant_id)
        params = {
            "where": f'Date>=DateTime({since.year},{since.month:02d},{since.day:02d}) AND Status=="AUTHORISED"',
            "order": "Date ASC",
            "page": str(page),
            "pageSize": str(PAGE_SIZE),
        }
        answer = xero.get("/BankTransactions", params, if_modified_since=modified_since)
        elements = answer.body.get("BankTransactions")
        lines = [bank_line(e) for e in elements if isinstance(e, dict)] if isinstance(elements, list) else []
        verdicts = review(lines, self._payments(tenant_id, since))
        flagged = sum(1 for verdict in verdicts if not verdict.matched)
        logger.info("bank transactions reviewed", extra={"transactions": len(lines), "flagged": flagged})
        return BankReviewPage(since, page, verdicts, page + 1 if len(lines) >= PAGE_SIZE else None)

    def _payments(self, tenant_id: str, since: date) -> list[PlatformMoney]:
        """The tenant's payment records that could account for a transaction dated from `since`."""
        settings = self.settings.get(tenant_id)
        bank_accounts = settings.bank_accounts if settings else {}
        found = []
        for record in _all_payments(self.records, tenant_id):
            money = platform_money(record, bank_accounts)
            if money is not None and (since - money.on).days <= MATCH_DAYS:
                found.append(money)
        return found


def _all_payments(records: RecordStore, tenant_id: str) -> list[StoredRecord]:
    found: list[StoredRecord] = []
    cursor: str | None = None
    while True:
        page, cursor = records.listing(tenant_id, Entity.PAYMENT, None, RECORDS_PAGE, cursor)
        found += page
        if cursor is None:
            return found
