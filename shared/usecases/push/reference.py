"""Pulling a tenant's Xero reference data: the organisation, accounts, tax rates, tracking categories.

Four calls, made when the tenant connects, when the data is older than REFERENCE_TTL, and when
the tenant's settings are checked. The settings and every mapping are checked against it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.domain.mapping.reference import reference_data
from shared.domain.reference_data import ReferenceData
from shared.ports.records import SyncSettingsStore
from shared.ports.xero_accounting import XeroRequest
from shared.usecases.push.tenant_xero import TenantXero

# Accounts and tax rates change rarely and send no webhooks (FACTS.md §2); a day-old copy is read again.
REFERENCE_TTL = timedelta(hours=24)


def pull_reference(xero: TenantXero, store: SyncSettingsStore, now: datetime) -> ReferenceData:
    """Read the tenant's reference data from Xero and keep it (with what the platform was told of it)."""

    def listed(path: str, collection: str) -> list[dict[str, object]]:
        items = xero.call(XeroRequest(method="GET", path=path)).body.get(collection) or []
        return list(items)

    organisations = listed("/Organisation", "Organisations")
    stored = store.reference(xero.tenant_id)
    reference = reference_data(
        organisations[0] if organisations else {},
        listed("/Accounts", "Accounts"),
        listed("/TaxRates", "TaxRates"),
        listed("/TrackingCategories", "TrackingCategories"),
        now,
    )
    if stored is not None:
        # What the platform was told of each element outlives the copy (pull/reference_told.py tells the rest).
        reference = reference.model_copy(update={"told": stored.told})
    store.put_reference(xero.tenant_id, reference)
    return reference


def current_reference(xero: TenantXero, store: SyncSettingsStore, now: datetime) -> ReferenceData:
    """The stored reference data, pulled again when missing or older than REFERENCE_TTL."""
    stored = store.reference(xero.tenant_id)
    if stored is not None and now - stored.fetched_at < REFERENCE_TTL:
        return stored
    return pull_reference(xero, store, now)
