"""Keep idle connections alive: refresh every connection whose refresh token is getting old.

Xero's refresh tokens expire after 60 days unused (FACTS.md §1.4), and a connection that is not
synced (a quiet organisation, a paused tenant) uses none. The scheduled function refreshes those
issued more than KEEP_ALIVE_AFTER ago, well inside the 60 days, so that a missed run or two, or a
Xero outage of several days, still leaves weeks to spare. Refreshes go through the token
custodian, so a keep-alive never races a sync worker for the same refresh token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pydantic import BaseModel

from shared.clock import Clock
from shared.observability import logger
from shared.ports.state import ConnectionRepository
from shared.ports.xero_identity import XeroGrantError, XeroUnavailableError
from shared.usecases.token_custody import NotConnectedError, ReauthorisationNeededError, TokenCustodian

KEEP_ALIVE_AFTER = timedelta(days=7)


class KeepAliveCounts(BaseModel):
    """What one keep-alive run did, by connection."""

    refreshed: int = 0
    skipped: int = 0  # refreshed by someone else meanwhile, or no longer connected
    needs_reauth: int = 0
    failed: int = 0  # Xero unavailable or the app misconfigured: tried again on the next run


@dataclass(frozen=True)
class KeepAlive:
    """Refreshes the refresh tokens of CONNECTED connections issued more than `older_than` ago."""

    connections: ConnectionRepository
    custodian: TokenCustodian
    clock: Clock
    older_than: timedelta = KEEP_ALIVE_AFTER

    def run(self) -> KeepAliveCounts:
        """Refresh each due connection once; one connection's failure never stops the others."""
        cutoff = self.clock.now() - self.older_than
        counts = KeepAliveCounts()
        for connection in self.connections.refreshed_before(cutoff):
            with logger.append_context_keys(tenant_id=connection.tenant_id):
                try:
                    if self.custodian.refresh_if_issued_before(connection.tenant_id, cutoff):
                        counts.refreshed += 1
                    else:
                        counts.skipped += 1
                except ReauthorisationNeededError:
                    counts.needs_reauth += 1
                except NotConnectedError:
                    counts.skipped += 1
                except (XeroUnavailableError, XeroGrantError) as failure:
                    logger.warning("Keep-alive refresh failed", extra={"failure": str(failure)})
                    counts.failed += 1
        logger.info("Keep-alive finished", extra=counts.model_dump())
        return counts
