"""GET /Organisation from the organisation and its chart; the API cannot change an organisation (FACTS.md §4.13)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.simulator.conftest import Tenant, connect_tenant
from xero_simulator.server import Simulator


def test_organisation_answers_its_name_currency_country_and_status(tenant: Tenant) -> None:
    # When the organisation is read
    organisation = tenant.api.get("/Organisation").json()["Organisations"][0]
    # Then it carries the AU organisation's identity and Xero's ACTIVE status
    assert organisation["OrganisationID"] == tenant.org.organisation_id
    assert organisation["Name"] == tenant.org.name
    assert organisation["BaseCurrency"] == "AUD"
    assert organisation["CountryCode"] == "AU"
    assert organisation["OrganisationStatus"] == "ACTIVE"


def test_organisation_answers_its_financial_year_end_and_timezone_from_its_chart(tenant: Tenant) -> None:
    # When the AU organisation is read
    organisation = tenant.api.get("/Organisation").json()["Organisations"][0]
    # Then its financial year ends on 30 June and it keeps Sydney time, as AU orgs do
    assert (organisation["FinancialYearEndDay"], organisation["FinancialYearEndMonth"]) == (30, 6)
    assert organisation["Timezone"] == "AUSEASTERNSTANDARDTIME"
    assert organisation["Version"] == "AU"


def test_organisation_dates_are_ms_json(tenant: Tenant) -> None:
    # Given a period lock date
    tenant.org.period_lock_date = date(2024, 6, 30)
    # When the organisation is read
    organisation = tenant.api.get("/Organisation").json()["Organisations"][0]
    # Then the lock date and creation time are MS-JSON dates
    assert organisation["PeriodLockDate"] == "/Date(1719705600000+0000)/"
    assert re.fullmatch(r"/Date\(\d+\+0000\)/", organisation["CreatedDateUTC"])


def test_organisation_omits_lock_dates_that_are_not_set(tenant: Tenant) -> None:
    # When an organisation without lock dates is read
    organisation = tenant.api.get("/Organisation").json()["Organisations"][0]
    # Then no lock date is sent
    assert "PeriodLockDate" not in organisation
    assert "EndOfYearLockDate" not in organisation


@pytest.mark.parametrize(
    ("country", "currency", "version"), [("NZ", "NZD", "NZ"), ("GB", "GBP", "UK"), ("US", "USD", "US")]
)
def test_organisation_of_each_country_answers_its_currency_and_version(
    simulator: Simulator, country: str, currency: str, version: str
) -> None:
    # Given an organisation of that country
    tenant = connect_tenant(simulator, country=country)
    # When it is read
    organisation = tenant.api.get("/Organisation").json()["Organisations"][0]
    # Then its currency and Xero version are the country's
    assert (organisation["CountryCode"], organisation["BaseCurrency"], organisation["Version"]) == (
        country,
        currency,
        version,
    )


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_changing_the_organisation_is_not_implemented(tenant: Tenant, method: str) -> None:
    # When a client tries to change or create an organisation
    answer = tenant.api.request(method, "/Organisation", json={"Organisations": [{"Name": "Renamed"}]})
    # Then Xero answers 501 Not Implemented and nothing changes
    assert answer.status_code == 501
    assert answer.json()["Type"] == "NotImplementedException"
    assert tenant.org.name == "Demo Company (AU)"
