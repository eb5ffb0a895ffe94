"""Routes: tax rates (GET/PUT/POST /TaxRates, GET /TaxRates/{TaxType}).

Rules (FACTS.md §4.11): rates are keyed by TaxType; the ones a country's chart ships are Xero's
system rates and can be archived but never deleted; rates created through the API get TaxType
TAX001, TAX002, ...; DisplayTaxRate is the sum of the component rates and EffectiveRate applies
compound components on top of the others. GET takes where/order only: no If-Modified-Since and
no paging (FACTS.md §4.3), and rates carry no UpdatedDateUTC.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from xero_simulator.accounting.batch import ElementError
from xero_simulator.accounting.querying import ListRules, list_records
from xero_simulator.accounting.unbatched_writes import write_each
from xero_simulator.errors import found
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily

_RULES = ListRules(id_field="TaxType", modified_field=None)
_FOUR_PLACES = Decimal("0.0001")
_STATUSES = frozenset({"ACTIVE", "ARCHIVED", "DELETED"})
# Countries whose tax returns need each rate's ReportTaxType (OAS-ACC TaxRate.ReportTaxType).
_REPORTING_COUNTRIES = frozenset({"AU", "NZ", "GB"})


def tax_figures(components: list[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    """(DisplayTaxRate, EffectiveRate) of a rate's components, to 4 decimal places.

    Simple components add up; each compound component is charged on the amount plus the tax of
    the simple components, so 5% with a compound 2% is displayed as 7% and charged as 7.1%.
    """
    display = sum((Decimal(str(c["Rate"])) for c in components), Decimal(0))
    effective = sum((Decimal(str(c["Rate"])) for c in components if not c.get("IsCompound")), Decimal(0))
    for component in components:
        if component.get("IsCompound"):
            effective += Decimal(str(component["Rate"])) * (100 + effective) / 100
    return display.quantize(_FOUR_PLACES), effective.quantize(_FOUR_PLACES)


def _components(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise ElementError("At least one tax component is required.")
    components = []
    for component in raw:
        name = component.get("Name")
        if not isinstance(name, str) or not name.strip():
            raise ElementError("Each tax component must have a Name.")
        try:
            rate = Decimal(str(component.get("Rate")))
        except InvalidOperation as exc:
            raise ElementError(f"The tax component '{name}' must have a Rate.") from exc
        if not rate.is_finite() or rate < 0 or rate > 100:
            raise ElementError(f"The Rate of tax component '{name}' must be between 0 and 100.")
        components.append(
            {
                "Name": name.strip(),
                "Rate": rate.quantize(_FOUR_PLACES),
                "IsCompound": bool(component.get("IsCompound", False)),
                "IsNonRecoverable": bool(component.get("IsNonRecoverable", False)),
            }
        )
    return components


def _check_name(req: ApiRequest, name: Any, tax_type: str | None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ElementError("Please enter a Name.")
    for other in req.org.records("TaxRates").values():
        if other["TaxType"] != tax_type and other["Status"] != "DELETED" and other["Name"].lower() == name.lower():
            raise ElementError(f"A tax rate with the name '{name.strip()}' already exists.")
    return name.strip()


def _next_tax_type(req: ApiRequest) -> str:
    """TAX001, TAX002, ...: the codes Xero gives rates created through the API (FACTS.md §4.11)."""
    number = req.org.sequences.get("TAX", 0) + 1
    req.org.sequences["TAX"] = number
    return f"TAX{number:03d}"


def _with_figures(record: dict[str, Any]) -> dict[str, Any]:
    display, effective = tax_figures(record["TaxComponents"])
    return {**record, "DisplayTaxRate": display, "EffectiveRate": effective}


def _create(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    name = _check_name(req, element.get("Name"), None)
    components = _components(element.get("TaxComponents"))
    report_type = element.get("ReportTaxType")
    if report_type is None and req.org.country_code in _REPORTING_COUNTRIES:
        raise ElementError("ReportTaxType is required for tax rates in this organisation's country.")
    record: dict[str, Any] = {
        "Name": name,
        "TaxType": "",
        "TaxComponents": components,
        "Status": "ACTIVE",
        # A rate the user creates can be chosen on any kind of account.
        **{f"CanApplyTo{t}": True for t in ("Assets", "Equity", "Expenses", "Liabilities", "Revenue")},
    }
    if report_type is not None:
        record["ReportTaxType"] = report_type
    record = _with_figures(record)
    record["TaxType"] = _next_tax_type(req)
    req.org.records("TaxRates")[record["TaxType"]] = record
    return record


def _target(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    rates = req.org.records("TaxRates")
    tax_type, name = element.get("TaxType"), element.get("Name")
    if tax_type:
        found = rates.get(tax_type)
    else:
        found = next((r for r in rates.values() if isinstance(name, str) and r["Name"].lower() == name.lower()), None)
    if found is None:
        raise ElementError(f"The tax rate '{tax_type or name}' could not be found.")
    return found


def _update(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    record = _target(req, element)
    if record["Status"] == "DELETED":
        raise ElementError(f"The tax rate '{record['Name']}' has been deleted and cannot be changed.")
    system = record.get("_system", False)
    changes: dict[str, Any] = {}
    if element.get("TaxType") and "Name" in element and element["Name"] != record["Name"]:
        if system:
            raise ElementError("The Name of a system tax rate cannot be changed.")
        changes["Name"] = _check_name(req, element["Name"], record["TaxType"])
    if "TaxComponents" in element:
        if system:
            raise ElementError("The components of a system tax rate cannot be changed.")
        changes["TaxComponents"] = _components(element["TaxComponents"])
    if "ReportTaxType" in element:
        changes["ReportTaxType"] = element["ReportTaxType"]
    status = element.get("Status", record["Status"])
    if status not in _STATUSES:
        raise ElementError(f"A tax rate's Status can only be ACTIVE, ARCHIVED or DELETED, not {status}.")
    if status == "DELETED" and system:
        raise ElementError("System tax rates cannot be deleted.")
    changes["Status"] = status
    record.update(_with_figures({**record, **changes}))
    return record


@accounting.route("GET", "/TaxRates", ScopeFamily.SETTINGS)
def list_tax_rates(req: ApiRequest) -> dict[str, Any]:
    """Every tax rate of the organisation, whatever its Status, filtered by where and ordered by order."""
    records, _ = list_records(req, req.org.records("TaxRates").values(), _RULES)
    return {"TaxRates": records}


@accounting.route("GET", "/TaxRates/{TaxType}", ScopeFamily.SETTINGS)
def get_tax_rate(req: ApiRequest) -> dict[str, Any]:
    """One tax rate by its TaxType code."""
    rate = found(req.org.records("TaxRates").get(req.path_params["TaxType"].upper()))
    return {"TaxRates": [rate]}


@accounting.route("PUT", "/TaxRates", ScopeFamily.SETTINGS)
def create_tax_rates(req: ApiRequest) -> dict[str, Any]:
    """Create tax rates from Name, TaxComponents and ReportTaxType; Xero assigns the TaxType."""
    return write_each(req, "TaxRates", _create)


@accounting.route("POST", "/TaxRates", ScopeFamily.SETTINGS)
def update_tax_rates(req: ApiRequest) -> dict[str, Any]:
    """Update tax rates found by TaxType (or by Name without one): components, name, report type, Status."""
    return write_each(req, "TaxRates", _update)
