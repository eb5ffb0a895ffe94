"""Which step brings Xero in line with a record's latest version, under Xero's status rules (FACTS.md §4.7-§4.10).

- Nothing to do: Xero already has this version, or a record deleted on the platform never reached
  Xero (or is already gone there).
- New to Xero: CREATE. A payment whose Xero twin was deleted is created again.
- Contacts: an edit is an UPDATE (which also restores an archived contact); a deletion ARCHIVEs
  (Xero has no DELETE for contacts).
- Items: UPDATE; a deletion is REMOVE (DELETE /Items/{id}).
- Payments cannot be modified, only created and deleted (FACTS.md §4.8): an edit REPLACEs (delete,
  then create), a deletion REMOVEs (delete by status).
- Invoices, bills and credit notes: a deleted DRAFT or SUBMITTED document is DELETEd, a deleted
  AUTHORISED one VOIDed; an edit is an UPDATE. Xero refuses, so the record is SKIPPED with the
  reason, to edit or void a document with a payment or credit note applied (or a credit note whose
  credit is allocated) and a PAID one; to edit a VOIDED or DELETED one (final statuses); and to
  take an approved invoice or bill back to draft.

A document whose Xero status is unknown is taken as AUTHORISED, the status this service creates
documents in unless the tenant chose otherwise; Xero's own refusal then says if it was not.
"""

from __future__ import annotations

from enum import StrEnum

from shared.domain.ledger import StoredRecord, SyncState
from shared.domain.mapping.context import NotMapped
from shared.domain.records import Document, DocumentStatus, Entity

_DOCUMENTS = frozenset({Entity.INVOICE, Entity.BILL, Entity.CREDIT_NOTE})
_FINAL = frozenset({"DELETED", "VOIDED"})
_DELETABLE = frozenset({"DRAFT", "SUBMITTED"})


class Step(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    ARCHIVE = "archive"  # a contact, by ContactStatus
    DELETE = "delete"  # a draft or submitted document, by status
    VOID = "void"  # an authorised document, by status
    REPLACE = "replace"  # a changed payment: delete it, then create it again
    REMOVE = "remove"  # a deleted payment (by status) or item (DELETE /Items/{id})
    NOTHING = "nothing"


def step_for(record: StoredRecord) -> Step:
    """The step for the record's latest version; raises NotMapped(SKIPPED, reason) where Xero would refuse it."""
    if record.synced_version == record.version:
        return Step.NOTHING
    if record.xero_id is None:
        return Step.NOTHING if record.deleted else Step.CREATE
    if record.entity in _DOCUMENTS:
        return _document_step(record)
    if record.entity is Entity.CONTACT:
        if record.deleted:
            return Step.NOTHING if record.xero_status == "ARCHIVED" else Step.ARCHIVE
        return Step.UPDATE
    if record.entity is Entity.PAYMENT:
        if record.xero_status == "DELETED":
            return Step.NOTHING if record.deleted else Step.CREATE
        return Step.REMOVE if record.deleted else Step.REPLACE
    return Step.REMOVE if record.deleted else Step.UPDATE


def _refused(record: StoredRecord, why: str) -> NotMapped:
    noun = record.entity.value.replace("_", " ")
    return NotMapped(SyncState.SKIPPED, f"The {noun} {why}")


def _document_step(record: StoredRecord) -> Step:
    status = record.xero_status or "AUTHORISED"
    change = "void" if record.deleted else "edit"
    if status in _FINAL:
        if record.deleted:
            return Step.NOTHING
        raise _refused(
            record, f"is {status.lower()} in Xero, a final status: Xero can neither edit it nor bring it back."
        )
    if record.has_applied or status == "PAID":
        if record.entity is Entity.CREDIT_NOTE:
            raise _refused(
                record, f"is allocated in Xero, and Xero refuses to {change} it: remove its allocations in Xero first."
            )
        raise _refused(
            record,
            f"has a payment or credit note applied in Xero, and Xero refuses to {change} it: remove the payment "
            "or allocation in Xero first.",
        )
    if record.deleted:
        return Step.DELETE if status in _DELETABLE else Step.VOID
    body = record.parsed()
    if status == "AUTHORISED" and isinstance(body, Document) and body.status is DocumentStatus.DRAFT:
        raise _refused(
            record, "is approved in Xero, and Xero does not take an approved document back to draft: approve it again."
        )
    return Step.UPDATE
