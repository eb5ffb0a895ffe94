"""Which bank transactions a platform payment accounts for (shared/usecases/reports/bank_matching.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from shared.domain.ledger import StoredRecord, SyncState
from shared.domain.records import Entity
from shared.usecases.reports.bank_matching import (
    BankLine,
    MatchedBy,
    PlatformMoney,
    ReviewReason,
    bank_line,
    platform_money,
    review,
)
from tests.unit.reports.xero_reports import bank_transaction

BANK_ACCOUNTS = {"main": "090", "card": "091"}
NOW = datetime(2026, 1, 5, tzinfo=UTC)


def a_payment(platform_id: str, amount: str, on: str = "2026-01-02", **fields: Any) -> StoredRecord:
    xero_id = fields.pop("xero_id", None)
    linked = fields.pop("linked", {})
    deleted = fields.pop("deleted", False)
    body = {"invoice_id": "inv-1", "date": on, "amount": amount, "bank_account": "main", **fields}
    return StoredRecord(
        tenant_id="t",
        entity=Entity.PAYMENT,
        platform_id=platform_id,
        version=1,
        body=body,
        deleted=deleted,
        updated_at=NOW,
        state=SyncState.SYNCED if xero_id else SyncState.SKIPPED,
        state_at=NOW,
        xero_id=xero_id,
        linked=linked,
    )


def money(*records: StoredRecord) -> list[PlatformMoney]:
    found = [platform_money(record, BANK_ACCOUNTS) for record in records]
    return [m for m in found if m is not None]


def line(transaction_id: str, total: float, on: str = "2026-01-02", **fields: Any) -> BankLine:
    return bank_line(bank_transaction(transaction_id, total, on, **fields))


def test_a_transaction_the_ledger_maps_to_a_payment_is_matched_by_ledger() -> None:
    # Given a payment whose fee bill's Xero id is the transaction's id
    payment = a_payment("pay-1", "500.00", xero_id="p-x", linked={"fee_bill": "bt-1"})
    # When the transaction is reviewed
    [verdict] = review([line("bt-1", 12.0)], money(payment))
    # Then it is matched through the ledger, whatever its amount
    assert (verdict.matched_by, verdict.payment_id, verdict.reason) == (MatchedBy.LEDGER, "pay-1", None)


def test_an_accountants_receive_money_for_a_payment_not_in_xero_is_matched_by_heuristic() -> None:
    # Given a receipt the platform knows but did not send (skipped), and the accountant's Receive Money
    payment = a_payment("pay-1", "110.00", on="2026-01-02")
    # When a deposit of the same amount into the same account two days later is reviewed
    [verdict] = review([line("bt-1", 110.0, on="2026-01-04")], money(payment))
    # Then the payment accounts for it
    assert (verdict.matched_by, verdict.payment_id, verdict.matched) == (MatchedBy.HEURISTIC, "pay-1", True)


def test_a_transaction_resembling_a_payment_xero_holds_is_a_possible_duplicate() -> None:
    # Given a receipt already in Xero as a payment
    payment = a_payment("pay-1", "110.00", xero_id="payment-in-xero")
    # When a Receive Money of the same amount, account and date is reviewed
    [verdict] = review([line("bt-1", 110.0)], money(payment))
    # Then it is flagged: Xero may count the money twice
    assert (verdict.reason, verdict.payment_id) == (ReviewReason.POSSIBLE_DUPLICATE, "pay-1")


def test_a_transaction_no_payment_fits_is_flagged_as_having_no_platform_record() -> None:
    # Given payments that differ in amount, account, date, direction or reference
    payments = money(
        a_payment("amount", "99.00"),
        a_payment("account", "110.00", bank_account="card"),
        a_payment("date", "110.00", on="2025-12-20"),
        a_payment("direction", "110.00", document="bill"),
        a_payment("reference", "110.00", reference="ORDER-7"),
        a_payment("unmapped", "110.00", bank_account="petty-cash"),
        a_payment("deleted", "110.00", deleted=True),
    )
    # When a deposit of 110.00 into account 090 referenced ORDER-8 is reviewed
    [verdict] = review([line("bt-1", 110.0, reference="ORDER-8")], payments)
    # Then nothing accounts for it
    assert (verdict.reason, verdict.payment_id) == (ReviewReason.NO_PLATFORM_RECORD, None)


def test_references_compare_without_case_and_a_blank_one_does_not_veto() -> None:
    payments = money(a_payment("pay-1", "110.00", reference=" order-7 "), a_payment("pay-2", "50.00"))
    verdicts = review([line("bt-1", 110.0, reference="ORDER-7"), line("bt-2", 50.0, reference="X")], payments)
    assert [v.payment_id for v in verdicts] == ["pay-1", "pay-2"]
    assert all(v.matched for v in verdicts)


def test_a_deposit_net_of_the_platforms_fee_matches_its_payment() -> None:
    payment = a_payment("pay-1", "100.00", fee="2.90")
    [verdict] = review([line("bt-1", 97.10)], money(payment))
    assert verdict.matched_by is MatchedBy.HEURISTIC


def test_a_bill_payment_matches_spend_money() -> None:
    payment = a_payment("pay-1", "40.00", document="bill")
    [verdict] = review([line("bt-1", 40.0, kind="SPEND")], money(payment))
    assert verdict.matched_by is MatchedBy.HEURISTIC


def test_each_payment_accounts_for_one_transaction_the_nearest_in_date() -> None:
    # Given one payment and two identical deposits, one a day after it and one three days after
    payment = a_payment("pay-1", "110.00", on="2026-01-02")
    far, near = line("bt-far", 110.0, on="2026-01-05"), line("bt-near", 110.0, on="2026-01-03")
    # When both are reviewed
    verdicts = review([far, near], money(payment))
    # Then the earlier one (reviewed first, in date order) takes the payment and the other is flagged
    by_id = {v.line.bank_transaction_id: v for v in verdicts}
    assert by_id["bt-near"].payment_id == "pay-1"
    assert by_id["bt-far"].reason is ReviewReason.NO_PLATFORM_RECORD
    # And the verdicts keep the order of the lines
    assert [v.line.bank_transaction_id for v in verdicts] == ["bt-far", "bt-near"]


def test_a_payment_matched_by_ledger_is_not_used_again_by_the_heuristic() -> None:
    payment = a_payment("pay-1", "110.00", linked={"deposit": "bt-1"})
    verdicts = review([line("bt-1", 110.0), line("bt-2", 110.0)], money(payment))
    assert [v.matched_by for v in verdicts] == [MatchedBy.LEDGER, None]


def test_xeros_bank_transaction_is_read_with_decimal_money_and_its_date() -> None:
    read = line("bt-1", 110.1, on="2026-01-02", reconciled=True, reference="R1")
    assert read.total == Decimal("110.10")
    assert read.on == date(2026, 1, 2)
    assert (read.account_code, read.contact_name, read.reference, read.is_reconciled) == (
        "090",
        "Bayside Cafe",
        "R1",
        True,
    )
    assert bank_line({"BankTransactionID": "x", "Date": "/Date(1767571200000+0000)/"}).on == date(2026, 1, 5)
