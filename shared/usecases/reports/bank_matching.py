"""Which of Xero's bank transactions a platform record accounts for, and which a person should review.

Bank transactions (spend and receive money, FACTS.md §4.11) are what an accountant enters straight
into a Xero bank account. The platform's money movements are its payment records: receipts against
invoices (money in) and payments of bills (money out). A transaction is matched:

1. by Xero id, through the ledger: a platform payment whose Xero id, or the id of anything it
   produced in Xero (its `linked` ids), is the transaction's BankTransactionID. Exact, and what
   any path that records a bank transaction against a platform record leaves behind;
2. else by a heuristic, because an accountant's Receive Money never carries a platform id: a
   platform payment of the same direction, into or out of the same Xero bank account (the tenant's
   settings.bank_accounts), of the same amount (or the amount net of the fee the platform kept),
   dated within MATCH_DAYS of it (a deposit clears a few days after the receipt), whose reference,
   when both sides have one, is the same. Each payment accounts for one transaction at most, the
   nearest in date (then the lowest id, so the answer is the same every time).

A heuristic match to a payment that is not in Xero (skipped, failed, still pending) accounts for
the transaction: the accountant entered the money the platform knows about. A heuristic match to a
payment Xero already holds is flagged instead, as a possible duplicate: Xero would count that money
twice, once as the platform's payment and once as this transaction. Everything else is flagged as
having no platform record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from shared.domain.ledger import StoredRecord
from shared.domain.mapping.xero_values import xero_date
from shared.domain.records import Payment

MATCH_DAYS = 3
_MONEY_IN = "RECEIVE"  # RECEIVE, RECEIVE-OVERPAYMENT, RECEIVE-PREPAYMENT, RECEIVE-TRANSFER
_CENT = Decimal("0.01")


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class MatchedBy(StrEnum):
    LEDGER = "ledger"
    HEURISTIC = "heuristic"


class ReviewReason(StrEnum):
    NO_PLATFORM_RECORD = "no_platform_record"
    POSSIBLE_DUPLICATE = "possible_duplicate"


@dataclass(frozen=True)
class BankLine:
    """One of Xero's bank transactions, as much of it as a reviewer needs."""

    bank_transaction_id: str
    type: str
    status: str
    on: date | None
    total: Decimal
    currency: str | None
    account_code: str | None
    account_name: str | None
    contact_name: str | None
    reference: str | None
    is_reconciled: bool

    @property
    def direction(self) -> Direction:
        return Direction.IN if self.type.startswith(_MONEY_IN) else Direction.OUT


@dataclass(frozen=True)
class PlatformMoney:
    """A platform payment record as the matching sees it."""

    platform_id: str
    direction: Direction
    on: date
    amounts: frozenset[Decimal]
    account_code: str | None  # the Xero bank account the tenant matched the payment's to
    reference: str | None
    xero_ids: frozenset[str]
    in_xero: bool


@dataclass(frozen=True)
class Verdict:
    line: BankLine
    matched_by: MatchedBy | None
    payment_id: str | None  # the platform payment matched, or the possible duplicate
    reason: ReviewReason | None  # why a person should look; None when matched

    @property
    def matched(self) -> bool:
        return self.reason is None


def bank_line(element: dict[str, Any]) -> BankLine:
    """A BankTransactions element of Xero's answer (money as Decimal, dates from MS-JSON or ISO)."""
    account = element.get("BankAccount") or {}
    contact = element.get("Contact") or {}
    try:
        total = Decimal(str(element.get("Total") or 0))
    except InvalidOperation:
        total = Decimal(0)
    try:
        on = xero_date(element.get("Date"))
    except ValueError:
        on = None
    return BankLine(
        bank_transaction_id=str(element.get("BankTransactionID") or ""),
        type=str(element.get("Type") or ""),
        status=str(element.get("Status") or ""),
        on=on,
        total=total.quantize(_CENT),
        currency=_text(element.get("CurrencyCode")),
        account_code=_text(account.get("Code")),
        account_name=_text(account.get("Name")),
        contact_name=_text(contact.get("Name")),
        reference=_text(element.get("Reference")),
        is_reconciled=bool(element.get("IsReconciled")),
    )


def platform_money(record: StoredRecord, bank_accounts: dict[str, str]) -> PlatformMoney | None:
    """A payment record as money the platform knows moved; None for a deleted one."""
    if record.deleted:
        return None
    payment = record.body_as(Payment)
    amounts = {payment.amount.quantize(_CENT)}
    if payment.fee:
        amounts.add((payment.amount - payment.fee).quantize(_CENT))
    return PlatformMoney(
        platform_id=record.platform_id,
        direction=Direction.IN if payment.document == "invoice" else Direction.OUT,
        on=payment.date,
        amounts=frozenset(amounts),
        account_code=bank_accounts.get(payment.bank_account),
        reference=payment.reference,
        xero_ids=frozenset({*([record.xero_id] if record.xero_id else []), *record.linked.values()}),
        in_xero=record.xero_id is not None,
    )


def review(lines: Sequence[BankLine], payments: Iterable[PlatformMoney]) -> list[Verdict]:
    """A verdict for each line, in the lines' order (see the module docstring for the rules)."""
    candidates = list(payments)
    by_xero_id = {xero_id: money for money in candidates for xero_id in money.xero_ids}
    used: set[str] = set()
    verdicts: dict[str, Verdict] = {}
    for line in lines:
        money = by_xero_id.get(line.bank_transaction_id)
        if money is not None:
            used.add(money.platform_id)
            verdicts[line.bank_transaction_id] = Verdict(line, MatchedBy.LEDGER, money.platform_id, None)
    # In date order, each line claims the nearest-dated fitting payment still free.
    for line in sorted((ln for ln in lines if ln.bank_transaction_id not in verdicts), key=_line_order):
        money = _nearest(line, (m for m in candidates if m.platform_id not in used))
        if money is None:
            verdicts[line.bank_transaction_id] = Verdict(line, None, None, ReviewReason.NO_PLATFORM_RECORD)
            continue
        used.add(money.platform_id)
        if money.in_xero:
            verdict = Verdict(line, None, money.platform_id, ReviewReason.POSSIBLE_DUPLICATE)
        else:
            verdict = Verdict(line, MatchedBy.HEURISTIC, money.platform_id, None)
        verdicts[line.bank_transaction_id] = verdict
    return [verdicts[line.bank_transaction_id] for line in lines]


def _nearest(line: BankLine, candidates: Iterable[PlatformMoney]) -> PlatformMoney | None:
    fitting = [money for money in candidates if _fits(line, money)]
    if not fitting or line.on is None:
        return None
    on = line.on
    return min(fitting, key=lambda money: (abs((money.on - on).days), money.platform_id))


def _fits(line: BankLine, money: PlatformMoney) -> bool:
    if line.on is None or money.account_code is None:
        return False
    return (
        money.direction is line.direction
        and money.account_code == line.account_code
        and line.total in money.amounts
        and abs((money.on - line.on).days) <= MATCH_DAYS
        and _same_reference(line.reference, money.reference)
    )


def _same_reference(xero: str | None, platform: str | None) -> bool:
    """References agree, or one side has none (an accountant often leaves it blank)."""
    if not xero or not platform:
        return True
    return xero.strip().casefold() == platform.strip().casefold()


def _line_order(line: BankLine) -> tuple[date, str]:
    return (line.on or date.min, line.bank_transaction_id)


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
