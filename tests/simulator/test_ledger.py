"""The ledger derived from an organisation's records: what each document posts, and that every journal balances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.simulator.ledger_records import (
    account,
    allocate,
    bank_transaction,
    credit_note,
    invoice,
    payment,
)
from xero_simulator.accounting.ledger import Journal, UnpostableRecordError, balances, journals
from xero_simulator.builders import create_organisation
from xero_simulator.world import Organisation, World


@pytest.fixture
def org() -> Organisation:
    return create_organisation(World(), "Ledger Test Pty Ltd", "AU")


def posted(org: Organisation, journal: Journal) -> dict[str, Decimal]:
    """A journal's lines by account code, debit positive."""
    codes = {a["AccountID"]: a["Code"] for a in org.records("Accounts").values()}
    return {codes[line.account_id]: line.amount for line in journal.lines}


def by_code(org: Organisation, until: date = date(2030, 1, 1)) -> dict[str, Decimal]:
    codes = {a["AccountID"]: a["Code"] for a in org.records("Accounts").values()}
    return {codes[k]: v for k, v in balances(journals(org), until=until).items() if v}


def test_sales_invoice_debits_receivables_and_credits_revenue_and_gst(org: Organisation) -> None:
    # Given an authorised sales invoice: 100 + 50 net to Sales and Other Revenue, GST 15
    invoice(org, [("200", "100.00", "10.00"), ("260", "50.00", "5.00")])
    # When the ledger is derived
    (journal,) = journals(org)
    # Then Accounts Receivable (610) takes the total, revenue the nets, GST (820) the tax
    assert posted(org, journal) == {
        "610": Decimal("165.00"),
        "200": Decimal("-100.00"),
        "260": Decimal("-50.00"),
        "820": Decimal("-15.00"),
    }
    assert journal.balanced
    assert journal.source_type == "ACCREC"


def test_bill_credits_payables_and_debits_expense_and_gst(org: Organisation) -> None:
    # Given an authorised bill of 200 rent with 20 GST
    invoice(org, [("469", "200.00", "20.00")], kind="ACCPAY")
    # When the ledger is derived
    (journal,) = journals(org)
    # Then Accounts Payable (800) is credited the total, Rent and GST debited
    assert posted(org, journal) == {"800": Decimal("-220.00"), "469": Decimal("200.00"), "820": Decimal("20.00")}
    assert journal.balanced


@pytest.mark.parametrize("status", ["DRAFT", "SUBMITTED", "DELETED", "VOIDED"])
def test_unapproved_deleted_and_voided_invoices_post_nothing(org: Organisation, status: str) -> None:
    # Given an invoice that is not approved, or no longer is
    invoice(org, [("200", "100.00", "10.00")], status=status)
    # When / Then the ledger holds no journal for it
    assert journals(org) == []


def test_paid_invoice_still_posts(org: Organisation) -> None:
    # Given an invoice that has been paid in full
    invoice(org, [("200", "100.00", "10.00")], status="PAID")
    # When / Then its sale stays in the ledger
    assert by_code(org)["200"] == Decimal("-100.00")


def test_inclusive_line_amounts_post_net_of_tax(org: Organisation) -> None:
    # Given a tax-inclusive invoice line of 110 holding 10 GST
    invoice(org, [("200", "110.00", "10.00")], amount_types="Inclusive")
    # When / Then revenue is credited 100 and the receivable is 110
    assert by_code(org) == {"610": Decimal("110.00"), "200": Decimal("-100.00"), "820": Decimal("-10.00")}


def test_document_level_tax_rounding_posts_to_rounding_account(org: Organisation) -> None:
    # Given an invoice whose Total is one cent more than its lines and TotalTax
    record = invoice(org, [("200", "100.00", "10.00")])
    record["Total"] = Decimal("110.01")
    # When the ledger is derived
    (journal,) = journals(org)
    # Then the cent goes to Rounding (860) and the journal still balances
    assert posted(org, journal)["860"] == Decimal("-0.01")
    assert journal.balanced


def test_customer_payment_moves_money_from_receivables_to_bank(org: Organisation) -> None:
    # Given a 110 invoice paid 60 into the business bank account (090)
    sale = invoice(org, [("200", "100.00", "10.00")])
    payment(org, sale, "60.00")
    # When the ledger is derived
    paid = next(j for j in journals(org) if j.source_type == "ACCRECPAYMENT")
    # Then the bank is debited and Accounts Receivable credited 60
    assert posted(org, paid) == {"090": Decimal("60.00"), "610": Decimal("-60.00")}
    assert by_code(org)["610"] == Decimal("50.00")


def test_bill_payment_moves_money_from_bank_to_payables(org: Organisation) -> None:
    # Given a 220 bill paid in full from the bank
    bill = invoice(org, [("469", "200.00", "20.00")], kind="ACCPAY")
    payment(org, bill, "220.00")
    # When / Then payables are cleared and the bank is 220 lower
    balance = by_code(org)
    assert "800" not in balance
    assert balance["090"] == Decimal("-220.00")


def test_deleted_payment_posts_nothing(org: Organisation) -> None:
    # Given a payment that was later deleted
    sale = invoice(org, [("200", "100.00", "10.00")])
    payment(org, sale, "110.00", status="DELETED")
    # When / Then only the invoice posts
    assert [j.source_type for j in journals(org)] == ["ACCREC"]


def test_sales_credit_note_reverses_revenue_and_gst(org: Organisation) -> None:
    # Given a sales credit note of 40 + 4 GST
    credit_note(org, [("200", "40.00", "4.00")])
    # When the ledger is derived
    (journal,) = journals(org)
    # Then receivables are credited and revenue and GST debited
    assert posted(org, journal) == {"610": Decimal("-44.00"), "200": Decimal("40.00"), "820": Decimal("4.00")}
    assert journal.source_type == "ACCRECCREDIT"


def test_purchase_credit_note_reverses_expense_and_gst(org: Organisation) -> None:
    # Given a supplier's credit note of 30 + 3 GST against Rent
    credit_note(org, [("469", "30.00", "3.00")], kind="ACCPAYCREDIT")
    # When the ledger is derived
    (journal,) = journals(org)
    # Then payables are debited and the expense and GST credited
    assert posted(org, journal) == {"800": Decimal("33.00"), "469": Decimal("-30.00"), "820": Decimal("-3.00")}


@pytest.mark.parametrize("status", ["DRAFT", "SUBMITTED", "DELETED", "VOIDED"])
def test_unapproved_deleted_and_voided_credit_notes_post_nothing(org: Organisation, status: str) -> None:
    # Given a credit note that is not approved, or no longer is
    credit_note(org, [("200", "40.00", "4.00")], status=status)
    # When / Then the ledger holds no journal for it
    assert journals(org) == []


def test_credit_note_refund_moves_money_from_bank_to_receivables(org: Organisation) -> None:
    # Given a 44 sales credit note refunded in cash
    note = credit_note(org, [("200", "40.00", "4.00")])
    payment(org, note, "44.00")
    # When / Then the refund debits receivables and credits the bank, clearing the credit
    refund = next(j for j in journals(org) if j.source_type == "ARCREDITPAYMENT")
    assert posted(org, refund) == {"610": Decimal("44.00"), "090": Decimal("-44.00")}
    assert "610" not in by_code(org)


def test_allocating_a_credit_note_leaves_the_ledger_unchanged(org: Organisation) -> None:
    # Given a 110 invoice and a 44 credit note for the same customer
    sale = invoice(org, [("200", "100.00", "10.00")])
    note = credit_note(org, [("200", "40.00", "4.00")])
    before = by_code(org)
    # When the credit note is allocated to the invoice
    allocate(note, sale, "44.00")
    # Then nothing moves in the ledger: both documents sit in Accounts Receivable, which nets to 66
    assert by_code(org) == before
    assert before["610"] == Decimal("66.00")


def test_receive_money_debits_the_bank(org: Organisation) -> None:
    # Given 50 interest received into the bank, no tax
    bank_transaction(org, [("270", "50.00", "0.00")])
    # When / Then the bank is debited and Interest Income credited
    (journal,) = journals(org)
    assert posted(org, journal) == {"090": Decimal("50.00"), "270": Decimal("-50.00")}
    assert journal.source_type == "CASHREC"


def test_spend_money_credits_the_bank(org: Organisation) -> None:
    # Given 30 + 3 GST of office expenses paid from the savings account (091)
    bank_transaction(org, [("453", "30.00", "3.00")], kind="SPEND", bank_code="091")
    # When / Then the savings account is credited 33
    (journal,) = journals(org)
    assert posted(org, journal) == {"091": Decimal("-33.00"), "453": Decimal("30.00"), "820": Decimal("3.00")}
    assert journal.source_type == "CASHPAID"


@pytest.mark.parametrize("status", ["DELETED", "VOIDED"])
def test_deleted_and_voided_bank_transactions_post_nothing(org: Organisation, status: str) -> None:
    # Given a bank transaction that was deleted or voided
    bank_transaction(org, [("270", "50.00", "0.00")], status=status)
    # When / Then the ledger holds no journal for it
    assert journals(org) == []


def test_every_journal_of_a_busy_organisation_balances(org: Organisation) -> None:
    # Given one of every kind of record, some part-paid and allocated
    sale = invoice(org, [("200", "333.33", "33.33"), ("260", "0.01", "0.00")])
    bill = invoice(org, [("310", "99.99", "10.00")], kind="ACCPAY")
    note = credit_note(org, [("200", "10.00", "1.00")])
    payment(org, sale, "100.00")
    payment(org, bill, "50.00", bank_code="091")
    allocate(note, sale, "11.00")
    bank_transaction(org, [("404", "2.50", "0.00")], kind="SPEND")
    # When the ledger is derived
    found = journals(org)
    # Then there is a journal per posting record and every one balances, so the whole ledger nets to zero
    assert len(found) == 6
    assert all(j.balanced for j in found)
    assert sum(balances(found, until=date(2030, 1, 1)).values(), Decimal("0")) == 0


def test_balances_count_only_journals_in_the_date_range(org: Organisation) -> None:
    # Given sales in February, March and April
    for day in (date(2024, 2, 29), date(2024, 3, 1), date(2024, 4, 1)):
        invoice(org, [("200", "100.00", "0.00")], on=day)
    # When the March movement is taken
    march = balances(journals(org), since=date(2024, 3, 1), until=date(2024, 3, 31))
    # Then only the March sale counts
    assert march[account(org, "200")["AccountID"]] == Decimal("-100.00")


def test_a_line_naming_an_unknown_account_is_unpostable(org: Organisation) -> None:
    # Given an approved invoice whose line names an account the chart lacks
    invoice(org, [("999", "100.00", "0.00")])
    # When / Then deriving the ledger fails loudly rather than dropping the line
    with pytest.raises(UnpostableRecordError):
        journals(org)
