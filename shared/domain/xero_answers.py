"""Xero's answers to batch writes, read element by element (FACTS.md §4.4).

With summarizeErrors=false Xero answers 200 and echoes every element in request order, each with
StatusAttributeString (OK, WARNING or ERROR), its ValidationErrors and Warnings; a saved element
carries the id Xero gave it. A request Xero refuses as a whole is a 400 ValidationException whose
Elements carry the ValidationErrors; with summarizeErrors=true (never sent by xero-sync) it lists
only the refused elements, leaving out the ones it saved, so its results match the request by
position only when it lists as many elements as were sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The id field of each collection xero-sync writes (OAS-ACC schemas).
ID_FIELDS: dict[str, str] = {
    "Contacts": "ContactID",
    "Items": "ItemID",
    "Invoices": "InvoiceID",
    "CreditNotes": "CreditNoteID",
    "Payments": "PaymentID",
    "Allocations": "AllocationID",
    "BankTransactions": "BankTransactionID",
}
# Xero echoes a refused create with an empty GUID in its id field.
NIL_ID = "00000000-0000-0000-0000-000000000000"
ERROR = "ERROR"


class UnreadableAnswerError(ValueError):
    """The body is neither a batch answer for the collection nor a ValidationException with Elements."""


@dataclass(frozen=True)
class ElementResult:
    """What Xero answered for one element.

    `ok`: Xero saved it (OK, or WARNING with `warnings`). `xero_id`: the collection's id field,
    only when ok (a refused element's id is an echo, never a saved record). `status`: the element's
    own Status as Xero holds it (AUTHORISED, DELETED, ...). `messages`: its ValidationErrors, in
    Xero's words. `element`: the element exactly as Xero returned it."""

    ok: bool
    xero_id: str | None
    status: str | None
    messages: tuple[str, ...]
    warnings: tuple[str, ...]
    element: dict[str, Any]


def elements(body: dict[str, Any], collection: str) -> list[ElementResult]:
    """Each element of a batch answer for `collection` ("Invoices"), in the order Xero listed them.

    Reads a summarizeErrors=false answer ({"Invoices": [...]}) and a 400 ValidationException
    ({"Elements": [...]}, every element refused). Raises UnreadableAnswerError for any other body,
    so that an answer nobody understood is never taken for a success."""
    if collection not in ID_FIELDS:
        raise ValueError(f"no id field is known for {collection!r} (one of {sorted(ID_FIELDS)})")
    listed = body.get(collection)
    refused_whole = listed is None and body.get("Type") == "ValidationException"
    if refused_whole:
        listed = body.get("Elements")
    if not isinstance(listed, list) or not all(isinstance(element, dict) for element in listed):
        raise UnreadableAnswerError(f"the answer lists no {collection} and no ValidationException Elements")
    return [_result(element, ID_FIELDS[collection], refused=refused_whole) for element in listed]


def validation_messages(body: dict[str, Any]) -> tuple[str, ...]:
    """The distinct ValidationErrors messages of a 400 ValidationException, in order: the words to
    put on every element of a request Xero refused as a whole. Empty for any other body."""
    if body.get("Type") != "ValidationException" or not isinstance(body.get("Elements"), list):
        return ()
    listed = [_messages(element.get("ValidationErrors")) for element in body["Elements"] if isinstance(element, dict)]
    return tuple(dict.fromkeys(message for messages in listed for message in messages))


def _result(element: dict[str, Any], id_field: str, *, refused: bool) -> ElementResult:
    messages = _messages(element.get("ValidationErrors"))
    ok = not (
        refused
        or messages
        or element.get("StatusAttributeString") == ERROR
        or element.get("HasValidationErrors") is True
    )
    xero_id = element.get(id_field)
    status = element.get("Status")
    return ElementResult(
        ok=ok,
        xero_id=str(xero_id) if ok and xero_id and xero_id != NIL_ID else None,
        status=str(status) if status is not None else None,
        messages=messages,
        warnings=_messages(element.get("Warnings")),
        element=element,
    )


def _messages(listed: object) -> tuple[str, ...]:
    """The `Message` of each entry of ValidationErrors or Warnings ([{"Message": "..."}])."""
    if not isinstance(listed, list):
        return ()
    return tuple(str(entry["Message"]) for entry in listed if isinstance(entry, dict) and entry.get("Message"))
