"""The tenant's reference data as changes the platform is told (issue 5, §3 and Done means: "a new
account code", "archived account" reach the change feed and the bus).

Accounts, tax rates and tracking categories are not platform records: xero-sync keeps Xero's copy
(shared/domain/reference_data.py) for the mapping, read again whenever it may have changed. What the
platform was last told of each element is kept beside it (`ReferenceData.told`: a version and a
digest of the body per element), and `reference_changes` compares the copy read now with it, element
by element as every told kind is (told.py: created, updated, deleted under the next version; one
first seen already archived is not told). A tracking category's deletion is not synced, by default,
so it is told as updated with its status.

One rule is the reference data's own: an element told before and missing from a complete answer
(GET /Accounts lists archived accounts; only an unused account can be deleted, and then it is gone)
is told as deleted. A partial answer (If-Modified-Since) never says anything of what it leaves out.

An element's platform id is `xero-<its Xero id>` (a tax rate's id is its TaxType).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from shared.domain.inbound.changes import ChangeKind, RecordChange
from shared.domain.inbound.settings import InboundSettings, SyncedKind
from shared.domain.inbound.told import Element, change_of, tell
from shared.domain.reference_data import ReferenceData, ToldElement


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
        element.key not in reference.told and not element.gone and settings.of(element.kind).from_xero
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
        told_now = tell(tenant_id, element, told.get(element.key), inbound, at)
        if told_now is not None:
            change, told[element.key] = told_now
            changes.append(change)
    if complete:
        for key, before in list(told.items()):
            kind_name, xero_id = key.split("#", 1)
            inbound = settings.of(SyncedKind(kind_name))
            if key in seen or before.deleted or not inbound.from_xero or not inbound.sync_deletions:
                continue
            told[key] = before.model_copy(update={"version": before.version + 1, "deleted": True})
            missing = Element(SyncedKind(kind_name), xero_id, "DELETED", {})
            changes.append(change_of(tenant_id, missing, ChangeKind.DELETED, before.version + 1, at))
    return changes, told
