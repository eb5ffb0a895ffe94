"""A user's calls to one tenant's Xero through the platform API: budgeted, and failing in words.

Reports and actions are asked for by a person or the platform's automation, waiting on the
answer, so each call takes from the tenant's rate budget at USER_WRITE, the priority that waits
last (shared/domain/rate_limits.py), through the same client as every other call to Xero
(shared/usecases/push/tenant_xero.py: a 401 or 403 is reported to the token custodian once).
What can go wrong becomes one of the errors below, each answered by the API in one way
(functions/api/errors.py):

- the budget says wait, or Xero answered 429 anyway: XeroBusyError, with the seconds to wait
  (429 and Retry-After; never a 500, and nothing is queued: the caller asks again);
- the tenant is not connected, or Xero no longer accepts its connection: TenantNotConnectedError (409);
- the grant lacks the scope the call needs: MissingScopeError (409: the tenant connects again);
- Xero refused the request itself: XeroRefusedError (502, with Xero's words);
- Xero unavailable (5xx, an answer lost): XeroUnavailableError as it is (503 and Retry-After).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from shared.clock import Clock
from shared.domain.connections import ConnectionStatus
from shared.domain.rate_limits import Priority
from shared.ports.app_secrets import AppNotConfiguredError
from shared.ports.state import ConnectionRepository, TenantRepository
from shared.ports.xero_accounting import XeroAnswer, XeroApiError, XeroRequest
from shared.ports.xero_identity import XeroGrantError
from shared.usecases.push.tenant_xero import ConnectionRejectedError, TenantXero
from shared.usecases.rate_budgeted_xero import MustWaitError, RateBudgetedXero
from shared.usecases.tenants import get_tenant
from shared.usecases.token_custody import NotConnectedError, ReauthorisationNeededError, TokenCustodian


class XeroBusyError(Exception):
    """The tenant's rate budget (or Xero's own limit) says not now: ask again in `retry_after_seconds`."""

    def __init__(self, retry_after_seconds: int, limit: str) -> None:
        super().__init__(f"Xero's {limit} limit: retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds
        self.limit = limit


class TenantNotConnectedError(Exception):
    """The tenant has no connection Xero accepts; the message says what the tenant must do."""


class MissingScopeError(Exception):
    """The tenant's grant lacks a scope the call needs (Xero answered insufficient_scope)."""


class XeroRefusedError(Exception):
    """Xero refused the request (a 4xx other than a rejected connection): `detail` is Xero's own words."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"Xero answered {status}: {detail}")
        self.status = status
        self.detail = detail


_NOT_CONNECTED = "The tenant is not connected to Xero. Create a connect session and open its authorise URL."
_REJECTED = "Xero no longer accepts the tenant's connection. The tenant must connect to Xero again."
_APP_REFUSED = "Xero refused xero-sync's app credentials; the platform operator must fix the Xero app."


@dataclass(frozen=True)
class TenantCalls:
    """Opens a tenant's Xero for user-initiated calls (see the module docstring)."""

    tenants: TenantRepository
    connections: ConnectionRepository
    custodian: TokenCustodian
    xero: RateBudgetedXero
    clock: Clock

    def open(self, tenant_id: str) -> TenantXeroCalls:
        """The tenant's Xero; raises TenantNotFoundError, or TenantNotConnectedError when there is no
        usable connection (never connected, picking, disconnected or needing reauthorisation)."""
        get_tenant(self.tenants, tenant_id)
        connection = self.connections.get(tenant_id)
        if connection is None or connection.status is not ConnectionStatus.CONNECTED or not connection.xero_tenant_id:
            if connection is not None and connection.status is ConnectionStatus.NEEDS_REAUTH:
                raise TenantNotConnectedError(connection.last_error or _REJECTED)
            raise TenantNotConnectedError(_NOT_CONNECTED)
        xero = TenantXero(tenant_id, connection.xero_tenant_id, Priority.USER_WRITE, self.custodian, self.xero)
        return TenantXeroCalls(xero, self.clock)


@dataclass
class TenantXeroCalls:
    """One tenant's Xero, each call budgeted at USER_WRITE."""

    xero: TenantXero
    clock: Clock

    def get(
        self, path: str, params: dict[str, str] | None = None, *, if_modified_since: datetime | None = None
    ) -> XeroAnswer:
        """GET `path` with `params`; raises the errors of the module docstring."""
        request = XeroRequest("GET", path, params=params or {}, if_modified_since=if_modified_since)
        with _explained(self.clock):
            return self.xero.call(request)


@contextmanager
def _explained(clock: Clock) -> Iterator[None]:
    """Turn what a call to Xero raises into the errors of the module docstring."""
    try:
        yield
    except MustWaitError as wait:
        seconds = max(1, math.ceil((wait.until - clock.now()).total_seconds()))
        raise XeroBusyError(seconds, wait.limit.value) from wait
    except ReauthorisationNeededError as rejected:
        raise TenantNotConnectedError(str(rejected) or _REJECTED) from rejected
    except ConnectionRejectedError:
        raise TenantNotConnectedError(_REJECTED) from None
    except NotConnectedError:
        raise TenantNotConnectedError(_NOT_CONNECTED) from None
    except (XeroGrantError, AppNotConfiguredError):
        raise XeroRefusedError(401, _APP_REFUSED) from None
    except XeroApiError as refused:
        if refused.insufficient_scope:
            raise MissingScopeError(refused.detail) from refused
        raise XeroRefusedError(refused.status, refused.detail) from refused
