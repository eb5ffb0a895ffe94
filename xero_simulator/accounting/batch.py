"""Batch writes and summarizeErrors, shared by every collection that PUTs and POSTs elements.

Each element is validated and saved on its own. With summarizeErrors=false the answer is 200 and
every element carries StatusAttributeString and its ValidationErrors. With summarizeErrors=true
(Xero's default) one bad element turns the answer into a 400 ValidationException that lists only
the failed elements, while the valid ones stay saved and their ids are not returned, as Xero does
(FACTS.md §4.4).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xero_simulator.errors import PostDataInvalidError, ValidationError
from xero_simulator.routing import ApiRequest


class ElementError(Exception):
    """One element of a batch that Xero refuses; the rest of the batch goes on."""

    def __init__(self, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


class Refusals:
    """The refusals of one element's independent checks, collected so that Xero's messages come together.

    Xero lists every problem of an element at once (e.g. "Payments can only be made against
    Authorised documents" beside "Payment amount exceeds the amount outstanding on this document").
    `check(step, ...)` runs a step that may raise ElementError and returns its result, or None when
    it refused; once every check ran, the caller refuses the element with `ElementError(*messages)`.
    """

    def __init__(self) -> None:
        self.messages: list[str] = []

    def check[T](self, step: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return step(*args, **kwargs)
        except ElementError as refused:
            self.messages.extend(refused.messages)
            return None


SaveElement = Callable[[ApiRequest, dict[str, Any]], dict[str, Any]]


def elements_of(req: ApiRequest, collection: str) -> list[dict[str, Any]]:
    """The submitted elements: `{"Invoices": [...]}`, or one bare object, as Xero accepts both."""
    body = req.body
    if not isinstance(body, dict):
        raise PostDataInvalidError(f"The request body must contain {collection}")
    if collection in body:
        items = body[collection]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise PostDataInvalidError(f"{collection} must be an array of objects")
        return items
    return [body]


def write_batch(req: ApiRequest, collection: str, save: SaveElement) -> dict[str, Any]:
    """Save each element with `save` (which raises ElementError to refuse one) and answer as Xero does."""
    summarize = req.flag("summarizeErrors", default=True)
    answered: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for element in elements_of(req, collection):
        try:
            saved = save(req, element)
        except ElementError as refused:
            echo = {
                **element,
                "StatusAttributeString": "ERROR",
                "HasValidationErrors": True,
                "ValidationErrors": [{"Message": m} for m in refused.messages],
            }
            answered.append(echo)
            failed.append(echo)
            continue
        answered.append({**saved, "StatusAttributeString": "OK"})
    if failed and summarize:
        raise ValidationError(elements=[_strip_status(e) for e in failed])
    return {collection: answered}


def _strip_status(element: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in element.items() if k not in {"StatusAttributeString", "HasValidationErrors"}}
