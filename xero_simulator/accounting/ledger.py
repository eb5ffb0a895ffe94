"""The organisation's general ledger: double-entry journals derived, on demand, from its posted records.

Xero keeps a journal for every posted document (its Journals endpoint); the simulator derives the
same journals from the records other routes keep, so reports always agree with the documents.
Accrual basis. Amounts are signed as Xero signs a journal line's NetAmount: debits positive,
credits negative, so every journal sums to zero.

Posting rules:
- ACCREC invoice: debit Accounts Receivable (SystemAccount DEBTORS) the Total, credit each line's
  account its net amount, credit the GST system account the tax. ACCPAY mirrors it through
  Accounts Payable (CREDITORS). ACCRECCREDIT / ACCPAYCREDIT credit notes reverse their invoices.
- RECEIVE / SPEND bank transactions post the same way with the bank account as the control account.
- A payment moves money between the bank account and DEBTORS / CREDITORS; a refund of a credit
  note (ARCREDITPAYMENT, APCREDITPAYMENT) moves it the other way.
- Only AUTHORISED and PAID invoices and credit notes post; DRAFT, SUBMITTED, DELETED and VOIDED do
  not. DELETED and VOIDED bank transactions and DELETED payments do not post.
- Allocating a credit note to an invoice posts nothing: both documents sit in the same control
  account (DEBTORS or CREDITORS), so the allocation changes only their AmountCredited / AmountDue,
  which the aged reports show.
- A document's Total that differs from its lines plus TotalTax posts the difference to the
  ROUNDING system account, as Xero does with tax rounded at document level.

Not modelled: multi-currency (every amount is taken as base currency), tracking, overpayments,
prepayments, manual journals, expense claims and payroll.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from xero_simulator.accounting.totals import ZERO, LineAmountTypes
from xero_simulator.world import Organisation

POSTED_DOCUMENT_STATUSES = frozenset({"AUTHORISED", "PAID"})
UNPOSTED_BANK_STATUSES = frozenset({"DELETED", "VOIDED"})

# Document type -> (control system account, +1 when the control account is debited).
_DOCUMENT_CONTROL = {
    "ACCREC": ("DEBTORS", 1),
    "ACCPAY": ("CREDITORS", -1),
    "ACCRECCREDIT": ("DEBTORS", -1),
    "ACCPAYCREDIT": ("CREDITORS", 1),
}

# Payment type -> (the document's control system account, +1 when the bank account is debited).
_PAYMENT_CONTROL = {
    "ACCRECPAYMENT": ("DEBTORS", 1),
    "ACCPAYPAYMENT": ("CREDITORS", -1),
    "ARCREDITPAYMENT": ("DEBTORS", -1),
    "APCREDITPAYMENT": ("CREDITORS", 1),
}
_PAYMENT_TYPE_OF_DOCUMENT = {
    "ACCREC": "ACCRECPAYMENT",
    "ACCPAY": "ACCPAYPAYMENT",
    "ACCRECCREDIT": "ARCREDITPAYMENT",
    "ACCPAYCREDIT": "APCREDITPAYMENT",
}


class UnpostableRecordError(ValueError):
    """A posted record the ledger cannot post (an account it names does not exist): a simulator bug."""


@dataclass(frozen=True)
class JournalLine:
    account_id: str
    amount: Decimal  # debit positive, credit negative


@dataclass(frozen=True)
class Journal:
    """One posting: Xero's SourceType names the kind of record it came from (ACCREC, CASHREC, ...)."""

    date: date
    source_type: str
    source_id: str
    lines: tuple[JournalLine, ...]

    @property
    def balanced(self) -> bool:
        return sum((line.amount for line in self.lines), ZERO) == ZERO


class ChartOfAccounts:
    """The organisation's accounts, found by AccountID, by Code or by their SystemAccount role."""

    def __init__(self, accounts: Iterable[dict[str, Any]]) -> None:
        self.accounts = list(accounts)
        self._by_id = {a["AccountID"]: a for a in self.accounts}
        self._by_code = {str(a["Code"]).lower(): a for a in self.accounts if a.get("Code")}
        self._by_role = {a["SystemAccount"]: a for a in self.accounts if a.get("SystemAccount")}

    def get(self, account_id: str) -> dict[str, Any] | None:
        return self._by_id.get(account_id)

    def resolve(self, *, account_id: str | None = None, code: str | None = None) -> dict[str, Any] | None:
        """The account a record refers to: its AccountID first, else its Code (case-insensitive, as Xero)."""
        if account_id and account_id in self._by_id:
            return self._by_id[account_id]
        if code:
            return self._by_code.get(str(code).lower())
        return None

    def system(self, role: str) -> dict[str, Any]:
        account = self._by_role.get(role)
        if account is None:
            raise UnpostableRecordError(f"the organisation has no {role} system account")
        return account


def as_day(value: Any) -> date:
    """A record's date as a `date` (a datetime, should a record hold one, gives its day)."""
    day: date = value.date() if isinstance(value, datetime) else value
    return day


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _referenced_account(chart: ChartOfAccounts, ref: Any, what: str) -> str:
    ref = ref or {}
    account = chart.resolve(account_id=ref.get("AccountID"), code=ref.get("Code"))
    if account is None:
        raise UnpostableRecordError(f"{what} names no known account: {ref!r}")
    return str(account["AccountID"])


class _Posting:
    """Collects the lines of one journal, netting lines to the same account."""

    def __init__(self) -> None:
        self.amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)

    def post(self, account_id: str, amount: Decimal) -> None:
        self.amounts[account_id] += amount

    def journal(self, on: date, source_type: str, source_id: str) -> Journal:
        lines = tuple(JournalLine(a, amount) for a, amount in self.amounts.items() if amount != ZERO)
        return Journal(on, source_type, source_id, lines)


def _document_journal(
    chart: ChartOfAccounts, record: dict[str, Any], *, control_account: str, sign: int, source_type: str, source_id: str
) -> Journal:
    """Post a document with line items: the control account takes the Total, lines and tax the other side."""
    amount_types = str(record.get("LineAmountTypes") or LineAmountTypes.EXCLUSIVE)
    posting = _Posting()
    nets = ZERO
    line_taxes = ZERO
    for line in record.get("LineItems") or []:
        line_amount = _decimal(line.get("LineAmount"))
        tax = ZERO if amount_types == LineAmountTypes.NOTAX else _decimal(line.get("TaxAmount"))
        net = line_amount - tax if amount_types == LineAmountTypes.INCLUSIVE else line_amount
        if net == ZERO:
            continue
        account = chart.resolve(account_id=line.get("AccountID"), code=line.get("AccountCode"))
        if account is None:
            raise UnpostableRecordError(f"{source_type} {source_id}: line account {line.get('AccountCode')!r} unknown")
        posting.post(str(account["AccountID"]), -sign * net)
        nets += net
        line_taxes += tax
    recorded_tax = record.get("TotalTax")
    total_tax = line_taxes if recorded_tax is None else _decimal(recorded_tax)
    if amount_types == LineAmountTypes.NOTAX:
        total_tax = ZERO
    total = _decimal(record["Total"]) if record.get("Total") is not None else nets + total_tax
    if total_tax != ZERO:
        posting.post(str(chart.system("GST")["AccountID"]), -sign * total_tax)
    remainder = total - nets - total_tax
    if remainder != ZERO:
        posting.post(str(chart.system("ROUNDING")["AccountID"]), -sign * remainder)
    posting.post(control_account, sign * total)
    return posting.journal(as_day(record["Date"]), source_type, source_id)


def _invoice_like_journals(
    chart: ChartOfAccounts, records: Iterable[dict[str, Any]], id_field: str
) -> Iterator[Journal]:
    for record in records:
        if record.get("Status") not in POSTED_DOCUMENT_STATUSES or record.get("Type") not in _DOCUMENT_CONTROL:
            continue
        role, sign = _DOCUMENT_CONTROL[record["Type"]]
        yield _document_journal(
            chart,
            record,
            control_account=str(chart.system(role)["AccountID"]),
            sign=sign,
            source_type=record["Type"],
            source_id=str(record[id_field]),
        )


def _bank_transaction_journals(chart: ChartOfAccounts, records: Iterable[dict[str, Any]]) -> Iterator[Journal]:
    for record in records:
        if record.get("Status") in UNPOSTED_BANK_STATUSES:
            continue
        kind = str(record.get("Type", ""))
        receive = kind.startswith("RECEIVE")
        yield _document_journal(
            chart,
            record,
            control_account=_referenced_account(chart, record.get("BankAccount"), "bank transaction"),
            sign=1 if receive else -1,
            source_type="CASHREC" if receive else "CASHPAID",
            source_id=str(record["BankTransactionID"]),
        )


def _payment_type(org: Organisation, payment: dict[str, Any]) -> str | None:
    """The payment's type: as recorded, else from the document it pays (Xero derives it the same way)."""
    if payment.get("PaymentType") in _PAYMENT_CONTROL:
        return str(payment["PaymentType"])
    for key, collection, id_field in (
        ("Invoice", "Invoices", "InvoiceID"),
        ("CreditNote", "CreditNotes", "CreditNoteID"),
    ):
        ref = payment.get(key) or {}
        document = org.records(collection).get(ref.get(id_field, "")) or ref
        kind = _PAYMENT_TYPE_OF_DOCUMENT.get(str(document.get("Type")))
        if kind:
            return kind
    return None


def _payment_journals(org: Organisation, chart: ChartOfAccounts) -> Iterator[Journal]:
    for payment in org.records("Payments").values():
        if payment.get("Status") == "DELETED":
            continue
        kind = _payment_type(org, payment)
        if kind is None:
            continue  # overpayment and prepayment payments: not modelled
        role, bank_sign = _PAYMENT_CONTROL[kind]
        amount = _decimal(payment.get("Amount"))
        posting = _Posting()
        posting.post(_referenced_account(chart, payment.get("Account"), "payment"), bank_sign * amount)
        posting.post(str(chart.system(role)["AccountID"]), -bank_sign * amount)
        yield posting.journal(as_day(payment["Date"]), kind, str(payment["PaymentID"]))


def journals(org: Organisation) -> list[Journal]:
    """Every journal the organisation's posted records make, in date order; each one balances."""
    chart = ChartOfAccounts(org.records("Accounts").values())
    found = [
        *_invoice_like_journals(chart, org.records("Invoices").values(), "InvoiceID"),
        *_invoice_like_journals(chart, org.records("CreditNotes").values(), "CreditNoteID"),
        *_bank_transaction_journals(chart, org.records("BankTransactions").values()),
        *_payment_journals(org, chart),
    ]
    found.sort(key=lambda j: j.date)
    return found


def balances(posted: Iterable[Journal], *, until: date, since: date | None = None) -> dict[str, Decimal]:
    """Net movement per AccountID (debit positive) of the journals dated from `since` (or ever) to `until`."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for journal in posted:
        if journal.date > until or (since is not None and journal.date < since):
            continue
        for line in journal.lines:
            totals[line.account_id] += line.amount
    return dict(totals)
