"""The watch on a tenant's chart of accounts while it works in Xero (shared/domain/inbound/watch.py):
begun by its change notices, kept going by delayed ticks, each tick one If-Modified-Since look at
GET /Accounts; what changed is told to the platform as reference data is (reference_told.py).

A look needs no lease: it writes no platform record, only the reference copy, which a concurrent
refresh also writes whole; what is told twice then has the same identity in the feed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from shared.domain.connections import ConnectionStatus
from shared.domain.inbound.reference_changes import has_untold
from shared.domain.inbound.settings import SyncedKind
from shared.domain.inbound.watch import (
    OVERLAP,
    WATCH_EVERY,
    WATCH_PRIORITY,
    TickStep,
    Watch,
    WatchTick,
    begun,
    step,
    ticked,
)
from shared.domain.mapping.reference import accounts_of
from shared.domain.reference_data import accounts_read_at
from shared.domain.sync_settings import TenantSyncSettings
from shared.observability import logger
from shared.ports.reference_watch import TickQueue, Watches
from shared.ports.xero_accounting import XeroApiError, XeroRequest
from shared.ports.xero_identity import XeroUnavailableError
from shared.usecases.pull.reference_told import tell_reference
from shared.usecases.pull.run import SyncPull
from shared.usecases.push.tenant_xero import ConnectionRejectedError, TenantXero
from shared.usecases.rate_budgeted_xero import MustWaitError
from shared.usecases.token_custody import NotConnectedError, ReauthorisationNeededError


class _WatchOverError(Exception):
    """Nothing to watch: the tenant is not connected, not syncing accounts, or has no reference copy yet."""


@dataclass(frozen=True)
class ReferenceWatch:
    pull: SyncPull
    watches: Watches
    ticks: TickQueue

    def begin(self, tenant_id: str) -> None:
        """The tenant's change notices arrived: watch its accounts for a while (a chain of ticks, if none lives)."""
        watch, start = begun(self.watches.get(tenant_id), tenant_id, self.pull.clock.now(), secrets.token_hex(8))
        self.watches.put(watch)
        if start:
            self.ticks.send_later(WatchTick(tenant_id=tenant_id, chain=watch.chain), WATCH_EVERY)

    def tick(self, tick: WatchTick) -> TickStep:
        """One tick of a chain: look at the accounts (or rest) and tick again, or end the chain."""
        now = self.pull.clock.now()
        watch = self.watches.get(tick.tenant_id)
        decided = step(watch, tick.chain, now)
        if decided is TickStep.END or watch is None:
            return TickStep.END
        looked, called = None, False
        if decided is TickStep.LOOK:
            try:
                looked, called = self._look(watch, now)
            except _WatchOverError as over:
                logger.info("Accounts watch ended", extra={"tenant_id": tick.tenant_id, "reason": str(over)})
                return TickStep.END
        self.watches.put(ticked(watch, now, looked=looked, called=called))
        self.ticks.send_later(tick, WATCH_EVERY)
        return decided

    def _look(self, watch: Watch, now: datetime) -> tuple[datetime | None, bool]:
        """Ask Xero for the accounts changed since the last look; (the look's instant when answered, a call made)."""
        pull, tenant_id = self.pull, watch.tenant_id
        connection = pull.connections.get(tenant_id)
        if connection is None or connection.status is not ConnectionStatus.CONNECTED or not connection.xero_tenant_id:
            raise _WatchOverError("not connected")
        settings = pull.settings.get(tenant_id) or TenantSyncSettings()
        if not settings.enabled or not settings.inbound.of(SyncedKind.ACCOUNT).from_xero:
            raise _WatchOverError("accounts are not synced from Xero")
        reference = pull.settings.reference(tenant_id)
        if reference is None:
            raise _WatchOverError("the reference data was never read")  # the connection's first read comes first
        if has_untold(reference, settings.inbound):
            # Read before the platform could be told (on connecting, or by an older version): told now, on
            # the first look, so that a change from here on is told as a change of it.
            tell_reference(pull, tenant_id, reference, settings.inbound, complete=False)
            reference = pull.settings.reference(tenant_id) or reference
        since = accounts_read_at(reference)
        if watch.looked_at is not None:
            since = max(since, watch.looked_at)
        xero = TenantXero(tenant_id, connection.xero_tenant_id, WATCH_PRIORITY, pull.custodian, pull.xero)
        request = XeroRequest(method="GET", path="/Accounts", if_modified_since=since - OVERLAP)
        try:
            answer = xero.call(request)
        except MustWaitError:
            return None, False  # the budget keeps this look for live work: the next tick asks again
        except (XeroUnavailableError, XeroApiError) as failed:
            logger.warning("An accounts look failed", extra={"tenant_id": tenant_id, "error": type(failed).__name__})
            return None, True
        except (ConnectionRejectedError, ReauthorisationNeededError, NotConnectedError) as rejected:
            raise _WatchOverError(f"connection: {type(rejected).__name__}") from None
        listed = answer.body.get("Accounts")
        changed = (
            accounts_of([element for element in listed if isinstance(element, dict)])
            if isinstance(listed, list)
            else []
        )
        if changed:
            changed_copy = reference.with_accounts(changed, now)
            tell_reference(pull, tenant_id, changed_copy, settings.inbound, complete=False, before=reference)
        return now, True
