"""What to do with a record fetched from Xero: one test per rule of shared/domain/inbound/conflicts.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.domain.inbound.conflicts import (
    ConflictRule,
    InboundAction,
    InboundDecision,
    PlatformEffect,
    before_reading,
    decide,
)
from shared.domain.inbound.echo import SyncedVersion
from shared.domain.inbound.from_xero import FetchedRecord
from shared.domain.inbound.settings import Direction, InboundEntitySettings, Side
from shared.domain.ledger import StoredRecord
from shared.domain.mapping.contacts import contact_element
from shared.domain.mapping.documents import document_element
from shared.domain.records import Entity
from tests.unit.inbound.inbound_world import WRITTEN_AT, answered_contact, answered_invoice, fetched, ms, stored_record
from tests.unit.mapping.mapping_world import contact, context, invoice

NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
LATER = WRITTEN_AT + timedelta(seconds=1)  # a Xero user's edit, a second after our write
BOTH = InboundEntitySettings()
BODY = invoice().model_dump(mode="json")
EDITED = invoice(description="Edited on the platform").model_dump(mode="json")


def xero_invoice(record: StoredRecord | None = None, **changes: Any) -> FetchedRecord:
    """Xero's version of invoice i-1 as synced, stamped a second after our write unless told otherwise."""
    element = document_element(Entity.INVOICE, invoice(), context(), "xero-1")
    answer = answered_invoice(element, xero_id="xero-1", **{"UpdatedDateUTC": ms(LATER), **changes})
    return fetched("Invoices", answer, base=BODY)


def invoice_record(body: dict[str, Any] = BODY, **changes: Any) -> StoredRecord:
    return stored_record(Entity.INVOICE, body, **changes)


def judge(
    xero: FetchedRecord,
    record: StoredRecord | None,
    settings: InboundEntitySettings = BOTH,
    synced: SyncedVersion | None = None,
) -> InboundDecision:
    return decide(xero, record, settings, seen_at=WRITTEN_AT if record else None, now=NOW, synced=synced)


# --- before reading -------------------------------------------------------------------------------------


def test_a_kind_sent_to_xero_only_is_skipped_before_it_is_read() -> None:
    # Given contacts go to Xero only / When a Xero contact is judged / Then it is skipped with the reason
    skipped = before_reading(Entity.CONTACT, "xero-9", InboundEntitySettings(direction=Direction.TO_XERO))
    assert skipped is not None
    assert (skipped.action, skipped.reason) == (
        InboundAction.SKIP_FILTERED,
        "The tenant's settings send contacts to Xero only.",
    )


def test_a_part_of_a_platform_payment_is_never_a_record_of_its_own() -> None:
    # Given a Xero credit note that is the discount of payment p-1
    skipped = before_reading(Entity.CREDIT_NOTE, "xero-cn-7", BOTH, part_of="payment p-1")
    # When it is judged / Then it is skipped as the payment's part
    assert skipped is not None
    assert skipped.reason == "It is part of payment p-1, written to Xero by xero-sync."


def test_a_record_wanted_from_xero_is_read() -> None:
    # Given invoices come both ways / When one is judged before reading / Then nothing stops it
    assert before_reading(Entity.INVOICE, "xero-1", BOTH) is None


# --- new to the platform --------------------------------------------------------------------------------


def test_a_record_new_in_xero_is_created_on_the_platform() -> None:
    # Given an invoice the platform does not have / When it is judged / Then it is applied with Xero's body
    decision = judge(xero_invoice(), None)
    assert (decision.action, decision.platform_id, decision.effect) == (InboundAction.APPLY, None, PlatformEffect.WRITE)
    assert decision.body == xero_invoice().body


def test_a_record_gone_in_xero_before_the_platform_knew_it_is_skipped() -> None:
    # Given a voided invoice new to the platform / When it is judged / Then nothing is created
    decision = judge(xero_invoice(Status="VOIDED"), None)
    assert (decision.action, decision.reason) == (
        InboundAction.SKIP_FILTERED,
        "The invoice is voided in Xero and was never on the platform.",
    )


def test_only_unpaid_invoices_are_created_when_the_tenant_says_so() -> None:
    # Given only unpaid invoices come from Xero, and a paid one new to the platform
    decision = judge(xero_invoice(Status="PAID"), None, InboundEntitySettings(only_unpaid=True))
    # When it is judged / Then it is skipped
    assert (decision.action, decision.reason) == (
        InboundAction.SKIP_FILTERED,
        "The invoice is paid, and only unpaid invoices come from Xero.",
    )


def test_a_record_the_platform_has_keeps_receiving_changes_whatever_the_filters() -> None:
    # Given only unpaid invoices come from Xero, and an invoice the platform has is edited and paid in Xero
    xero = xero_invoice(Status="PAID", Reference="JOB-99")
    # When it is judged / Then the change is applied
    assert judge(xero, invoice_record(), InboundEntitySettings(only_unpaid=True)).action is InboundAction.APPLY


def test_a_record_dated_before_the_first_day_taken_is_not_created() -> None:
    # Given invoices are taken from 1 April 2026, and one dated 2 March
    decision = judge(xero_invoice(), None, InboundEntitySettings(since=date(2026, 4, 1)))
    # When it is judged / Then it is skipped, saying why
    assert decision.reason == "The invoice is dated 2026-03-02, before 2026-04-01, the first day taken from Xero."


# --- known to the platform ------------------------------------------------------------------------------


def test_our_own_write_coming_back_is_ignored() -> None:
    # Given Xero's version stamped with our own write / When it is judged / Then it is an echo
    decision = judge(xero_invoice(UpdatedDateUTC=ms(WRITTEN_AT)), invoice_record())
    assert (decision.action, decision.effect) == (InboundAction.IGNORE_ECHO, PlatformEffect.NONE)


def test_a_xero_users_edit_right_after_our_write_is_applied() -> None:
    # Given a bookkeeper changed the reference a second after our write
    decision = judge(xero_invoice(Reference="JOB-99"), invoice_record())
    # When it is judged / Then Xero's version is applied to the platform
    assert (decision.action, decision.body and decision.body["job_number"]) == (InboundAction.APPLY, "JOB-99")


def test_a_change_of_xeros_status_alone_is_no_change_but_is_told() -> None:
    # Given the invoice paid in Xero, nothing the platform holds changed
    decision = judge(xero_invoice(Status="PAID", Payments=[{"PaymentID": "pay-1"}]), invoice_record())
    # When it is judged / Then nothing is written, the new status and the payment are noted
    assert (decision.action, decision.status_changed, decision.xero_status, decision.has_applied) == (
        InboundAction.NO_CHANGE,
        True,
        "PAID",
        True,
    )


def test_a_void_in_xero_deletes_the_platforms_record() -> None:
    # Given an invoice voided in Xero, unchanged on the platform / When it is judged / Then it is a tombstone
    decision = judge(xero_invoice(Status="VOIDED"), invoice_record())
    assert (decision.action, decision.effect) == (InboundAction.TOMBSTONE, PlatformEffect.DELETE)


def test_deletions_the_tenant_does_not_sync_are_skipped() -> None:
    # Given deletions are not synced, and a void in Xero / When it is judged / Then it is skipped
    decision = judge(xero_invoice(Status="VOIDED"), invoice_record(), InboundEntitySettings(sync_deletions=False))
    assert decision.action is InboundAction.SKIP_FILTERED


def test_a_platform_change_on_its_way_over_an_untouched_xero_version_is_no_change() -> None:
    # Given the platform edited the invoice since the last sync, and Xero holds the synced version
    record = invoice_record(version=2, body=EDITED)
    # When Xero's version is judged against the synced one / Then the platform's goes out, nothing comes in
    decision = judge(xero_invoice(), record, synced=SyncedVersion(body=BODY))
    assert (decision.action, decision.effect) == (InboundAction.NO_CHANGE, PlatformEffect.NONE)


def test_an_archive_xero_sync_made_and_a_user_undid_restores_the_contact() -> None:
    # Given a contact deleted on the platform and archived in Xero by xero-sync, then made active in Xero
    body = contact().model_dump(mode="json")
    record = stored_record(Entity.CONTACT, body, deleted=True, xero_status="ARCHIVED")
    answer = answered_contact(contact_element(contact(), "xero-1"), UpdatedDateUTC=ms(LATER))
    # When it is judged / Then the platform's contact is written again
    decision = judge(fetched("Contacts", answer, base=body), record)
    assert (decision.action, decision.effect) == (InboundAction.APPLY, PlatformEffect.WRITE)


def test_a_record_gone_on_both_sides_needs_nothing() -> None:
    # Given an invoice deleted on the platform and voided in Xero / When judged / Then no change
    assert judge(xero_invoice(Status="VOIDED"), invoice_record(deleted=True)).action is InboundAction.NO_CHANGE


# --- conflicts ----------------------------------------------------------------------------------------


def test_a_record_changed_on_both_sides_is_a_conflict_the_platform_wins_by_default() -> None:
    # Given the platform edited the invoice (version 2 pending) and a bookkeeper changed its reference
    record = invoice_record(version=2, body=EDITED)
    # When it is judged
    decision = judge(xero_invoice(Reference="JOB-99"), record, synced=SyncedVersion(body=BODY))
    # Then it is a conflict won by the platform, both versions recorded
    conflict = decision.conflict
    assert conflict is not None
    assert (decision.action, conflict.winner, conflict.rule, decision.effect) == (
        InboundAction.CONFLICT,
        Side.PLATFORM,
        ConflictRule.SETTING,
        PlatformEffect.NONE,
    )
    assert (conflict.platform_body, conflict.xero_body["job_number"], conflict.platform_version) == (
        EDITED,
        "JOB-99",
        2,
    )


def test_a_conflict_goes_to_xero_when_the_tenant_says_so() -> None:
    # Given Xero wins the tenant's conflicts / When both sides changed / Then Xero's version is written
    record = invoice_record(version=2, body=EDITED)
    decision = judge(xero_invoice(Reference="JOB-99"), record, InboundEntitySettings(conflict_winner=Side.XERO))
    assert (decision.effect, decision.body and decision.body["job_number"]) == (PlatformEffect.WRITE, "JOB-99")


def test_a_void_in_xero_wins_over_a_platform_edit() -> None:
    # Given the platform edited an invoice that was voided in Xero (which never brings it back)
    decision = judge(xero_invoice(Status="VOIDED"), invoice_record(version=2, body=EDITED))
    # When it is judged / Then Xero wins by its final status, and the platform's record is deleted
    assert decision.conflict is not None
    assert (decision.conflict.rule, decision.effect) == (ConflictRule.FINAL_IN_XERO, PlatformEffect.DELETE)


def test_a_document_paid_in_xero_wins_over_a_platform_edit() -> None:
    # Given the platform edited an invoice that got a payment and a new reference in Xero
    xero = xero_invoice(Status="PAID", Reference="JOB-99", Payments=[{"PaymentID": "pay-1"}])
    # When it is judged, though the platform wins by setting / Then Xero wins: it would refuse the edit
    decision = judge(xero, invoice_record(version=2, body=EDITED))
    assert decision.conflict is not None
    assert decision.conflict.rule is ConflictRule.LOCKED_IN_XERO


def test_a_kind_taken_from_xero_only_is_won_by_xero() -> None:
    # Given invoices come from Xero only, and both sides changed
    settings = InboundEntitySettings(direction=Direction.FROM_XERO)
    decision = judge(xero_invoice(Reference="JOB-99"), invoice_record(version=2, body=EDITED), settings)
    # When it is judged / Then Xero wins by the direction, the platform's version still recorded
    assert decision.conflict is not None
    assert (decision.conflict.winner, decision.conflict.rule) == (Side.XERO, ConflictRule.DIRECTION)


def test_an_archive_in_xero_against_a_platform_edit_follows_the_setting() -> None:
    # Given the platform renamed a contact that was archived in Xero (which can be undone)
    record = stored_record(Entity.CONTACT, contact(name="Acme Group").model_dump(mode="json"), version=2)
    answer = answered_contact(contact_element(contact(), "xero-1"), ContactStatus="ARCHIVED", UpdatedDateUTC=ms(LATER))
    # When it is judged / Then the platform wins, and its version (which restores the contact) goes out
    decision = judge(fetched("Contacts", answer, base=record.body), record)
    assert decision.conflict is not None
    assert (decision.conflict.winner, decision.effect) == (Side.PLATFORM, PlatformEffect.NONE)
