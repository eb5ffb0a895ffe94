"""The elements that delete, void or archive a record in Xero by status (FACTS.md §4.1, §4.7, §4.8, §4.10).

Invoices, bills, credit notes, contacts and payments have no DELETE verb: a POST to the record
with its new status does it. Items are deleted with DELETE /Items/{id}, which takes no body.
"""

from __future__ import annotations

from typing import Any

from shared.domain.records import Entity

# The id field and status field of each entity, and the statuses this service sets on it.
_STATUS_CHANGES: dict[Entity, tuple[str, str, frozenset[str]]] = {
    Entity.INVOICE: ("InvoiceID", "Status", frozenset({"DELETED", "VOIDED"})),
    Entity.BILL: ("InvoiceID", "Status", frozenset({"DELETED", "VOIDED"})),
    Entity.CREDIT_NOTE: ("CreditNoteID", "Status", frozenset({"DELETED", "VOIDED"})),
    Entity.CONTACT: ("ContactID", "ContactStatus", frozenset({"ARCHIVED"})),
    Entity.PAYMENT: ("PaymentID", "Status", frozenset({"DELETED"})),
}


def status_element(entity: Entity, xero_id: str, status: str) -> dict[str, Any]:
    """The element POSTed to the record's own path (/Invoices/{id}, /Contacts/{id}, ...) to set `status`.

    Raises ValueError for a status Xero does not take that way (items have none: DELETE /Items/{id}).
    """
    change = _STATUS_CHANGES.get(entity)
    if change is None or status not in change[2]:
        raise ValueError(f"a {entity.value} is not set to {status} by status")
    id_field, status_field, _ = change
    return {id_field: xero_id, status_field: status}
