"""The tenant's reference data as changes the platform is told (issue 5, §3 and Done means: "a new
account code", "archived account" reach the change feed and the bus).

Accounts, tax rates and tracking categories are not platform records: xero-sync keeps Xero's copy
(shared/domain/reference_data.py) for the mapping, read again whenever it may have changed. What the
platform was last told of each element is kept beside it (`ReferenceData.told`: a version and a
digest of the body per element), and `reference_changes` compares the copy read now with it:

- an element never told: record.created, version 1 (one already archived is not told: the platform
  never had it);
- an element whose body changed: record.updated under the next version, or record.deleted when it
  became ARCHIVED or DELETED (its deletion is synced: a tracking category's is not, by default, so
  it is told as updated with its status);
- an element told before and missing from a complete answer (GET /Accounts lists archived accounts;
  only an unused account can be deleted, and then it is gone): record.deleted. A partial answer
  (If-Modified-Since) never says anything of what it leaves out.

An element's platform id is `xero-<its Xero id>` (a tax rate's id is its TaxType), as for records
created from Xero. The changes carry the same fields as a record's (changes.RecordChange), so the
feed, the bus and their identities treat them alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.domain.inbound.changes import ChangeKind, RecordChange
from shared.domain.inbound.settings import InboundSettings, SyncedKind
from shared.domain.reference_data import ReferenceData, ToldElement

GONE = frozenset({"ARCHIVED", "DELETED"})


@dataclass(frozen=True)
class Element:
    kind: SyncedKind
    xero_id: str
    status: str
    body: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.kind.value}#{self.xero_id}"

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.body, sort_keys=True, default=str).encode()).hexdigest()[:32]


def elements(reference: ReferenceData) -> Iterator[Element]:
    for account in reference.accounts:
        yield Element(SyncedKind.ACCOUNT, account.account_id, account.status, account.model_dump(mode="json"))
    for rate in reference.tax_rates:
        yield Element(SyncedKind.TAX_RATE, rate.tax_type, rate.status, rate.model_dump(mode="json"))
    for category in reference.tracking_categories:
        body = category.model_dump(mode="json")
        yield Element(SyncedKind.TRACKING_CATEGORY, category.category_id, category.status, body)


def has_untold(reference: ReferenceData, settings: InboundSettings) -> bool:
    """Whether the platform was never told of an element of `reference` it should have been."""
    return any(
        element.key not in reference.told and element.status not in GONE and settings.of(element.kind).from_xero
        for element in elements(reference)
    )


def reference_changes(
    tenant_id: str,
    reference: ReferenceData,
    settings: InboundSettings,
    at: datetime,
    *,
    complete: bool,
) -> tuple[list[RecordChange], dict[str, ToldElement]]:
    """The changes to tell the platform of `reference` (complete: every element Xero holds was listed),
    and what it has then been told, to keep as `reference.told`."""
    told = dict(reference.told)
    changes: list[RecordChange] = []
    seen: set[str] = set()
    for element in elements(reference):
        seen.add(element.key)
        inbound = settings.of(element.kind)
        if not inbound.from_xero:
            continue
        before = told.get(element.key)
        gone = element.status in GONE
        if before is None:
            if gone:
                continue  # never on the platform: nothing to delete
            said = ChangeKind.CREATED
        elif before.digest == element.digest:
            continue
        elif gone and not before.deleted and inbound.sync_deletions:
            said = ChangeKind.DELETED
        else:
            said = ChangeKind.UPDATED
        version = before.version + 1 if before is not None else 1
        deleted = said is ChangeKind.DELETED or (before is not None and before.deleted and gone)
        told[element.key] = ToldElement(version=version, digest=element.digest, deleted=deleted)
        changes.append(_change(tenant_id, element, said, version, at))
    if complete:
        for key, before in list(told.items()):
            kind_name, xero_id = key.split("#", 1)
            inbound = settings.of(SyncedKind(kind_name))
            if key in seen or before.deleted or not inbound.from_xero or not inbound.sync_deletions:
                continue
            told[key] = before.model_copy(update={"version": before.version + 1, "deleted": True})
            missing = Element(SyncedKind(kind_name), xero_id, "DELETED", {})
            changes.append(_change(tenant_id, missing, ChangeKind.DELETED, before.version + 1, at))
    return changes, told


def _change(tenant_id: str, element: Element, said: ChangeKind, version: int, at: datetime) -> RecordChange:
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
