"""Xero's batch answers read element by element (FACTS.md §4.4), in the shapes of the spec's examples."""

from __future__ import annotations

from typing import Any

import pytest

from shared.domain.xero_answers import NIL_ID, UnreadableAnswerError, elements, validation_messages

INVOICE_ID = "d4956132-ed94-4dd7-9eaa-aa22dfdf06f2"
CONTACT_MESSAGE = (
    "The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, "
    "ContactNumber"
)


def saved_invoice(**fields: Any) -> dict[str, Any]:
    return {"InvoiceID": INVOICE_ID, "Status": "AUTHORISED", "StatusAttributeString": "OK", **fields}


def refused_invoice(*messages: str, **fields: Any) -> dict[str, Any]:
    return {
        "InvoiceID": NIL_ID,
        "Status": "DRAFT",
        "StatusAttributeString": "ERROR",
        "HasValidationErrors": True,
        "ValidationErrors": [{"Message": message} for message in messages],
        **fields,
    }


def test_a_saved_element_is_ok_with_its_xero_id_and_status() -> None:
    # Given a summarizeErrors=false answer with one saved invoice
    body = {"Invoices": [saved_invoice()]}
    # When it is read
    (result,) = elements(body, "Invoices")
    # Then the element is ok, with the id and status Xero gave it and no messages
    assert (result.ok, result.xero_id, result.status, result.messages) == (True, INVOICE_ID, "AUTHORISED", ())


def test_a_refused_element_carries_xeros_messages_and_no_id() -> None:
    # Given an element Xero refused, echoed with the empty GUID
    body = {"Invoices": [refused_invoice(CONTACT_MESSAGE, "Invoice # must be unique.")]}
    # When it is read
    (result,) = elements(body, "Invoices")
    # Then it failed with both of Xero's messages, and the echoed GUID is not taken for an id
    assert (result.ok, result.xero_id, result.messages) == (False, None, (CONTACT_MESSAGE, "Invoice # must be unique."))


def test_an_id_echoed_on_a_refused_element_is_not_taken_for_a_saved_record() -> None:
    # Given a refused element that still carries a real-looking id (as the spec's BankTransactions example does)
    body = {"Invoices": [refused_invoice("Invoice # must be unique.", InvoiceID=INVOICE_ID)]}
    # When it is read, then it has no xero id
    assert elements(body, "Invoices")[0].xero_id is None


def test_mixed_elements_are_read_in_request_order() -> None:
    # Given a batch answer with a saved, a refused and a saved element
    second_id = "0f9a8b7c-6d5e-4f3a-2b1c-0d9e8f7a6b5c"
    body = {
        "Invoices": [saved_invoice(), refused_invoice("Invoice # must be unique."), saved_invoice(InvoiceID=second_id)]
    }
    # When it is read
    results = elements(body, "Invoices")
    # Then each element answers for itself, in the order sent
    assert [(r.ok, r.xero_id) for r in results] == [(True, INVOICE_ID), (False, None), (True, second_id)]


def test_a_warning_is_saved_with_its_warnings() -> None:
    # Given an element Xero saved with a warning
    body = {"Invoices": [saved_invoice(StatusAttributeString="WARNING", Warnings=[{"Message": "Rounding applied"}])]}
    # When it is read, then it is ok and keeps the warning's words
    (result,) = elements(body, "Invoices")
    assert (result.ok, result.warnings) == (True, ("Rounding applied",))


def test_validation_errors_without_an_error_status_still_fail_the_element() -> None:
    # Given an element without StatusAttributeString but with a validation error
    body = {"Invoices": [{"InvoiceID": INVOICE_ID, "ValidationErrors": [{"Message": "Invoice # must be unique."}]}]}
    # When it is read, then it failed
    assert not elements(body, "Invoices")[0].ok


@pytest.mark.parametrize(
    ("collection", "id_field"),
    [
        ("Contacts", "ContactID"),
        ("Items", "ItemID"),
        ("Invoices", "InvoiceID"),
        ("CreditNotes", "CreditNoteID"),
        ("Payments", "PaymentID"),
        ("Allocations", "AllocationID"),
    ],
)
def test_each_collection_reads_its_own_id_field(collection: str, id_field: str) -> None:
    # Given a saved element of the collection
    body = {collection: [{id_field: INVOICE_ID, "StatusAttributeString": "OK"}]}
    # When it is read, then its id comes from the collection's id field
    assert elements(body, collection)[0].xero_id == INVOICE_ID


def test_the_element_is_kept_as_xero_returned_it() -> None:
    # Given a saved invoice with Xero's totals
    element = saved_invoice(Total=20.0, InvoiceNumber="INV-0001")
    # When it is read, then the whole element is there for the caller's own fields
    assert elements({"Invoices": [element]}, "Invoices")[0].element == element


def test_a_validation_exception_refuses_every_element_it_lists() -> None:
    # Given Xero's 400 ValidationException for a whole request
    body = {
        "ErrorNumber": 10,
        "Type": "ValidationException",
        "Message": "A validation exception occurred",
        "Elements": [{"Name": "A", "ValidationErrors": [{"Message": "Please enter a unique Name."}]}],
    }
    # When it is read
    (result,) = elements(body, "Contacts")
    # Then the element failed with Xero's words
    assert (result.ok, result.messages) == (False, ("Please enter a unique Name.",))


def test_a_validation_exceptions_distinct_messages_are_the_requests_refusal() -> None:
    # Given a ValidationException whose two elements share one message and have another
    key_reused = "Idempotency-Key 'k' is used with a different request"
    body = {
        "Type": "ValidationException",
        "Elements": [
            {"ValidationErrors": [{"Message": key_reused}]},
            {"ValidationErrors": [{"Message": key_reused}, {"Message": "Invoice # must be unique."}]},
        ],
    }
    # When its messages are read, then each appears once, in order
    assert validation_messages(body) == (key_reused, "Invoice # must be unique.")


def test_an_answer_without_the_collection_is_unreadable_rather_than_empty() -> None:
    # Given a 200 body that lists no invoices
    body = {"Id": "5bc1d776-3c7f-4fe8-9b2d-09e747077a88", "Status": "OK"}
    # When it is read as an Invoices answer, then it is refused, never taken for "nothing failed"
    with pytest.raises(UnreadableAnswerError):
        elements(body, "Invoices")


def test_an_unknown_collection_is_refused() -> None:
    # When a collection without a known id field is read, then the caller is told
    with pytest.raises(ValueError, match="Quotes"):
        elements({"Quotes": []}, "Quotes")
