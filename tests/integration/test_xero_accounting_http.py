"""The Accounting adapter's GET /Organisation against the simulator: JSON, tenant header, Xero's refusals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.adapters.xero_accounting_http import HttpXeroAccounting
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import XeroAnswerLostError, XeroUnavailableError
from tests.integration.xero_connected import simulator_endpoints
from tests.simulator.conftest import Tenant, connect_tenant
from xero_simulator.faults import Fault, FaultKind
from xero_simulator.server import Simulator


@pytest.fixture
def accounting(simulator: Simulator) -> HttpXeroAccounting:
    return HttpXeroAccounting(simulator_endpoints(simulator))


@pytest.fixture
def tenant(simulator: Simulator) -> Iterator[Tenant]:
    """An AU organisation connected with broad scopes (the simulator suite's own Given)."""
    connected = connect_tenant(simulator)
    yield connected
    connected.api.close()


def test_the_organisation_is_read_for_the_tenant_named_in_the_header(
    tenant: Tenant, accounting: HttpXeroAccounting
) -> None:
    # When the organisation is read with the tenant's token and id
    organisation = accounting.organisation(tenant.token, tenant.org.organisation_id)
    # Then it is that organisation's record, read as JSON
    assert (organisation["OrganisationID"], organisation["Name"]) == (tenant.org.organisation_id, tenant.org.name)


def test_an_organisation_the_token_is_not_connected_to_is_a_403_with_xeros_detail(
    tenant: Tenant, accounting: HttpXeroAccounting
) -> None:
    # When the organisation of another Xero tenant is read
    with pytest.raises(XeroApiError) as refused:
        accounting.organisation(tenant.token, "00000000-0000-0000-0000-000000000000")
    # Then Xero's 403 and its Detail come back
    assert (refused.value.status, refused.value.detail) == (403, "AuthenticationUnsuccessful")
    assert not refused.value.insufficient_scope


def test_a_token_without_the_settings_scope_is_flagged_as_insufficient_scope(
    simulator: Simulator, accounting: HttpXeroAccounting
) -> None:
    # Given a tenant whose token has only the contacts scope
    narrow = connect_tenant(simulator, scopes=("offline_access", "accounting.contacts"))
    # When the organisation is read
    with pytest.raises(XeroApiError) as refused:
        accounting.organisation(narrow.token, narrow.org.organisation_id)
    # Then the refusal names the missing scope (FACTS.md §1.7)
    assert refused.value.status == 401
    assert refused.value.insufficient_scope


def test_an_expired_token_is_a_401_saying_so(tenant: Tenant, accounting: HttpXeroAccounting) -> None:
    # Given the token's 30 minutes are over
    tenant.sim.world.clock.advance(31 * 60)
    # When the organisation is read, then Xero's TokenExpired detail comes back
    with pytest.raises(XeroApiError) as refused:
        accounting.organisation(tenant.token, tenant.org.organisation_id)
    assert refused.value.status == 401
    assert refused.value.detail.startswith("TokenExpired")


def test_maintenance_in_plain_text_is_unavailable(tenant: Tenant, accounting: HttpXeroAccounting) -> None:
    # Given Xero is offline for maintenance (503 in plain text)
    tenant.sim.faults.add(Fault(FaultKind.MAINTENANCE_503, count=1))
    # When the organisation is read, then it is a "try later", not a verdict on the connection
    with pytest.raises(XeroUnavailableError) as unavailable:
        accounting.organisation(tenant.token, tenant.org.organisation_id)
    assert not isinstance(unavailable.value, XeroApiError)


def test_an_answer_lost_after_the_request_reached_xero_is_reported_as_lost(
    tenant: Tenant, accounting: HttpXeroAccounting
) -> None:
    # Given Xero will close the connection without answering the next call
    tenant.sim.faults.add(Fault(FaultKind.LOSE_RESPONSE, count=1))
    # When the organisation is read, then the adapter says the answer was lost
    with pytest.raises(XeroAnswerLostError):
        accounting.organisation(tenant.token, tenant.org.organisation_id)
