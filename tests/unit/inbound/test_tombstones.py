"""Which Xero statuses mean gone, and why a record missing from an answer is never a deletion."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.domain.inbound.tombstones import gone_item, is_final, is_tombstone, items_gone, sort_answer
from shared.domain.records import Entity
from tests.unit.inbound.inbound_world import fetched


@pytest.mark.parametrize(
    ("entity", "status"),
    [
        (Entity.INVOICE, "VOIDED"),
        (Entity.INVOICE, "DELETED"),
        (Entity.BILL, "VOIDED"),
        (Entity.CREDIT_NOTE, "DELETED"),
        (Entity.CONTACT, "ARCHIVED"),
        (Entity.CONTACT, "GDPRREQUEST"),
        (Entity.PAYMENT, "DELETED"),
    ],
)
def test_an_explicit_status_is_a_tombstone(entity: Entity, status: str) -> None:
    # Given a record in a status that removes it from Xero's books / When it is judged / Then it is gone
    assert is_tombstone(entity, status)


@pytest.mark.parametrize(
    ("entity", "status"),
    [
        (Entity.INVOICE, "PAID"),
        (Entity.INVOICE, "DRAFT"),
        (Entity.CREDIT_NOTE, "AUTHORISED"),
        (Entity.CONTACT, "ACTIVE"),
        (Entity.PAYMENT, "AUTHORISED"),
        (Entity.ITEM, None),
        (Entity.INVOICE, None),
    ],
)
def test_any_other_status_is_alive(entity: Entity, status: str | None) -> None:
    # Given a record in a live status (or none) / When it is judged / Then it is not gone
    assert not is_tombstone(entity, status)


def test_a_void_is_final_and_an_archive_is_not() -> None:
    # Given a voided invoice and an archived contact / When they are judged
    # Then Xero never brings back the invoice, while the contact can be made active again
    assert (is_final(Entity.INVOICE, "VOIDED"), is_final(Entity.CONTACT, "ARCHIVED")) == (True, False)


def test_a_record_missing_from_an_ids_answer_is_not_found_not_deleted() -> None:
    # Given three invoices asked for and two answered (ids in another case)
    answer = sort_answer(["inv-1", "INV-2", "inv-3"], [{"InvoiceID": "INV-1"}, {"InvoiceID": "inv-3"}], "Invoices")
    # When the answer is sorted / Then the missing one is kept to retry, the others found
    assert (sorted(answer.found), answer.not_found) == (["inv-1", "inv-3"], ("inv-2",))


def test_an_item_is_gone_only_when_a_complete_listing_lacks_it() -> None:
    # Given two known items, of which the listing holds one
    known, listed = ["item-1", "item-2"], ["ITEM-1"]
    # When the listing is complete, and when it is incremental
    # Then only the complete listing proves item-2 deleted
    assert (items_gone(known, listed, complete=True), items_gone(known, listed, complete=False)) == (("item-2",), ())


def test_an_item_a_complete_listing_lacks_is_read_as_deleted_with_its_last_body() -> None:
    # Given an item the platform holds, with prices
    body = {
        "code": "GUTTER",
        "name": "Gutter clean",
        "description": "Per metre",
        "sale_price": "12.50",
        "purchase_price": None,
    }
    # When a complete listing no longer holds it, and it is read as Xero's element of it
    read = fetched("Items", gone_item("xero-item-1", body, datetime(2026, 3, 2, 12, 0, tzinfo=UTC)), base=body)
    # Then it is a tombstone whose body is the last one, stamped with the listing's instant
    assert (read.deleted, read.status, read.xero_id) == (True, "DELETED", "xero-item-1")
    assert read.body == body
    assert read.updated_at == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert is_final(Entity.ITEM, read.status)
