"""The rate budget: every call to Xero takes a permit from it before it is made (issue 4, §4).

One budget per Xero tenant and one per app, held where every Lambda sees it. `take` never sleeps:
it answers with a Permit or a Delay, and the caller schedules the work for later (a Lambda must
not spend its time waiting). The rules are shared/domain/rate_limits.py.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from shared.domain.rate_limits import Delay, LimitName, Priority, TenantUsage

__all__ = ["Delay", "LimitName", "Permit", "Priority", "RateBudget"]


@dataclass(frozen=True)
class Permit:
    """Leave to make one call for `xero_tenant_id`; it holds a concurrency slot until released or
    until `expires_at`, whichever comes first."""

    xero_tenant_id: str
    lease_id: str
    expires_at: datetime


class RateBudget(ABC):
    @abstractmethod
    def take(self, xero_tenant_id: str, priority: Priority, now: datetime) -> Permit | Delay:
        """Take one call from the tenant's and the app's budgets, or say how long to wait."""

    @abstractmethod
    def release(self, permit: Permit) -> None:
        """The permitted call has ended: free its concurrency slot (its count stays in the windows)."""

    @abstractmethod
    def park(self, xero_tenant_id: str, until: datetime) -> None:
        """Refuse every call for the tenant until `until`: Xero answered 429 anyway (Retry-After for
        the minute limit, the window's reset for the day's)."""

    @abstractmethod
    def usage(self, xero_tenant_id: str) -> TenantUsage:
        """The tenant's recent calls as the budget holds them (read only: what is left of its day, for
        a backfill's progress)."""
