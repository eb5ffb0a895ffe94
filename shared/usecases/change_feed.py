"""The platform reads the changes made in Xero: the tenant's change feed, from a cursor (issue 5, §3).

Scoped by the tenant the request names: the feed is read in that tenant's partition only, so a
cursor (a position) from another tenant finds nothing of it. The feed is served only up to
changes.SETTLE before now, so a change whose write is still landing is never skipped by a reader
that has already moved past its instant.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.clock import Clock
from shared.domain.inbound.changes import RecordChange, readable_until, sort_key_of
from shared.ports.change_feed import ChangeFeed
from shared.ports.state import InvalidCursorError, TenantRepository
from shared.usecases.tenants import get_tenant

MAX_CHANGES_PER_PAGE = 100


class ChangeFeedUnavailableError(Exception):
    """The API was composed without a change feed (a programming error, never a tenant's)."""


@dataclass(frozen=True)
class ChangesPage:
    changes: list[RecordChange]
    cursor: str | None  # where to read on from: the last change's cursor, or the one given when none followed


@dataclass(frozen=True)
class ChangeFeedReader:
    tenants: TenantRepository
    feed: ChangeFeed | None
    clock: Clock

    def page(self, tenant_id: str, cursor: str | None, limit: int, *, conflicts_only: bool = False) -> ChangesPage:
        """Up to `limit` of the tenant's changes after `cursor` (None: from the oldest kept), oldest first.

        Raises TenantNotFoundError and InvalidCursorError (a cursor the feed did not hand out)."""
        get_tenant(self.tenants, tenant_id)
        if self.feed is None:
            raise ChangeFeedUnavailableError("the API was composed without a change feed")
        try:
            after = sort_key_of(cursor) if cursor is not None else None
        except ValueError as invalid:
            raise InvalidCursorError(str(invalid)) from invalid
        until = readable_until(self.clock.now())
        changes = self.feed.read(tenant_id, after, limit, until=until, conflicts_only=conflicts_only)
        return ChangesPage(changes, changes[-1].cursor() if changes else cursor)
