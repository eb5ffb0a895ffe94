"""GET /v1/tenants/{tenant_id}/reports/...: Xero's reports through the tenant's rate budget, over fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.domain.connections import ConnectionStatus
from shared.domain.ledger import Outcome, SyncState
from shared.domain.rate_limits import Priority
from shared.domain.records import Entity
from shared.ports.xero_accounting import XeroApiError, XeroRateLimitedError
from shared.ports.xero_identity import XeroUnavailableError
from tests.unit.api.api_world import XERO_TENANT
from tests.unit.api.reporting.reporting_world import ReportingWorld
from tests.unit.reports.xero_reports import aged_receivables, profit_and_loss

PNL = "/reports/profit-and-loss"
OCTOBER = "from=2026-10-01&to=2026-10-31"


def test_profit_and_loss_answers_xeros_report_for_the_period(world: ReportingWorld, tenant_id: str) -> None:
    # Given Xero's Profit and Loss for the tenant's organisation
    world.xero.answer("/Reports/ProfitAndLoss", profit_and_loss("1000.00", "250.00", "750.00"))
    # When the platform asks for October's
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=OCTOBER)
    # Then it gets the report with its figures as decimal strings
    assert answer.status == 200, answer.text
    body = answer.body
    assert body["report_type"] == "ProfitAndLoss"
    assert {f["label"]: f["amounts"] for f in body["figures"]}["Net Profit"] == ["750.00"]
    # And Xero was asked once, for that period, at a user's priority
    [request] = world.xero.requests
    assert request.params == {"fromDate": "2026-10-01", "toDate": "2026-10-31"}
    assert world.budget.priorities == [Priority.USER_WRITE]


def test_profit_and_loss_passes_comparison_periods(world: ReportingWorld, tenant_id: str) -> None:
    world.xero.answer("/Reports/ProfitAndLoss", profit_and_loss())
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=f"{OCTOBER}&periods=2&timeframe=QUARTER")
    assert answer.status == 200, answer.text
    assert world.xero.requests[0].params["periods"] == "2"
    assert world.xero.requests[0].params["timeframe"] == "QUARTER"


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("from=2026-10-31&to=2026-10-01", "before_from"),
        ("from=2025-10-01&to=2026-10-01", "period_too_long"),
        ("from=2028-02-29&to=2029-03-01", "period_too_long"),
    ],
)
def test_a_period_xero_would_not_report_on_is_refused_before_any_call(
    world: ReportingWorld, tenant_id: str, query: str, problem: str
) -> None:
    # When the platform asks for a period that ends before it starts, or runs past a year
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=query)
    # Then it is told which parameter is wrong, and no call spent the tenant's budget
    assert answer.status == 422
    assert answer.body["errors"] == [
        {"field": "query.to", "problem": problem, "message": answer.body["errors"][0]["message"]}
    ]
    assert world.xero.requests == []
    assert world.budget.priorities == []


@pytest.mark.parametrize(
    "query", ["from=2028-01-01&to=2028-12-31", "from=2025-07-01&to=2026-06-30", "from=2028-02-29&to=2029-02-28"]
)
def test_a_whole_year_is_one_period(world: ReportingWorld, tenant_id: str, query: str) -> None:
    # Given a calendar year of a leap year, a financial year, and a year from 29 February
    world.xero.answer("/Reports/ProfitAndLoss", profit_and_loss())
    # Then each is read as one period
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=query)
    assert answer.status == 200, answer.text


def test_a_period_without_its_dates_is_a_422(world: ReportingWorld, tenant_id: str) -> None:
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query="from=2026-10-01")
    assert answer.status == 422
    assert [e["field"] for e in answer.body["errors"]] == ["query.to"]


def test_balance_sheet_is_read_at_the_date_asked(world: ReportingWorld, tenant_id: str) -> None:
    world.xero.answer("/Reports/BalanceSheet", profit_and_loss())
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/reports/balance-sheet", query="date=2026-10-31")
    assert answer.status == 200, answer.text
    assert world.xero.requests[0].params == {"date": "2026-10-31"}


def test_balance_sheet_without_a_date_leaves_xeros_default(world: ReportingWorld, tenant_id: str) -> None:
    world.xero.answer("/Reports/BalanceSheet", profit_and_loss())
    assert world.call("GET", f"/v1/tenants/{tenant_id}/reports/balance-sheet").status == 200
    assert world.xero.requests[0].params == {}


def _contact_in_xero(world: ReportingWorld, tenant_id: str, contact_id: str, xero_id: str | None) -> None:
    assert world.put_record(tenant_id, "contact", contact_id, {"name": "Bayside Cafe"}).status == 200
    if xero_id is not None:
        world.settle(tenant_id, Entity.CONTACT, contact_id, Outcome(state=SyncState.SYNCED, xero_id=xero_id))


@pytest.mark.parametrize(
    ("route", "path"), [("aged-receivables", "AgedReceivablesByContact"), ("aged-payables", "AgedPayablesByContact")]
)
def test_aged_reports_are_read_for_the_platforms_contact_by_its_xero_id(
    world: ReportingWorld, tenant_id: str, route: str, path: str
) -> None:
    # Given a contact the sync sent to Xero
    _contact_in_xero(world, tenant_id, "cust-1", "b2b5333a-2546-4975-891f-d71a8a640d23")
    world.xero.answer(f"/Reports/{path}", aged_receivables(due="150.00"))
    # When the platform asks for its aged report
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/reports/{route}", query="contact_id=cust-1&date=2026-12-31")
    # Then Xero is asked with the contact's Xero id and the report is answered
    assert answer.status == 200, answer.text
    assert world.xero.requests[0].params == {"contactId": "b2b5333a-2546-4975-891f-d71a8a640d23", "date": "2026-12-31"}
    assert {f["label"]: f["amounts"] for f in answer.body["figures"]}["Total"] == ["150.00", "0.00", "0.00", "150.00"]


def test_an_aged_report_of_a_contact_not_in_xero_yet_is_a_409(world: ReportingWorld, tenant_id: str) -> None:
    _contact_in_xero(world, tenant_id, "cust-1", None)
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/reports/aged-receivables", query="contact_id=cust-1")
    assert answer.status == 409
    assert "not in Xero yet" in answer.body["detail"]
    assert world.xero.requests == []


def test_an_aged_report_of_an_unknown_contact_is_a_404(world: ReportingWorld, tenant_id: str) -> None:
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/reports/aged-receivables", query="contact_id=nobody")
    assert answer.status == 404


def test_an_aged_report_needs_a_contact(world: ReportingWorld, tenant_id: str) -> None:
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/reports/aged-payables")
    assert answer.status == 422
    assert [e["field"] for e in answer.body["errors"]] == ["query.contact_id"]


# --- failures -------------------------------------------------------------------------------------


def test_an_unknown_tenant_is_a_404(world: ReportingWorld) -> None:
    assert world.call("GET", f"/v1/tenants/nobody{PNL}", query=OCTOBER).status == 404


def test_a_tenant_that_never_connected_is_a_409(world: ReportingWorld) -> None:
    tenant = world.tenant()
    answer = world.call("GET", f"/v1/tenants/{tenant}{PNL}", query=OCTOBER)
    assert answer.status == 409
    assert "not connected to Xero" in answer.body["detail"]


def test_a_tenant_needing_reauthorisation_is_a_409_with_its_reason(world: ReportingWorld, tenant_id: str) -> None:
    connection = world.connection(tenant_id)
    world.state.connections.put(
        connection.model_copy(update={"status": ConnectionStatus.NEEDS_REAUTH, "last_error": "Connect again, please."})
    )
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=OCTOBER)
    assert (answer.status, answer.body["detail"]) == (409, "Connect again, please.")


def test_a_spent_budget_answers_429_with_retry_after_and_calls_nobody(world: ReportingWorld, tenant_id: str) -> None:
    # Given the tenant's budget is parked for two minutes (an earlier 429 from Xero)
    world.budget.park(XERO_TENANT, world.clock.now() + timedelta(seconds=120))
    # When the platform asks for a report
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=OCTOBER)
    # Then it is told to come back when the budget allows, and Xero was not called
    assert answer.status == 429
    assert answer.headers["Retry-After"] == "120"
    assert answer.body["status"] == 429
    assert world.xero.requests == []


def test_xeros_own_429_answers_429_with_xeros_retry_after(world: ReportingWorld, tenant_id: str) -> None:
    world.xero.fail_next(XeroRateLimitedError(37, "minute"))
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=OCTOBER)
    assert (answer.status, answer.headers["Retry-After"]) == (429, "37")


def test_xero_unavailable_answers_503(world: ReportingWorld, tenant_id: str) -> None:
    world.xero.fail_next(XeroUnavailableError("Xero answered 503 to GET /Reports/ProfitAndLoss"))
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=OCTOBER)
    assert answer.status == 503
    assert "Retry-After" in answer.headers


def test_a_grant_without_the_reports_scope_is_a_409(world: ReportingWorld, tenant_id: str) -> None:
    world.xero.fail_next(XeroApiError(401, "AuthorizationUnsuccessful", insufficient_scope=True))
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=OCTOBER)
    assert answer.status == 409
    assert "insufficient_scope" in answer.body["detail"]


def test_xero_refusing_the_request_is_a_502_with_xeros_words(world: ReportingWorld, tenant_id: str) -> None:
    world.xero.fail_next(XeroApiError(400, "Supplied parameter 'toDate' cannot be parsed."))
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=OCTOBER)
    assert answer.status == 502
    assert "cannot be parsed" in answer.body["detail"]


def test_xero_answering_without_a_report_is_a_502(world: ReportingWorld, tenant_id: str) -> None:
    world.xero.answer("/Reports/ProfitAndLoss", {"Reports": []})
    assert world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=OCTOBER).status == 502


def test_a_connection_whose_tokens_are_gone_is_a_409_and_xero_is_not_called(
    world: ReportingWorld, tenant_id: str
) -> None:
    # Given the tenant's token secret is missing while its connection says connected
    world.vault.delete(tenant_id)
    # When the platform reads a report
    answer = world.call("GET", f"/v1/tenants/{tenant_id}{PNL}", query=OCTOBER)
    # Then the tenant is told to connect again, and nothing was asked of Xero
    assert answer.status == 409
    assert "Connect to Xero again" in answer.body["detail"]
    assert world.xero.requests == []
