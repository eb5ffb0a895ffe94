"""Tax rates through /TaxRates: the chart's system rates, rates created as TAX001..., updates (FACTS.md §4.11)."""

from __future__ import annotations

from typing import Any

from tests.simulator.conftest import Tenant, connect_tenant
from tests.simulator.reference_data import messages
from xero_simulator.server import Simulator


def _rate(tenant: Tenant, tax_type: str) -> dict[str, Any]:
    rate: dict[str, Any] = tenant.api.get(f"/TaxRates/{tax_type}").json()["TaxRates"][0]
    return rate


def _put(tenant: Tenant, name: str = "Fuel Levy", components: list[dict[str, Any]] | None = None, **fields: Any) -> Any:
    element = {
        "Name": name,
        "TaxComponents": components or [{"Name": "Levy", "Rate": 12.5, "IsCompound": False}],
        "ReportTaxType": "OUTPUT",
        **fields,
    }
    return tenant.api.put("/TaxRates", json={"TaxRates": [element]})


def test_tax_rates_list_the_countrys_system_rates(tenant: Tenant) -> None:
    # When an AU organisation's tax rates are read
    rates = {r["TaxType"]: r for r in tenant.api.get("/TaxRates").json()["TaxRates"]}
    # Then GST on Income and on Expenses are 10%, and BAS Excluded is nil
    assert (rates["OUTPUT"]["Name"], rates["OUTPUT"]["EffectiveRate"]) == ("GST on Income", 10.0)
    assert rates["INPUT"]["DisplayTaxRate"] == 10.0
    assert rates["BASEXCLUDED"]["EffectiveRate"] == 0.0


def test_tax_rates_can_be_filtered_with_where(tenant: Tenant) -> None:
    # When only the rates that apply to revenue are asked for
    answer = tenant.api.get("/TaxRates", params={"where": "CanApplyToRevenue==true"})
    # Then no purchases-only rate is among them
    tax_types = {r["TaxType"] for r in answer.json()["TaxRates"]}
    assert "OUTPUT" in tax_types
    assert "INPUT" not in tax_types


def test_tax_rates_can_be_ordered(tenant: Tenant) -> None:
    # When rates are ordered by Name
    names = [r["Name"] for r in tenant.api.get("/TaxRates", params={"order": "Name ASC"}).json()["TaxRates"]]
    # Then they come in name order
    assert names == sorted(names, key=str.lower)


def test_tax_rates_ignore_if_modified_since(tenant: Tenant) -> None:
    # When rates are asked for with an If-Modified-Since in the future, which TaxRates does not support
    answer = tenant.api.get("/TaxRates", headers={"If-Modified-Since": "2099-01-01T00:00:00"})
    # Then every rate still comes back
    assert len(answer.json()["TaxRates"]) == 11


def test_tax_rates_are_not_paged(tenant: Tenant) -> None:
    # When a page is asked for
    body = tenant.api.get("/TaxRates", params={"page": 2}).json()
    # Then the whole list comes back without pagination
    assert len(body["TaxRates"]) == 11
    assert "pagination" not in body


def test_a_tax_rate_is_read_by_its_tax_type(tenant: Tenant) -> None:
    # When GST on Capital is read by its TaxType
    rate = _rate(tenant, "CAPEXINPUT")
    # Then it is the one rate
    assert rate["Name"] == "GST on Capital"


def test_an_unknown_tax_type_is_not_found(tenant: Tenant) -> None:
    # When a TaxType the organisation does not have is read
    answer = tenant.api.get("/TaxRates/OUTPUT2")
    # Then Xero answers 404
    assert answer.status_code == 404


def test_put_gives_created_rates_tax_types_tax001_then_tax002(tenant: Tenant) -> None:
    # When two rates are created
    first = _put(tenant, "Fuel Levy").json()["TaxRates"][0]
    second = _put(tenant, "Luxury Car Tax").json()["TaxRates"][0]
    # Then Xero numbers them TAX001 and TAX002, ACTIVE
    assert (first["TaxType"], second["TaxType"]) == ("TAX001", "TAX002")
    assert first["Status"] == "ACTIVE"


def test_put_computes_the_display_and_effective_rate_from_simple_components(tenant: Tenant) -> None:
    # When a rate has a 6% state and a 2.5% county component
    components = [{"Name": "State", "Rate": 6}, {"Name": "County", "Rate": 2.5}]
    created = _put(tenant, components=components).json()["TaxRates"][0]
    # Then both its rates are the sum
    assert (created["DisplayTaxRate"], created["EffectiveRate"]) == (8.5, 8.5)


def test_put_charges_a_compound_component_on_top_of_the_others(tenant: Tenant) -> None:
    # When a rate has a 5% component and a compound 2% one
    components = [{"Name": "Federal", "Rate": 5}, {"Name": "Provincial", "Rate": 2, "IsCompound": True}]
    created = _put(tenant, components=components).json()["TaxRates"][0]
    # Then it shows 7% but charges 7.1% (2% of 105%)
    assert (created["DisplayTaxRate"], created["EffectiveRate"]) == (7.0, 7.1)


def test_put_needs_a_report_tax_type_in_au(tenant: Tenant) -> None:
    # When an AU rate is created without ReportTaxType
    answer = tenant.api.put(
        "/TaxRates", json={"TaxRates": [{"Name": "Levy", "TaxComponents": [{"Name": "Levy", "Rate": 1}]}]}
    )
    # Then it is refused
    assert messages(answer) == ["ReportTaxType is required for tax rates in this organisation's country."]


def test_put_in_the_us_needs_no_report_tax_type(simulator: Simulator) -> None:
    # Given a US organisation
    tenant = connect_tenant(simulator, country="US")
    # When a state sales tax is created without ReportTaxType
    answer = tenant.api.put(
        "/TaxRates",
        json={"TaxRates": [{"Name": "California", "TaxComponents": [{"Name": "State", "Rate": 7.25}]}]},
    )
    # Then it is created as TAX001
    assert answer.json()["TaxRates"][0]["TaxType"] == "TAX001"


def test_tax_rate_name_must_be_unique(tenant: Tenant) -> None:
    # When a rate takes GST on Income's name
    answer = _put(tenant, "gst on income")
    # Then it is refused
    assert messages(answer) == ["A tax rate with the name 'gst on income' already exists."]


def test_tax_rate_needs_a_component(tenant: Tenant) -> None:
    # When a rate has no components
    answer = tenant.api.put("/TaxRates", json={"TaxRates": [{"Name": "Empty", "ReportTaxType": "OUTPUT"}]})
    # Then it is refused
    assert messages(answer) == ["At least one tax component is required."]


def test_post_changes_a_created_rates_components_and_figures(tenant: Tenant) -> None:
    # Given a 12.5% rate
    _put(tenant)
    # When its component is changed to 15%
    answer = tenant.api.post(
        "/TaxRates", json={"TaxRates": [{"TaxType": "TAX001", "TaxComponents": [{"Name": "Levy", "Rate": 15}]}]}
    )
    # Then its rates follow
    assert answer.json()["TaxRates"][0]["EffectiveRate"] == 15.0
    assert _rate(tenant, "TAX001")["DisplayTaxRate"] == 15.0


def test_post_finds_a_rate_by_name_when_no_tax_type_is_given(tenant: Tenant) -> None:
    # Given a created rate
    _put(tenant, "Fuel Levy")
    # When it is archived by name
    tenant.api.post("/TaxRates", json={"TaxRates": [{"Name": "Fuel Levy", "Status": "ARCHIVED"}]})
    # Then it is ARCHIVED
    assert _rate(tenant, "TAX001")["Status"] == "ARCHIVED"


def test_post_deletes_a_created_rate(tenant: Tenant) -> None:
    # Given a created rate
    _put(tenant)
    # When its Status is set to DELETED
    tenant.api.post("/TaxRates", json={"TaxRates": [{"TaxType": "TAX001", "Status": "DELETED"}]})
    # Then it is DELETED
    assert _rate(tenant, "TAX001")["Status"] == "DELETED"


def test_system_rates_cannot_be_deleted(tenant: Tenant) -> None:
    # When GST on Income is deleted
    answer = tenant.api.post("/TaxRates", json={"TaxRates": [{"TaxType": "OUTPUT", "Status": "DELETED"}]})
    # Then Xero refuses and it stays ACTIVE
    assert messages(answer) == ["System tax rates cannot be deleted."]
    assert _rate(tenant, "OUTPUT")["Status"] == "ACTIVE"


def test_system_rates_can_be_archived(tenant: Tenant) -> None:
    # When GST on Imports is archived
    tenant.api.post("/TaxRates", json={"TaxRates": [{"TaxType": "GSTONIMPORTS", "Status": "ARCHIVED"}]})
    # Then it is ARCHIVED
    assert _rate(tenant, "GSTONIMPORTS")["Status"] == "ARCHIVED"


def test_system_rate_components_cannot_change(tenant: Tenant) -> None:
    # When GST on Income is made 12%
    answer = tenant.api.post(
        "/TaxRates", json={"TaxRates": [{"TaxType": "OUTPUT", "TaxComponents": [{"Name": "GST", "Rate": 12}]}]}
    )
    # Then Xero refuses and it stays 10%
    assert messages(answer) == ["The components of a system tax rate cannot be changed."]
    assert _rate(tenant, "OUTPUT")["EffectiveRate"] == 10.0


def test_a_deleted_rate_cannot_be_changed(tenant: Tenant) -> None:
    # Given a deleted rate
    _put(tenant)
    tenant.api.post("/TaxRates", json={"TaxRates": [{"TaxType": "TAX001", "Status": "DELETED"}]})
    # When it is made ACTIVE again
    answer = tenant.api.post("/TaxRates", json={"TaxRates": [{"TaxType": "TAX001", "Status": "ACTIVE"}]})
    # Then it is refused
    assert answer.status_code == 400
    assert _rate(tenant, "TAX001")["Status"] == "DELETED"


def test_post_of_an_unknown_rate_is_refused(tenant: Tenant) -> None:
    # When a rate that does not exist is updated
    answer = tenant.api.post("/TaxRates", json={"TaxRates": [{"TaxType": "TAX009", "Status": "ARCHIVED"}]})
    # Then it is refused
    assert messages(answer) == ["The tax rate 'TAX009' could not be found."]
