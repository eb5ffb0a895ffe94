"""Which step Xero's status rules allow for a record's latest version: one test per rule (FACTS.md §4.7-§4.10)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.domain.ledger import StoredRecord, SyncState
from shared.domain.mapping.changes import Step, step_for
from shared.domain.mapping.context import NotMapped
from shared.domain.records import DocumentStatus, Entity
from tests.unit.mapping.mapping_world import contact, credit_note, invoice, item, payment, stored


def invoice_record(**changes: Any) -> StoredRecord:
    return stored(Entity.INVOICE, invoice().model_dump(mode="json"), **changes)


def skipped_reason(record: StoredRecord) -> str:
    with pytest.raises(NotMapped) as refused:
        step_for(record)
    assert refused.value.state is SyncState.SKIPPED
    return refused.value.reason


def test_a_version_xero_already_has_needs_nothing() -> None:
    # Given a record whose latest version was accepted / When its step is decided / Then there is none
    assert step_for(invoice_record(synced_version=2)) is Step.NOTHING


def test_a_record_new_to_xero_is_created() -> None:
    # Given a record never accepted by Xero / When its step is decided / Then it is created
    assert step_for(invoice_record(synced_version=None, xero_id=None)) is Step.CREATE


def test_a_deleted_record_that_never_reached_xero_needs_nothing() -> None:
    # Given a record deleted before it was sent / When its step is decided / Then there is none
    assert step_for(invoice_record(synced_version=None, xero_id=None, deleted=True)) is Step.NOTHING


def test_a_changed_contact_is_updated() -> None:
    # Given a contact in Xero changed on the platform / When decided / Then it is updated
    assert step_for(stored(Entity.CONTACT, contact().model_dump(mode="json"))) is Step.UPDATE


def test_a_deleted_contact_is_archived() -> None:
    # Given a contact deleted on the platform / When decided / Then it is archived (Xero has no DELETE)
    assert step_for(stored(Entity.CONTACT, contact().model_dump(mode="json"), deleted=True)) is Step.ARCHIVE


def test_a_deleted_contact_already_archived_needs_nothing() -> None:
    # Given a deleted contact Xero already holds archived / When decided / Then there is nothing to do
    record = stored(Entity.CONTACT, contact().model_dump(mode="json"), deleted=True, xero_status="ARCHIVED")
    assert step_for(record) is Step.NOTHING


def test_a_changed_item_is_updated() -> None:
    # Given an item changed on the platform / When decided / Then it is updated
    assert step_for(stored(Entity.ITEM, item().model_dump(mode="json"))) is Step.UPDATE


def test_a_deleted_item_is_removed() -> None:
    # Given an item deleted on the platform / When decided / Then it is removed (DELETE /Items/{id})
    assert step_for(stored(Entity.ITEM, item().model_dump(mode="json"), deleted=True)) is Step.REMOVE


def test_a_changed_payment_is_replaced() -> None:
    # Given a payment changed on the platform / When decided / Then it is deleted and made again
    record = stored(Entity.PAYMENT, payment().model_dump(mode="json"), xero_status="AUTHORISED")
    assert step_for(record) is Step.REPLACE


def test_a_deleted_payment_is_removed() -> None:
    # Given a payment deleted on the platform / When decided / Then it is deleted by status
    record = stored(Entity.PAYMENT, payment().model_dump(mode="json"), xero_status="AUTHORISED", deleted=True)
    assert step_for(record) is Step.REMOVE


def test_a_payment_whose_xero_twin_was_deleted_is_created_again() -> None:
    # Given a payment written again after its Xero payment was deleted / When decided / Then it is created
    record = stored(Entity.PAYMENT, payment().model_dump(mode="json"), xero_status="DELETED")
    assert step_for(record) is Step.CREATE


def test_a_deleted_payment_already_deleted_in_xero_needs_nothing() -> None:
    # Given a deleted payment Xero already holds deleted / When decided / Then there is nothing to do
    record = stored(Entity.PAYMENT, payment().model_dump(mode="json"), xero_status="DELETED", deleted=True)
    assert step_for(record) is Step.NOTHING


@pytest.mark.parametrize("xero_status", ["DRAFT", "SUBMITTED"])
def test_a_deleted_draft_or_submitted_document_is_deleted(xero_status: str) -> None:
    # Given a document Xero holds as a draft (or awaiting approval), deleted on the platform
    # When decided / Then it is deleted in Xero
    assert step_for(invoice_record(xero_status=xero_status, deleted=True)) is Step.DELETE


def test_a_deleted_authorised_document_is_voided() -> None:
    # Given an authorised invoice deleted on the platform / When decided / Then it is voided
    assert step_for(invoice_record(xero_status="AUTHORISED", deleted=True)) is Step.VOID


def test_a_deleted_document_of_unknown_status_is_voided() -> None:
    # Given a deleted document whose Xero status was never recorded / When decided
    # Then it is taken as AUTHORISED, the status documents are created in by default
    assert step_for(invoice_record(deleted=True)) is Step.VOID


def test_a_changed_document_is_updated() -> None:
    # Given an authorised invoice changed on the platform / When decided / Then it is updated
    assert step_for(invoice_record(xero_status="AUTHORISED")) is Step.UPDATE


def test_a_document_with_a_payment_applied_is_not_edited() -> None:
    # Given a changed invoice that has a payment applied in Xero
    reason = skipped_reason(invoice_record(xero_status="AUTHORISED", has_applied=True))
    # Then it is skipped with the reason and the remedy
    assert reason == (
        "The invoice has a payment or credit note applied in Xero, and Xero refuses to edit it: remove the payment "
        "or allocation in Xero first."
    )


def test_a_document_with_a_payment_applied_is_not_voided() -> None:
    # Given a deleted invoice that has a payment applied in Xero / When decided / Then it is skipped
    assert "refuses to void it" in skipped_reason(
        invoice_record(xero_status="AUTHORISED", has_applied=True, deleted=True)
    )


def test_a_paid_document_is_not_edited() -> None:
    # Given a changed invoice that Xero holds PAID / When decided / Then it is skipped
    assert "refuses to edit it" in skipped_reason(invoice_record(xero_status="PAID"))


def test_a_voided_document_is_not_edited() -> None:
    # Given a changed invoice that Xero holds VOIDED / When decided / Then it is skipped: the status is final
    assert skipped_reason(invoice_record(xero_status="VOIDED")) == (
        "The invoice is voided in Xero, a final status: Xero can neither edit it nor bring it back."
    )


@pytest.mark.parametrize("xero_status", ["VOIDED", "DELETED"])
def test_a_deleted_document_already_gone_from_xero_needs_nothing(xero_status: str) -> None:
    # Given a deleted invoice Xero already holds voided or deleted / When decided / Then there is nothing to do
    assert step_for(invoice_record(xero_status=xero_status, deleted=True)) is Step.NOTHING


def test_an_allocated_credit_note_is_not_edited() -> None:
    # Given a changed credit note whose credit is allocated in Xero
    record = stored(
        Entity.CREDIT_NOTE, credit_note().model_dump(mode="json"), xero_status="AUTHORISED", has_applied=True
    )
    # When decided / Then it is skipped, saying to remove its allocations
    assert skipped_reason(record).startswith("The credit note is allocated in Xero, and Xero refuses to edit it")


def test_an_approved_document_is_not_taken_back_to_draft() -> None:
    # Given an invoice authorised in Xero that the platform turned back into a draft
    draft = invoice(status=DocumentStatus.DRAFT).model_dump(mode="json")
    # When decided / Then it is skipped
    assert "does not take an approved document back to draft" in skipped_reason(
        stored(Entity.INVOICE, draft, xero_status="AUTHORISED")
    )


def test_a_draft_document_stays_editable_as_a_draft() -> None:
    # Given an invoice Xero holds as a draft, still a draft on the platform / When decided / Then it is updated
    draft = invoice(status=DocumentStatus.DRAFT).model_dump(mode="json")
    assert step_for(stored(Entity.INVOICE, draft, xero_status="DRAFT")) is Step.UPDATE
