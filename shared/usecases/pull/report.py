"""What one run of the sync from Xero did: what the worker logs and the tests read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class PullReport:
    tenant_id: str
    notices: int = 0  # notices considered: received, and kept ones now due
    fetched: int = 0  # records Xero answered
    calls: int = 0  # calls made to Xero
    counts: dict[str, int] = field(default_factory=dict)  # decisions, changes and refusals by name
    told: int = 0  # changes the platform was told of (feed and bus)
    not_found: int = 0  # ids Xero answered without (kept to ask again, or given up)
    echoes: int = 0  # notices of versions the ledger already held: not read
    kept: int = 0  # notices kept for a later run
    unknown: dict[str, int] = field(default_factory=dict)  # notices of categories this version does not read
    deferred_until: datetime | None = None
    stopped: str | None = None  # why the run ended before reading everything it was given
