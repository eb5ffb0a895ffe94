"""A bank transaction read from Xero, and what the platform is told of it
(shared/domain/inbound/bank_transactions.py, shared/domain/inbound/told.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from shared.domain.inbound.bank_transactions import bank_transaction_element
from shared.domain.inbound.changes import ChangeKind
from shared.domain.inbound.from_xero import NotImportableError
from shared.domain.inbound.settings import DEFAULTS, InboundEntitySettings, SyncedKind
from shared.domain.inbound.told import Element, tell
from shared.domain.reference_data import ToldElement

TENANT = "tenant-1"
AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CHOSEN = DEFAULTS[SyncedKind.BANK_TRANSACTION]
KNOWN_CONTACTS = {"c-known": "cus-7"}


def xero_bank_transaction(**fields: Any) -> dict[str, Any]:
    """A SPEND as GET /BankTransactions?page=1&unitdp=4 answers it (MS-JSON date, JSON numbers)."""
    return {
        "BankTransactionID": "BT-1",
        "Type": "SPEND",
        "Contact": {"ContactID": "C-KNOWN", "Name": "Harbour Cafe"},
        "Date": "/Date(1772409600000+0000)/",  # 2026-03-02
        "DateString": "2026-03-02T00:00:00",
        "Reference": "Coffee beans",
        "Status": "AUTHORISED",
        "IsReconciled": False,
        "CurrencyCode": "AUD",
        "LineAmountTypes": "Exclusive",
        "SubTotal": 100,
        "TotalTax": 10.0,
        "Total": 110.0,
        "BankAccount": {"AccountID": "acc-090", "Code": "090", "Name": "Business Bank Account"},
        "LineItems": [
            {
                "Description": "Beans",
                "Quantity": 2.0,
                "UnitAmount": 50.1234,
                "AccountCode": "429",
                "TaxType": "INPUT",
                "LineAmount": 100.25,
            }
        ],
        "UpdatedDateUTC": "/Date(1772445600000+0000)/",
        **fields,
    }


def read(element: dict[str, Any]) -> Element:
    return bank_transaction_element(element, KNOWN_CONTACTS.get)


def test_xero_s_bank_transaction_becomes_its_canonical_body_with_money_as_text() -> None:
    element = read(xero_bank_transaction())
    assert (element.kind, element.xero_id, element.status) == (SyncedKind.BANK_TRANSACTION, "bt-1", "AUTHORISED")
    assert element.body == {
        "type": "SPEND",
        "contact": "cus-7",
        "date": "2026-03-02",
        "reference": "Coffee beans",
        "status": "AUTHORISED",
        "is_reconciled": False,
        "currency": "AUD",
        "line_amount_types": "Exclusive",
        "sub_total": "100.00",
        "total_tax": "10.00",
        "total": "110.00",
        "bank_account": {"account_id": "acc-090", "code": "090", "name": "Business Bank Account"},
        "line_items": [
            {
                "description": "Beans",
                "quantity": "2.0",
                "unit_amount": "50.1234",
                "account_code": "429",
                "tax_type": "INPUT",
                "line_amount": "100.25",
            }
        ],
    }


def test_a_contact_the_platform_lacks_is_named_by_the_id_it_would_have_from_xero() -> None:
    element = read(xero_bank_transaction(Contact={"ContactID": "C-NEW", "Name": "Someone new"}))
    assert element.body["contact"] == "xero-c-new"


def test_a_transfer_without_contact_or_reference_reads_with_neither() -> None:
    transfer = xero_bank_transaction(Type="RECEIVE-TRANSFER", Reference=None)
    del transfer["Contact"]
    body = read(transfer).body
    assert (body["type"], body["contact"], body["reference"]) == ("RECEIVE-TRANSFER", None, None)


@pytest.mark.parametrize(
    "broken",
    [
        {"BankTransactionID": None},
        {"Total": "a lot"},
        {"Date": "yesterday", "DateString": None},
    ],
)
def test_an_entry_that_cannot_be_read_says_why_and_raises_nothing_else(broken: dict[str, Any]) -> None:
    with pytest.raises(NotImportableError):
        read(xero_bank_transaction(**broken))


def said(element: Element, before: ToldElement | None, inbound: InboundEntitySettings = CHOSEN) -> Any:
    told = tell(TENANT, element, before, inbound, AT)
    if told is None:
        return None
    change, after = told
    return (change.kind, change.entity, change.platform_id, change.version, change.xero_status), after


def told_once(element: Element) -> ToldElement:
    """What the platform was told of `element`, never told before."""
    told = tell(TENANT, element, None, CHOSEN, AT)
    assert told is not None
    return told[1]


def test_a_transaction_is_told_created_then_nothing_then_updated_then_deleted_each_under_its_next_version() -> None:
    # Given a transaction the platform never heard of: created, version 1, with its body
    first = read(xero_bank_transaction())
    told = tell(TENANT, first, None, CHOSEN, AT)
    assert told is not None
    change, v1 = told
    assert (change.kind, change.entity, change.platform_id, change.version) == (
        ChangeKind.CREATED,
        SyncedKind.BANK_TRANSACTION,
        "xero-bt-1",
        1,
    )
    assert change.body == first.body
    # When it is read again unchanged: nothing
    assert said(read(xero_bank_transaction()), v1) is None
    # When its reference changes: updated, version 2
    changed = read(xero_bank_transaction(Reference="Coffee beans, March"))
    outcome = said(changed, v1)
    assert outcome is not None
    (kind, _, _, version, _), v2 = outcome
    assert (kind, version) == (ChangeKind.UPDATED, 2)
    # When it is deleted in Xero: deleted, version 3
    deleted = read(xero_bank_transaction(Reference="Coffee beans, March", Status="DELETED"))
    outcome = said(deleted, v2)
    assert outcome is not None
    (kind, _, _, version, status), v3 = outcome
    assert (kind, version, status, v3.deleted) == (ChangeKind.DELETED, 3, "DELETED", True)
    # And read deleted again: nothing more
    assert said(deleted, v3) is None


def test_a_voided_transaction_is_told_deleted() -> None:
    v1 = told_once(read(xero_bank_transaction()))
    outcome = said(read(xero_bank_transaction(Status="VOIDED")), v1)
    assert outcome is not None
    assert outcome[0][0] is ChangeKind.DELETED


def test_a_transaction_first_seen_already_deleted_is_not_told() -> None:
    assert said(read(xero_bank_transaction(Status="DELETED")), None) is None
    assert said(read(xero_bank_transaction(Status="VOIDED")), None) is None


def test_with_deletions_not_synced_a_deletion_is_told_as_an_update_with_its_status() -> None:
    v1 = told_once(read(xero_bank_transaction()))
    keep = CHOSEN.model_copy(update={"sync_deletions": False})
    outcome = said(read(xero_bank_transaction(Status="DELETED")), v1, keep)
    assert outcome is not None
    assert outcome[0][0] is ChangeKind.UPDATED
    assert outcome[0][4] == "DELETED"
