"""Change notices the sync from Xero keeps to fetch again later (issue 5, §1 and §3).

Two reasons to keep one rather than let it go:
- Xero answered without the record (asked for by id and left out): never a deletion (tombstones.py),
  so it is asked for again after a while, a few times, each wait longer than the last
  (`after_not_found`); past the last try reconciliation settles it.
- The fetch could not be made: the rate budget said wait, Xero answered 429 or 5xx, or the tenant's
  push held its records (`waiting`). Nothing was learnt, so the attempt is not counted.

Kept notices live in the state table, not in the queue: a message that waits by failing comes back
after the visibility timeout and lands in the dead-letter queue after five receives, while Xero's
daily limit can park a tenant for hours (docs/decisions.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from shared.domain.webhook_events import ChangeNotice

# The wait before the next try of a record Xero did not answer: its search may lag a write by
# seconds, a record may be briefly invisible to the token; past the last, reconciliation settles it.
NOT_FOUND_WAITS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))


class PendingFetch(BaseModel):
    """A change notice kept for a later fetch, with why and until when."""

    model_config = ConfigDict(frozen=True)

    notice: ChangeNotice
    retry_at: datetime
    reason: str
    not_found: int = 0  # times Xero answered without the record

    @property
    def key(self) -> str:
        """One pending fetch per record: a newer notice of the same record replaces it."""
        return pending_key(self.notice)

    def due(self, now: datetime) -> bool:
        return self.retry_at <= now


def pending_key(notice: ChangeNotice) -> str:
    """The key a notice is kept under (PendingFetch.key)."""
    return f"{notice.category.strip().upper()}#{notice.resource_id.strip().lower()}"


def after_not_found(notice: ChangeNotice, earlier: PendingFetch | None, now: datetime) -> PendingFetch | None:
    """The notice kept after Xero answered without its record; None once every try is spent."""
    tries = (earlier.not_found if earlier is not None else 0) + 1
    if tries > len(NOT_FOUND_WAITS):
        return None
    wait = NOT_FOUND_WAITS[tries - 1]
    reason = f"Xero answered without the record ({tries} times; asked again up to {len(NOT_FOUND_WAITS)} times)"
    return PendingFetch(notice=notice, retry_at=now + wait, reason=reason, not_found=tries)


def waiting(notice: ChangeNotice, earlier: PendingFetch | None, until: datetime, reason: str) -> PendingFetch:
    """The notice kept because its fetch could not be made before `until`; its tries are not spent."""
    return PendingFetch(
        notice=notice, retry_at=until, reason=reason, not_found=earlier.not_found if earlier is not None else 0
    )
