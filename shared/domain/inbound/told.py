"""What the platform is told of data it reads from Xero but does not hold as records: the tenant's
reference data (accounts, tax rates, tracking categories: reference_changes.py) and its bank
transactions (bank_transactions.py). xero-sync keeps no record of them, only what the platform was
last told of each element (a `ToldElement`: a version, a digest of the body, whether it was told
deleted), and compares each element read now with it (`tell`):

- an element never told: record.created, version 1; one already gone (archived, deleted, voided)
  is not told: the platform never had it;
- an element whose body is unchanged: nothing;
- an element whose body changed: record.updated under the next version, or record.deleted when it
  is now gone and the kind's deletions are synced (else it is told as updated, with its status).

An element's platform id is `xero-<its Xero id>`, as for records created from Xero, and the changes
carry the same fields as a record's (changes.RecordChange), so the feed, the bus and their
identities treat them alike: a change told twice (a crash between the feed and the told entry) has
the same identity, and the feed keeps it once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.domain.inbound.changes import ChangeKind, RecordChange
from shared.domain.inbound.settings import InboundEntitySettings, SyncedKind
from shared.domain.reference_data import ToldElement

# The statuses that take an element off the platform: ARCHIVED and DELETED (reference data, bank
# transactions), VOIDED (bank transactions).
GONE = frozenset({"ARCHIVED", "DELETED", "VOIDED"})


@dataclass(frozen=True)
class Element:
    """One element read from Xero: its kind, Xero id, Xero status and the body the platform is told."""

    kind: SyncedKind
    xero_id: str
    status: str
    body: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.kind.value}#{self.xero_id}"

    @property
    def gone(self) -> bool:
        return self.status in GONE

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.body, sort_keys=True, default=str).encode()).hexdigest()[:32]


def tell(
    tenant_id: str, element: Element, before: ToldElement | None, inbound: InboundEntitySettings, at: datetime
) -> tuple[RecordChange, ToldElement] | None:
    """The change to tell the platform of `element`, last told as `before` (None: never), and what it
    has then been told; None when there is nothing to tell."""
    if before is None:
        if element.gone:
            return None  # never on the platform: nothing to delete
        said = ChangeKind.CREATED
    elif before.digest == element.digest:
        return None
    elif element.gone and not before.deleted and inbound.sync_deletions:
        said = ChangeKind.DELETED
    else:
        said = ChangeKind.UPDATED
    version = before.version + 1 if before is not None else 1
    deleted = said is ChangeKind.DELETED or (before is not None and before.deleted and element.gone)
    return change_of(tenant_id, element, said, version, at), ToldElement(
        version=version, digest=element.digest, deleted=deleted
    )


def change_of(tenant_id: str, element: Element, said: ChangeKind, version: int, at: datetime) -> RecordChange:
    """The feed entry (and event) saying `said` of `element` under `version`."""
    return RecordChange(
        tenant_id=tenant_id,
        entity=element.kind,
        platform_id=f"xero-{element.xero_id}",
        xero_id=element.xero_id,
        kind=said,
        version=version,
        at=at,
        body=element.body or None,
        xero_status=element.status,
    )
