"""Reading records from Xero by id, for the sync from Xero: every read through the rate budget.

One GET per group of ids (queries.by_ids: 50 by IDs=, 25 by a where of Guid()s, with line items,
archived records and 4-place unit amounts), answered as found and not found (tombstones.sort_answer:
an id missing from the answer is never a deletion). A GET changes nothing in Xero, so one that
meets a 5xx or loses its answer is simply made again, a few times, before the read gives up for now.
A read never starts past the run's deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.domain.inbound.queries import by_ids, ids_per_fetch
from shared.domain.inbound.tombstones import FetchAnswer, sort_answer
from shared.ports.xero_accounting import XeroRequest
from shared.ports.xero_identity import XeroUnavailableError
from shared.usecases.push.tenant_xero import TenantXero
from shared.usecases.rate_budgeted_xero import MustWaitError

# A GET that met a 5xx or a lost answer is made again at once, this many times in all.
READS_PER_FETCH = 3


@dataclass(frozen=True)
class ListedPage:
    """One page of a listing: its elements, and Xero's `pagination` counts when it answered them
    (paged lists do: itemCount and pageCount of the whole query)."""

    elements: list[dict[str, Any]]
    item_count: int | None = None
    page_count: int | None = None


def _pagination(body: dict[str, Any]) -> tuple[int | None, int | None]:
    pagination = body.get("pagination")
    if not isinstance(pagination, dict):
        return None, None
    items, pages = pagination.get("itemCount"), pagination.get("pageCount")
    return (items if isinstance(items, int) else None), (pages if isinstance(pages, int) else None)


class DeadlineReachedError(Exception):
    """The run's time is up: what is left is kept for the next run."""


@dataclass
class XeroReads:
    xero: TenantXero
    now: Callable[[], datetime]
    deadline: datetime | None = None

    def by_ids(self, collection: str, ids: Sequence[str]) -> FetchAnswer:
        """One read of `ids` (at most ids_per_fetch) from `collection`. Raises MustWaitError (the
        budget said wait, or Xero answered 429), XeroUnavailableError (Xero kept failing),
        DeadlineReachedError, and what TenantXero raises for a refused token or read."""
        if self.deadline is not None and self.now() >= self.deadline:
            raise DeadlineReachedError
        request = XeroRequest(method="GET", path=f"/{collection}", params=by_ids(collection, ids))
        elements, _ = self._read(request, collection)
        return sort_answer(ids, elements, collection)

    def listing(self, collection: str, params: dict[str, str], since: datetime | None) -> ListedPage:
        """One page of a reconciliation's read of `collection` (changed since `since`, None: all): its
        elements and Xero's counts. Raises as `by_ids` does."""
        if self.deadline is not None and self.now() >= self.deadline:
            raise DeadlineReachedError
        request = XeroRequest(method="GET", path=f"/{collection}", params=params, if_modified_since=since)
        elements, body = self._read(request, collection)
        return ListedPage(elements, *_pagination(body))

    def _read(self, request: XeroRequest, collection: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The elements of `collection` Xero answered `request` with, and the whole body; a read Xero
        failed is tried again, READS_PER_FETCH times in all (a budget wait is raised at once)."""
        last: XeroUnavailableError | None = None
        for _ in range(READS_PER_FETCH):
            try:
                answer = self.xero.call(request)
            except MustWaitError:
                raise
            except XeroUnavailableError as unavailable:
                last = unavailable
                continue
            listed = answer.body.get(collection)
            elements = [element for element in listed if isinstance(element, dict)] if isinstance(listed, list) else []
            return elements, answer.body
        raise last or XeroUnavailableError(f"GET /{collection} failed")

    def chunked(self, collection: str, ids: Sequence[str]) -> Iterator[tuple[tuple[str, ...], FetchAnswer]]:
        """Read any number of ids, one call per group; each group with its answer."""
        unique = list(dict.fromkeys(ids))
        size = ids_per_fetch(collection)
        for start in range(0, len(unique), size):
            group = tuple(unique[start : start + size])
            yield group, self.by_ids(collection, group)
