"""Writes to endpoints without summarizeErrors: Accounts, TaxRates, TrackingCategories and their Options.

These take one object or a short list (PUT /Accounts takes a single Account, FACTS.md §3.2) and
answer a refused element with a 400 ValidationException echoing it, never with per-element
StatusAttributeString, which their schemas do not have.
"""

from __future__ import annotations

from typing import Any

from xero_simulator.accounting.batch import ElementError, SaveElement, elements_of
from xero_simulator.errors import ValidationError
from xero_simulator.routing import ApiRequest


def write_each(req: ApiRequest, collection: str, save: SaveElement) -> dict[str, Any]:
    """Save each submitted element with `save`; any ElementError makes the answer a 400 listing the refused ones.

    As with Xero's batches, elements saved before a refused one stay saved (FACTS.md §4.4).
    """
    saved: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    for element in elements_of(req, collection):
        try:
            saved.append(save(req, element))
        except ElementError as error:
            refused.append({**element, "ValidationErrors": [{"Message": m} for m in error.messages]})
    if refused:
        raise ValidationError(elements=refused)
    return {collection: saved}
