"""The elements that delete, void or archive a record in Xero by status (FACTS.md §4.1, §4.7, §4.8, §4.10)."""

from __future__ import annotations

import pytest

from shared.domain.mapping.statuses import status_element
from shared.domain.records import Entity


@pytest.mark.parametrize(
    ("entity", "status", "element"),
    [
        (Entity.INVOICE, "VOIDED", {"InvoiceID": "x-1", "Status": "VOIDED"}),
        (Entity.BILL, "DELETED", {"InvoiceID": "x-1", "Status": "DELETED"}),
        (Entity.CREDIT_NOTE, "VOIDED", {"CreditNoteID": "x-1", "Status": "VOIDED"}),
        (Entity.CONTACT, "ARCHIVED", {"ContactID": "x-1", "ContactStatus": "ARCHIVED"}),
        (Entity.PAYMENT, "DELETED", {"PaymentID": "x-1", "Status": "DELETED"}),
    ],
)
def test_a_status_change_names_the_record_and_its_new_status(
    entity: Entity, status: str, element: dict[str, str]
) -> None:
    # When the status change of a record in Xero is mapped / Then it carries Xero's id and status fields
    assert status_element(entity, "x-1", status) == element


@pytest.mark.parametrize(
    ("entity", "status"),
    [(Entity.ITEM, "DELETED"), (Entity.PAYMENT, "VOIDED"), (Entity.INVOICE, "PAID"), (Entity.CONTACT, "DELETED")],
)
def test_a_status_xero_does_not_take_that_way_is_refused(entity: Entity, status: str) -> None:
    # When an impossible status change is asked for / Then it is a programming error
    with pytest.raises(ValueError, match="by status"):
        status_element(entity, "x-1", status)
