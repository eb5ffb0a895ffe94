"""Webhook change notices folded into the fewest fetches (issue 5, §1)."""

from __future__ import annotations

import pytest

from shared.domain.inbound.coalesce import coalesce
from shared.domain.webhook_events import ChangeNotice


def notice(
    resource: str, category: str = "INVOICE", at: str = "2026-03-02T10:00:00.000", **fields: str
) -> ChangeNotice:
    values = {
        "tenant_id": "t-1",
        "xero_tenant_id": "org-1",
        "category": category,
        "event_type": "UPDATE",
        "resource_id": resource,
        "event_date_utc": at,
        "receipt_key": f"{category}-{resource}-{at}",
        **fields,
    }
    return ChangeNotice(**values)


def test_repeated_and_reordered_notices_of_one_record_make_one_fetch() -> None:
    # Given three notices about one invoice, one of them in upper case and out of order
    notices = [
        notice("inv-1", at="2026-03-02T10:00:02"),
        notice("INV-1", at="2026-03-02T10:00:00"),
        notice("inv-1", event_type="CREATE", at="2026-03-02T10:00:01"),
    ]
    # When they are coalesced
    result = coalesce(notices)
    # Then one id is fetched once, and two notices were folded
    assert ([f.ids for f in result.fetches], result.folded) == ([("inv-1",)], 2)


def test_ids_are_ordered_by_their_first_event_then_by_id() -> None:
    # Given notices about b (10:00:01), a and c (both 10:00:02), and b again later
    notices = [
        notice("c", at="2026-03-02T10:00:02"),
        notice("b", at="2026-03-02T10:00:05"),
        notice("a", at="2026-03-02T10:00:02"),
        notice("b", at="2026-03-02T10:00:01"),
    ]
    # When they are coalesced / Then b comes first, then a and c by id
    assert coalesce(notices).fetches[0].ids == ("b", "a", "c")


def test_the_same_notices_in_any_order_give_the_same_fetches() -> None:
    # Given a batch and the same batch reversed
    notices = [notice(f"inv-{n}", at=f"2026-03-02T10:00:{n:02d}") for n in range(10)]
    # When both are coalesced / Then the fetches are the same
    assert coalesce(notices).fetches == coalesce(list(reversed(notices))).fetches


def test_ids_are_fetched_fifty_at_a_time() -> None:
    # Given 120 distinct invoices
    notices = [notice(f"inv-{n:03d}") for n in range(120)]
    # When they are coalesced / Then three fetches of 50, 50 and 20 ids
    assert [len(f.ids) for f in coalesce(notices).fetches] == [50, 50, 20]


def test_credit_notes_are_fetched_twenty_five_at_a_time_by_a_where() -> None:
    # Given 30 credit notes (GET /CreditNotes takes no IDs=)
    result = coalesce([notice(f"cn-{n:02d}", category="CREDITNOTE") for n in range(30)])
    # When they are coalesced / Then two fetches, the first asking by where
    assert [len(f.ids) for f in result.fetches] == [25, 5]
    assert result.fetches[1].params()["where"] == " OR ".join(
        f'CreditNoteID==Guid("cn-{n:02d}")' for n in range(25, 30)
    )


def test_contacts_are_fetched_before_documents_and_credit_notes_last() -> None:
    # Given a credit note, an invoice and a contact, in that order of events
    notices = [
        notice("cn-1", category="CREDITNOTE", at="2026-03-02T10:00:00"),
        notice("inv-1", category="INVOICE", at="2026-03-02T10:00:01"),
        notice("c-1", category="CONTACT", at="2026-03-02T10:00:02"),
    ]
    # When they are coalesced / Then contacts, invoices, credit notes
    assert [f.collection for f in coalesce(notices).fetches] == ["Contacts", "Invoices", "CreditNotes"]


def test_an_unknown_category_is_kept_aside_and_counted() -> None:
    # Given two PREPAYMENT notices about one prepayment, and an invoice
    notices = [notice("pre-1", category="PREPAYMENT"), notice("pre-1", category="PREPAYMENT"), notice("inv-1")]
    # When they are coalesced
    result = coalesce(notices)
    # Then the invoice is fetched, the prepayment kept once and counted twice
    assert [f.ids for f in result.fetches] == [("inv-1",)]
    assert ([n.resource_id for n in result.unknown], result.unknown_counts) == (["pre-1"], {"PREPAYMENT": 2})


def test_an_unreadable_event_date_sorts_last_and_is_not_raised_on() -> None:
    # Given a notice whose date is not a date
    notices = [notice("z", at="yesterday"), notice("a", at="2026-03-02T10:00:00")]
    # When they are coalesced / Then it is fetched after the others
    assert coalesce(notices).fetches[0].ids == ("a", "z")


def test_each_tenants_records_are_fetched_for_that_tenant() -> None:
    # Given notices of two tenants
    notices = [notice("inv-1", tenant_id="t-2"), notice("inv-2")]
    # When they are coalesced / Then each fetch is one tenant's
    assert [(f.tenant_id, f.ids) for f in coalesce(notices).fetches] == [("t-2", ("inv-1",)), ("t-1", ("inv-2",))]


def test_a_fetch_of_invoices_asks_by_ids_with_their_line_items() -> None:
    # Given two invoices / When their fetch is built / Then it pages (line items) and asks by IDs=
    [fetch] = coalesce([notice("inv-1"), notice("inv-2", at="2026-03-02T10:00:01")]).fetches
    assert fetch.params() == {"unitdp": "4", "page": "1", "IDs": "inv-1,inv-2"}


def test_no_fetch_asks_for_no_ids() -> None:
    # Given a size of zero / When notices are coalesced / Then it is refused
    with pytest.raises(ValueError, match="at least one id"):
        coalesce([notice("inv-1")], per_fetch=0)
