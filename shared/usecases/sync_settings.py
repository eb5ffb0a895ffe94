"""A tenant's sync settings: read them, change them (checked against its Xero reference data), and
the platform's switch that turns the tenant's sync on or off.

Settings name accounts, tax rates, tracking categories and bank accounts of the tenant's own Xero
organisation, so a change is accepted only once it has been checked against the reference data
pulled from Xero after the tenant connected; until then there is nothing to check against and
the change is refused rather than stored unchecked. `enabled` is not a tenant's setting but the
platform's plan decision: it changes only through `set_enabled`, which needs no reference data.
"""

from __future__ import annotations

from datetime import datetime

from shared.domain.inbound.reconcile_state import put_off, with_interval
from shared.domain.inbound.settings import SyncedKind
from shared.domain.mapping.settings_check import SettingsProblem, check_settings
from shared.domain.rate_limits import Priority
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_requests import SyncRequest
from shared.domain.sync_settings import TenantSyncSettings
from shared.ports.reconciliation import ReconcileStates
from shared.ports.records import SyncSettingsStore
from shared.ports.state import TenantRepository
from shared.ports.work_queue import WorkQueue, sync_requests_group
from shared.usecases.records import sync_request_key
from shared.usecases.tenants import get_tenant


class ReferenceDataNotFoundError(Exception):
    """The tenant's Xero reference data has not been pulled yet (it is, once the tenant is connected)."""


class SettingsNotCheckableError(Exception):
    """Settings cannot be checked, and so not changed, before the tenant's reference data is pulled."""


class SettingsInvalidError(Exception):
    """The settings name things the tenant's Xero organisation does not have, or break a rule."""

    def __init__(self, problems: list[SettingsProblem]) -> None:
        super().__init__(f"{len(problems)} problems in the sync settings")
        self.problems = problems


class EnabledNotASettingError(Exception):
    """A settings change tried to switch the sync on or off, which is the platform's decision alone."""


def get_sync_settings(tenants: TenantRepository, store: SyncSettingsStore, tenant_id: str) -> TenantSyncSettings:
    """The tenant's settings, or the defaults (which send nothing) when none were ever stored."""
    get_tenant(tenants, tenant_id)
    return store.get(tenant_id) or TenantSyncSettings()


def put_sync_settings(
    tenants: TenantRepository,
    store: SyncSettingsStore,
    tenant_id: str,
    settings: TenantSyncSettings,
    now: datetime,
    *,
    states: ReconcileStates | None = None,
) -> TenantSyncSettings:
    """Replace the tenant's settings once they pass the check against its reference data; a kind whose
    reconciliation interval got shorter is due by the new one, and one the settings now bring from Xero
    at all (bank transactions given a `since`, a kind no longer sent to Xero only) is due at once (`states`).

    Raises SettingsNotCheckableError when no reference data was pulled yet, SettingsInvalidError
    with every problem found, and EnabledNotASettingError when `enabled` is given with another
    value than the current one (an omitted `enabled` keeps the current value)."""
    current = get_sync_settings(tenants, store, tenant_id)
    if "enabled" in settings.model_fields_set and settings.enabled != current.enabled:
        raise EnabledNotASettingError("enabled is switched by the platform, not through the settings")
    reference = store.reference(tenant_id)
    if reference is None:
        raise SettingsNotCheckableError("the tenant's Xero reference data has not been pulled yet")
    problems = check_settings(settings, reference)
    if problems:
        raise SettingsInvalidError(problems)
    accepted = settings.model_copy(update={"enabled": current.enabled})
    store.put(tenant_id, accepted, now)
    if states is not None:
        for kind in SyncedKind:
            state = states.get(tenant_id, kind)
            if state is None:
                continue
            if current.inbound.left_out(kind) is not None and accepted.inbound.left_out(kind) is None:
                # Chosen now (bank transactions given a `since`, a kind no longer sent to Xero only): its
                # reconciliation was put off unscheduled, so it is due at once.
                states.put(put_off(state, now, "chosen in the settings"))
                continue
            sooner = with_interval(state, accepted.inbound.of(kind).reconcile_interval_minutes, now)
            if sooner is not None:
                states.put(sooner)
    return accepted


def set_sync_enabled(
    tenants: TenantRepository,
    store: SyncSettingsStore,
    queue: WorkQueue,
    tenant_id: str,
    *,
    enabled: bool,
    now: datetime,
) -> TenantSyncSettings:
    """Switch the tenant's sync on or off (the platform's plan decides); the other settings stay.

    Switching it on nudges the sync worker, so records the platform wrote while it was off go to
    Xero now rather than with the next write, and every kind is read from Xero as it is due: the
    initial sync a connection began while the sync was off was put off, and starts now."""
    current = get_sync_settings(tenants, store, tenant_id)
    changed = current.model_copy(update={"enabled": enabled})
    store.put(tenant_id, changed, now)
    if enabled and not current.enabled:
        request = SyncRequest(
            tenant_id=tenant_id, priority=Priority.USER_WRITE, reason="enabled", reconcile=tuple(SyncedKind)
        )
        key = sync_request_key(tenant_id, "*", "enabled", now)
        queue.send(group_id=sync_requests_group(tenant_id), deduplication_id=key, message=request)
    return changed


def tenant_reference(tenants: TenantRepository, store: SyncSettingsStore, tenant_id: str) -> ReferenceData:
    """The tenant's Xero reference data as last pulled; raises ReferenceDataNotFoundError before the first pull."""
    get_tenant(tenants, tenant_id)
    reference = store.reference(tenant_id)
    if reference is None:
        raise ReferenceDataNotFoundError(tenant_id)
    return reference
