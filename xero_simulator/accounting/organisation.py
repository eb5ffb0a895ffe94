"""Routes: the organisation itself (GET /Organisation); Xero does not let the API change it.

Fields come from the organisation and its country's chart (version, sales-tax basis and period,
default tax treatments). POST and PUT /Organisation answer 501 Not Implemented (FACTS.md §4.13).
"""

from __future__ import annotations

from typing import Any

from xero_simulator.charts import chart_for
from xero_simulator.errors import NotImplementedByXeroError
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily


@accounting.route("GET", "/Organisation", ScopeFamily.SETTINGS)
def get_organisation(req: ApiRequest) -> dict[str, Any]:
    """The connected organisation as a one-element Organisations collection."""
    org = req.org
    chart = chart_for(org.country_code)
    return {
        "Organisations": [
            {
                "OrganisationID": org.organisation_id,
                "Name": org.name,
                "LegalName": org.name,
                "PaysTax": True,
                "Version": chart.version,
                "OrganisationType": chart.organisation_type,
                "OrganisationEntityType": chart.organisation_type,
                "BaseCurrency": org.base_currency,
                "CountryCode": org.country_code,
                "IsDemoCompany": False,
                "OrganisationStatus": "ACTIVE",
                "FinancialYearEndDay": org.financial_year_end_day,
                "FinancialYearEndMonth": org.financial_year_end_month,
                "SalesTaxBasis": chart.sales_tax_basis,
                "SalesTaxPeriod": chart.sales_tax_period,
                "DefaultSalesTax": chart.default_sales_tax,
                "DefaultPurchasesTax": chart.default_purchases_tax,
                "PeriodLockDate": org.period_lock_date,
                "EndOfYearLockDate": org.end_of_year_lock_date,
                "CreatedDateUTC": org.created,
                "Timezone": org.timezone,
                "ShortCode": org.short_code,
                "Class": "STANDARD",
                "Edition": "BUSINESS",
                "LineOfBusiness": "",
                "Addresses": [],
                "Phones": [],
                "ExternalLinks": [],
                "PaymentTerms": {},
            }
        ]
    }


@accounting.route("POST", "/Organisation", ScopeFamily.SETTINGS)
def update_organisation(req: ApiRequest) -> dict[str, Any]:
    """Xero answers 501: the organisation cannot be changed through the API (FACTS.md §4.13)."""
    raise NotImplementedByXeroError()


@accounting.route("PUT", "/Organisation", ScopeFamily.SETTINGS)
def create_organisation(req: ApiRequest) -> dict[str, Any]:
    """Xero answers 501: organisations cannot be created through the API (FACTS.md §4.13)."""
    raise NotImplementedByXeroError()
