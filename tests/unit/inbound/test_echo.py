"""Echo suppression: xero-sync's own writes, and stale reads, are not changes made in Xero."""

from __future__ import annotations

from datetime import timedelta

from shared.domain.inbound.echo import (
    SyncedVersion,
    as_left_by_platform,
    changed_in_xero,
    is_echo,
    same_body,
    seen_after,
)
from shared.domain.mapping.contacts import contact_element
from shared.domain.records import Entity
from tests.unit.inbound.inbound_world import WRITTEN_AT, answered_contact, fetched, ms, stored_record
from tests.unit.mapping.mapping_world import contact

ONE_MS = timedelta(milliseconds=1)


def test_xeros_answer_to_our_own_write_is_an_echo() -> None:
    # Given the stamp Xero gave our write, and a fetch carrying that very stamp
    # When it is judged / Then it is an echo
    assert is_echo(WRITTEN_AT, seen_at=WRITTEN_AT)


def test_a_xero_users_edit_right_after_our_write_is_not_an_echo() -> None:
    # Given our write stamped WRITTEN_AT, and a user's edit Xero stamped a millisecond later
    # When the fetched edit is judged / Then it is not an echo
    assert not is_echo(WRITTEN_AT + ONE_MS, seen_at=WRITTEN_AT)


def test_a_read_older_than_our_last_write_is_an_echo() -> None:
    # Given a reconciliation page read before our write landed
    # When it is judged after the write / Then it is not taken as news
    assert is_echo(WRITTEN_AT - timedelta(minutes=2), seen_at=WRITTEN_AT)


def test_without_a_stamp_on_either_side_nothing_is_an_echo() -> None:
    # Given a record the ledger has no stamp for, and a fetch without a stamp
    # When they are judged / Then neither is an echo (a difference is then a change)
    assert (is_echo(WRITTEN_AT, seen_at=None), is_echo(None, seen_at=WRITTEN_AT)) == (False, False)


def test_the_stamp_kept_never_moves_back() -> None:
    # Given a kept stamp and an older fetched one / When the next is kept / Then the later stays
    assert seen_after(WRITTEN_AT, WRITTEN_AT - ONE_MS) == WRITTEN_AT
    assert seen_after(None, WRITTEN_AT) == WRITTEN_AT


def test_bodies_compare_by_meaning_not_by_spelling() -> None:
    # Given one contact written minimally and the same dumped in full
    minimal = {"name": "Acme Pty Ltd"}
    # When they are compared / Then they are the same
    assert same_body(Entity.CONTACT, minimal, contact().model_dump(mode="json"))


def test_xero_unchanged_in_what_the_platform_holds_is_no_change_in_xero() -> None:
    # Given the platform renamed the contact since the last sync, and Xero (stamped later for a
    # field the platform does not hold) still has the synced name
    record = stored_record(Entity.CONTACT, contact(name="Acme Group").model_dump(mode="json"), version=2)
    answer = answered_contact(contact_element(contact(), "xero-1"), UpdatedDateUTC=ms(WRITTEN_AT + ONE_MS))
    synced = SyncedVersion(body=contact().model_dump(mode="json"))
    # When Xero's version is judged against the synced one / Then nothing changed in Xero
    assert not changed_in_xero(record, fetched("Contacts", answer), synced)


def test_without_the_synced_body_a_difference_counts_as_xeros() -> None:
    # Given the same, but the ledger does not keep the synced body
    record = stored_record(Entity.CONTACT, contact(name="Acme Group").model_dump(mode="json"), version=2)
    answer = answered_contact(contact_element(contact(), "xero-1"))
    # When it is judged / Then it counts as changed in Xero (at worst a recorded conflict)
    assert changed_in_xero(record, fetched("Contacts", answer))


def test_an_archive_in_xero_of_a_synced_live_contact_is_a_change() -> None:
    # Given a contact the platform changed since, and Xero archived the synced version
    record = stored_record(Entity.CONTACT, contact(name="Acme Group").model_dump(mode="json"), version=2)
    answer = answered_contact(contact_element(contact(), "xero-1"), ContactStatus="ARCHIVED")
    synced = SyncedVersion(body=contact().model_dump(mode="json"))
    # When it is judged / Then Xero changed it
    assert changed_in_xero(record, fetched("Contacts", answer), synced)


def test_the_number_xero_gave_an_unnumbered_invoice_is_not_a_change_of_its_own() -> None:
    # Given an invoice the platform sent without a number, and Xero's body of it, numbered by Xero
    platform = {"contact_id": "c-1", "date": "2026-11-02", "lines": [{"description": "Call-out", "unit_amount": "100"}]}
    xeros = platform | {"number": "INV-0001"}
    # When Xero's body is compared as the platform left it / Then it is the same
    assert same_body(Entity.INVOICE, platform, as_left_by_platform(Entity.INVOICE, platform, xeros))
    # But a number the platform gave, changed in Xero, is a change
    numbered = platform | {"number": "P-1"}
    assert not same_body(Entity.INVOICE, numbered, as_left_by_platform(Entity.INVOICE, numbered, xeros))
    # And so is anything else Xero changed beside the number it filled in
    edited = xeros | {"lines": [{"description": "Call-out", "unit_amount": "120"}]}
    assert not same_body(Entity.INVOICE, platform, as_left_by_platform(Entity.INVOICE, platform, edited))
    # And a bill's number is the supplier's, never Xero's to fill in
    assert as_left_by_platform(Entity.BILL, platform, xeros) == xeros
