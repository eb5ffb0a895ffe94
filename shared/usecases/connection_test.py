"""Testing a tenant's connection: one read-only call (GET /Organisation) with a custodied token,
answered in words a tenant or the platform operator can act on.

Each outcome names who must act: the tenant (connect again, grant the scopes), the platform
operator (fix the Xero app's credentials), or nobody (Xero is unavailable: try later). A rejected
call is reported to the token custodian, which asks Xero whether the connection still exists and
turns a connection removed on Xero's side into NEEDS_REAUTH (with its event).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from aws_lambda_powertools.metrics import MetricUnit

from shared.domain.connections import Connection, ConnectionStatus
from shared.observability import logger, metrics, tracer
from shared.ports.app_secrets import AppNotConfiguredError
from shared.ports.state import ConnectionRepository, TenantRepository
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import XeroGrantError, XeroUnavailableError
from shared.usecases.tenants import get_tenant
from shared.usecases.token_custody import NotConnectedError, ReauthorisationNeededError, TokenCustodian

# Without offline_access Xero issues no refresh token (FACTS.md §1.3, §1.7).
OFFLINE_ACCESS = "offline_access"
# GET /Organisation needs accounting.settings or accounting.settings.read (FACTS.md §1.7).
ORGANISATION_SCOPE = "accounting.settings"


class OrganisationReader(Protocol):
    """GET /Organisation: in production the rate-budgeted client (every call to Xero takes from the budget)."""

    def organisation(self, access_token: str, xero_tenant_id: str) -> dict[str, Any]: ...


class ConnectionTestOutcome(StrEnum):
    OK = "ok"
    NOT_CONNECTED = "not_connected"
    CREDENTIALS_INVALID = "credentials_invalid"
    REAUTHORISATION_NEEDED = "reauthorisation_needed"
    MISSING_SCOPE = "missing_scope"
    WRONG_ORGANISATION = "wrong_organisation"
    XERO_REFUSED = "xero_refused"
    XERO_UNAVAILABLE = "xero_unavailable"


@dataclass(frozen=True)
class ConnectionTestResult:
    outcome: ConnectionTestOutcome
    message: str
    xero_tenant_id: str | None = None  # the organisation Xero answered for, when it answered
    organisation_name: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is ConnectionTestOutcome.OK


_NOT_CONNECTED = {
    None: "This tenant has not connected to Xero yet. Create a connect session and open its authorise URL.",
    ConnectionStatus.PICKING: "The tenant has not chosen which Xero organisation to connect yet. Finish on the "
    "organisation picker, or start again with a new connect session.",
    ConnectionStatus.DISCONNECTED: "This tenant was disconnected from Xero. Create a connect session to connect again.",
}
_OFFLINE_ACCESS_MISSING = (
    "The connection was authorised without offline_access, so Xero issued no refresh token and access ends "
    "when the current access token expires. The tenant must connect again."
)
_SETTINGS_SCOPE_MISSING = (
    "Xero refused to read the organisation because the connection lacks the accounting.settings scope "
    "(insufficient_scope). The tenant must connect again and allow every permission asked for."
)
_CREDENTIALS_INVALID = (
    "Xero refused xero-sync's app credentials ({error}). The platform operator must correct the Xero app's "
    "client id and secret; the tenant does not need to do anything."
)
_APP_NOT_CONFIGURED = (
    "xero-sync's Xero app credentials have not been filled in yet. The platform operator must set them; "
    "the tenant does not need to do anything."
)
_UNAVAILABLE = "Xero did not answer (an outage, maintenance or a rate limit). Try the test again in a few minutes."
_DISCONNECTED_IN_XERO = (
    "Xero no longer accepts this connection: it was disconnected or revoked in Xero. The tenant must connect again."
)
_REFUSED = (
    "Xero refused to read the organisation ({status}: {detail}), although the connection still exists. "
    "If this persists, the tenant should connect again with a Xero user who can access the organisation."
)


# What the custodian and the Xero ports raise besides XeroApiError (token_custody.py, shared/ports).
_DOCUMENTED_FAILURES = (
    ReauthorisationNeededError,
    NotConnectedError,
    XeroGrantError,
    AppNotConfiguredError,
    XeroUnavailableError,
)


@tracer.capture_method(capture_response=False)
def run_connection_test(
    tenants: TenantRepository,
    connections: ConnectionRepository,
    custodian: TokenCustodian,
    accounting: OrganisationReader,
    tenant_id: str,
) -> ConnectionTestResult:
    """Test the tenant's connection with GET /Organisation; raises TenantNotFoundError for an unknown tenant.

    Never raises for what Xero answers: every answer, refusal or silence becomes an outcome.
    """
    get_tenant(tenants, tenant_id)
    connection = connections.get(tenant_id)
    if connection is None or connection.status in _NOT_CONNECTED:
        return ConnectionTestResult(
            ConnectionTestOutcome.NOT_CONNECTED, _NOT_CONNECTED[connection.status if connection else None]
        )
    if OFFLINE_ACCESS not in connection.scopes:
        return ConnectionTestResult(ConnectionTestOutcome.MISSING_SCOPE, _OFFLINE_ACCESS_MISSING)
    result = _call_xero(connections, custodian, accounting, connection)
    logger.info("connection tested", extra={"outcome": result.outcome.value})
    if not result.ok:
        metrics.add_metric(name="ConnectionTestFailed", unit=MetricUnit.Count, value=1)
    return result


def _call_xero(
    connections: ConnectionRepository,
    custodian: TokenCustodian,
    accounting: OrganisationReader,
    connection: Connection,
) -> ConnectionTestResult:
    """GET /Organisation with the custodian's token; a 401 or 403 is reported to the custodian and,
    when Xero still lists the connection (the custodian has refreshed a token Xero refused), tried once more."""
    tenant_id = connection.tenant_id
    for attempt in (1, 2):
        try:
            access_token = custodian.access_token(tenant_id)
            organisation = accounting.organisation(access_token, connection.xero_tenant_id or "")
        except XeroApiError as rejected:
            if rejected.insufficient_scope:
                return ConnectionTestResult(ConnectionTestOutcome.MISSING_SCOPE, _SETTINGS_SCOPE_MISSING)
            refused = ConnectionTestResult(
                ConnectionTestOutcome.XERO_REFUSED, _REFUSED.format(status=rejected.status, detail=rejected.detail)
            )
            if rejected.status not in (401, 403) or attempt == 2:
                return refused
            verdict = _connection_gone(connections, custodian, tenant_id, rejected)
            if verdict is not None:
                return verdict
        except _DOCUMENTED_FAILURES as failed:
            return _failure(connections, tenant_id, failed)
        else:
            return _answered(connection, organisation)
    raise AssertionError("unreachable: the second attempt returns")


def _failure(connections: ConnectionRepository, tenant_id: str, failed: Exception) -> ConnectionTestResult:
    """The outcome of a failure to get a token or an answer (one of _DOCUMENTED_FAILURES)."""
    match failed:
        case ReauthorisationNeededError():
            return ConnectionTestResult(ConnectionTestOutcome.REAUTHORISATION_NEEDED, str(failed))
        case NotConnectedError():
            current = connections.get(tenant_id)
            status = current.status if current is not None and current.status in _NOT_CONNECTED else None
            return ConnectionTestResult(ConnectionTestOutcome.NOT_CONNECTED, _NOT_CONNECTED[status])
        case XeroGrantError():
            message = _CREDENTIALS_INVALID.format(error=failed.error)
            return ConnectionTestResult(ConnectionTestOutcome.CREDENTIALS_INVALID, message)
        case AppNotConfiguredError():
            return ConnectionTestResult(ConnectionTestOutcome.CREDENTIALS_INVALID, _APP_NOT_CONFIGURED)
    return ConnectionTestResult(ConnectionTestOutcome.XERO_UNAVAILABLE, _UNAVAILABLE)


def _connection_gone(
    connections: ConnectionRepository, custodian: TokenCustodian, tenant_id: str, rejected: XeroApiError
) -> ConnectionTestResult | None:
    """Ask the custodian whether Xero still has the connection: an outcome when it is gone (or Xero
    is silent), None when it is still there and the call is worth one more try."""
    try:
        gone = custodian.report_rejected(tenant_id, rejected.status, rejected.detail)
    except XeroUnavailableError:
        return ConnectionTestResult(ConnectionTestOutcome.XERO_UNAVAILABLE, _UNAVAILABLE)
    except (XeroGrantError, AppNotConfiguredError, XeroApiError, NotConnectedError):
        gone = False
    if not gone:
        return None
    current = connections.get(tenant_id)
    message = current.last_error if current is not None and current.last_error else _DISCONNECTED_IN_XERO
    return ConnectionTestResult(ConnectionTestOutcome.REAUTHORISATION_NEEDED, message)


def _answered(connection: Connection, organisation: dict[str, object]) -> ConnectionTestResult:
    """Xero answered: the organisation must be the connected one (its OrganisationID is the tenantId)."""
    answered_id = str(organisation.get("OrganisationID") or "")
    name = organisation.get("Name")
    answered_name = str(name) if name is not None else None
    if answered_id != connection.xero_tenant_id:
        expected = connection.organisation_name or connection.xero_tenant_id
        message = (
            f"Xero answered for {answered_name or answered_id}, not for the connected organisation {expected}. "
            "Disconnect, then connect again choosing the right organisation."
        )
        return ConnectionTestResult(ConnectionTestOutcome.WRONG_ORGANISATION, message, answered_id, answered_name)
    message = f"Connected to {answered_name or answered_id}: Xero answered for the connected organisation."
    return ConnectionTestResult(ConnectionTestOutcome.OK, message, answered_id, answered_name)
