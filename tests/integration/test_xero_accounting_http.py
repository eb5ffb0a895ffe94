"""The Accounting adapter against the simulator: GET /Organisation, and the generic call the sync engine
makes (query, headers, batches answered per element, idempotent replays, Xero's refusals and limits)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.adapters.xero_accounting_http import HttpXeroAccounting
from shared.domain.xero_answers import elements
from shared.ports.xero_accounting import CallsRemaining, XeroApiError, XeroRateLimitedError, XeroRequest
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


# The generic call, as the sync engine makes it.


def contacts(*elements: dict[str, object], key: str = "batch-1", method: str = "PUT") -> XeroRequest:
    """A batch write of contacts, with summarizeErrors=false and an Idempotency-Key."""
    return XeroRequest.batch(method, "Contacts", list(elements), idempotency_key=key)


def test_a_get_sends_its_params_as_the_query(tenant: Tenant, accounting: HttpXeroAccounting) -> None:
    # Given two contacts
    accounting.call(tenant.token, tenant.org.organisation_id, contacts({"Name": "Ann Lee"}, {"Name": "Bo Chan"}))
    # When contacts are listed with a where filter
    request = XeroRequest("GET", "/Contacts", params={"where": 'Name=="Bo Chan"', "page": "1"})
    answer = accounting.call(tenant.token, tenant.org.organisation_id, request)
    # Then only the contact the filter names comes back
    assert [contact["Name"] for contact in answer.body["Contacts"]] == ["Bo Chan"]


def test_if_modified_since_asks_only_for_what_changed_after_it(tenant: Tenant, accounting: HttpXeroAccounting) -> None:
    # Given a contact created, then another one a minute later
    org = tenant.org.organisation_id
    accounting.call(tenant.token, org, contacts({"Name": "Ann Lee"}, key="first"))
    since = tenant.sim.world.clock.advance(30)
    tenant.sim.world.clock.advance(30)
    accounting.call(tenant.token, org, contacts({"Name": "Bo Chan"}, key="second"))
    # When contacts modified since half that minute are listed
    answer = accounting.call(tenant.token, org, XeroRequest("GET", "/Contacts", if_modified_since=since))
    # Then only the later contact comes back
    assert [contact["Name"] for contact in answer.body["Contacts"]] == ["Bo Chan"]


def test_every_answer_says_how_many_calls_are_left(tenant: Tenant, accounting: HttpXeroAccounting) -> None:
    # When a fresh tenant makes its first call
    answer = accounting.call(tenant.token, tenant.org.organisation_id, XeroRequest("GET", "/Contacts"))
    # Then the remaining minute, day and app-minute calls are read from Xero's headers
    assert answer.remaining == CallsRemaining(minute=59, day=4999, app_minute=9999)


def test_a_batch_with_good_and_bad_elements_answers_for_each_element(
    tenant: Tenant, accounting: HttpXeroAccounting
) -> None:
    # Given a batch whose middle contact has no name
    batch = contacts({"Name": "Ann Lee"}, {"Name": ""}, {"Name": "Bo Chan"})
    # When it is sent
    answer = accounting.call(tenant.token, tenant.org.organisation_id, batch)
    results = elements(answer.body, "Contacts")
    # Then Xero answered 200, saved the good ones with their ids, and refused the bad one in its own words
    assert answer.status == 200
    assert [(r.ok, r.messages) for r in results] == [
        (True, ()),
        (False, ("Contact Name cannot be empty.",)),
        (True, ()),
    ]
    assert all(results[i].xero_id in tenant.org.records("Contacts") for i in (0, 2))


def test_resending_a_batch_with_its_idempotency_key_replays_the_same_ids(
    tenant: Tenant, accounting: HttpXeroAccounting
) -> None:
    # Given a batch of two contacts sent once
    org = tenant.org.organisation_id
    batch = contacts({"Name": "Ann Lee"}, {"Name": "Bo Chan"}, key="tenant-1:contacts:v1")
    first = elements(accounting.call(tenant.token, org, batch).body, "Contacts")
    # When it is sent again with the same key
    again = elements(accounting.call(tenant.token, org, batch).body, "Contacts")
    # Then Xero answers with the same ids and created nothing more
    assert [r.xero_id for r in again] == [r.xero_id for r in first]
    assert len(tenant.org.records("Contacts")) == 2


def test_an_idempotency_key_reused_for_another_request_is_a_400_whose_elements_say_why(
    tenant: Tenant, accounting: HttpXeroAccounting
) -> None:
    # Given a key already used for one batch
    org = tenant.org.organisation_id
    accounting.call(tenant.token, org, contacts({"Name": "Ann Lee"}, key="reused"))
    # When it is used for a different batch
    with pytest.raises(XeroApiError) as refused:
        accounting.call(tenant.token, org, contacts({"Name": "Bo Chan"}, key="reused"))
    # Then the refusal is a 400 whose body's Elements carry Xero's words, also given as the detail
    assert refused.value.status == 400
    assert refused.value.body is not None
    (result,) = elements(refused.value.body, "Contacts")
    assert result.messages == ("Idempotency-Key 'reused' is used with a different request",)
    assert refused.value.detail == result.messages[0]


def test_a_plain_text_refusal_is_a_4xx_in_xeros_words(tenant: Tenant, accounting: HttpXeroAccounting) -> None:
    # When a list is asked for with a page that is not a number
    with pytest.raises(XeroApiError) as refused:
        accounting.call(tenant.token, tenant.org.organisation_id, XeroRequest("GET", "/Contacts", params={"page": "x"}))
    # Then Xero's plain-text 400 is the detail, with no JSON body
    assert (refused.value.status, refused.value.detail, refused.value.body) == (
        400,
        "Supplied parameter 'page' cannot be parsed.",
        None,
    )


def test_a_delete_answered_with_no_content_is_an_empty_answer(tenant: Tenant, accounting: HttpXeroAccounting) -> None:
    # Given an item
    org = tenant.org.organisation_id
    created = accounting.call(
        tenant.token, org, XeroRequest.batch("PUT", "Items", [{"Code": "HOUR", "Name": "Hour"}], idempotency_key="i1")
    )
    item_id = elements(created.body, "Items")[0].xero_id
    # When it is deleted
    answer = accounting.call(tenant.token, org, XeroRequest("DELETE", f"/Items/{item_id}"))
    # Then Xero's 204 is an answer with an empty body
    assert (answer.status, answer.body) == (204, {})


def test_the_minute_limits_429_says_which_limit_and_how_long_to_wait(
    simulator: Simulator, accounting: HttpXeroAccounting
) -> None:
    # Given Xero allows the tenant one call a minute, and it has made it
    simulator.limiter.limits.per_minute = 1
    tenant = connect_tenant(simulator)
    accounting.call(tenant.token, tenant.org.organisation_id, XeroRequest("GET", "/Contacts"))
    # When it calls again
    with pytest.raises(XeroRateLimitedError) as limited:
        accounting.call(tenant.token, tenant.org.organisation_id, XeroRequest("GET", "/Contacts"))
    # Then the 429's headers are read: the minute limit, Retry-After within the minute, none left
    assert limited.value.problem == "minute"
    assert limited.value.retry_after_seconds is not None
    assert 1 <= limited.value.retry_after_seconds <= 60
    assert limited.value.remaining.minute == 0


def test_the_day_limits_429_says_to_wait_until_the_days_reset(
    simulator: Simulator, accounting: HttpXeroAccounting
) -> None:
    # Given Xero allows the tenant one call a day, and it has made it
    simulator.limiter.limits.per_day = 1
    tenant = connect_tenant(simulator)
    accounting.call(tenant.token, tenant.org.organisation_id, XeroRequest("GET", "/Contacts"))
    # When it calls again
    with pytest.raises(XeroRateLimitedError) as limited:
        accounting.call(tenant.token, tenant.org.organisation_id, XeroRequest("GET", "/Contacts"))
    # Then the 429 names the day, with Retry-After in hours and no calls left today
    assert (limited.value.problem, limited.value.remaining.day) == ("day", 0)
    assert (limited.value.retry_after_seconds or 0) > 86_000


def test_an_internal_error_is_unavailable_not_a_verdict(tenant: Tenant, accounting: HttpXeroAccounting) -> None:
    # Given Xero fails the next call with a 500
    tenant.sim.faults.add(Fault(FaultKind.ERROR_500, count=1))
    # When a batch is sent, then it is a "try again", not a refusal of the request
    with pytest.raises(XeroUnavailableError) as unavailable:
        accounting.call(tenant.token, tenant.org.organisation_id, contacts({"Name": "Ann Lee"}))
    assert not isinstance(unavailable.value, XeroApiError | XeroAnswerLostError)


def test_a_batch_whose_answer_was_lost_after_xero_saved_it_is_learnt_by_resending_it(
    tenant: Tenant, accounting: HttpXeroAccounting
) -> None:
    # Given Xero will save the next batch and then lose its answer
    org = tenant.org.organisation_id
    tenant.sim.faults.add(Fault(FaultKind.LOSE_RESPONSE, count=1, method="PUT"))
    batch = contacts({"Name": "Ann Lee"}, key="tenant-1:contacts:v1")
    with pytest.raises(XeroAnswerLostError):
        accounting.call(tenant.token, org, batch)
    # When it is sent again with the same key
    (result,) = elements(accounting.call(tenant.token, org, batch).body, "Contacts")
    # Then Xero's first answer comes back: the contact it saved, created once
    assert list(tenant.org.records("Contacts")) == [result.xero_id]
