"""The checks every Accounting API call passes through, in Xero's order, and Xero's envelope."""

from __future__ import annotations

import re

from tests.simulator.conftest import Tenant


def test_answers_come_in_xeros_envelope(tenant: Tenant) -> None:
    # When the organisation is read
    body = tenant.api.get("/Organisation").json()
    # Then the envelope has Xero's fields, an MS-JSON timestamp without offset, and an array collection
    assert body["Status"] == "OK"
    assert body["ProviderName"] == tenant.app.name
    assert re.fullmatch(r"/Date\(\d+\)/", body["DateTimeUTC"])
    assert isinstance(body["Organisations"], list)


def test_a_missing_tenant_header_is_forbidden(tenant: Tenant) -> None:
    # When a call omits xero-tenant-id
    answer = tenant.client(tenant.token).get("/Organisation")
    # Then Xero answers 403 AuthenticationUnsuccessful
    assert answer.status_code == 403
    assert answer.json()["Detail"] == "AuthenticationUnsuccessful"


def test_a_tenant_the_token_is_not_connected_to_is_forbidden(tenant: Tenant) -> None:
    # When a call names an organisation this user never connected
    answer = tenant.client(tenant.token, "3f0c4e4b-0000-4000-8000-000000000000").get("/Organisation")
    # Then Xero answers 403
    assert answer.status_code == 403


def test_an_expired_token_is_refused_with_token_expired(tenant: Tenant) -> None:
    # Given 30 minutes and a second of Xero time have passed since the token was issued
    tenant.sim.world.clock.advance(1801)
    # When it is used
    answer = tenant.api.get("/Organisation")
    # Then Xero answers 401 TokenExpired
    assert answer.status_code == 401
    assert answer.json()["Detail"].startswith("TokenExpired: token expired at ")


def test_a_forged_token_is_refused(tenant: Tenant) -> None:
    # Given a token whose signature was tampered with
    header, payload, signature = tenant.token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    # When it is used, then Xero answers 401
    assert tenant.client(forged, tenant.org.organisation_id).get("/Organisation").status_code == 401


def test_a_body_that_is_not_json_is_refused(tenant: Tenant) -> None:
    # When a PUT carries a body that is not JSON
    answer = tenant.api.put("/Contacts", content=b"{not json", headers={"Content-Type": "application/json"})
    # Then Xero answers 400 PostDataInvalidException
    assert answer.status_code == 400
    assert answer.json()["Type"] == "PostDataInvalidException"


def test_a_body_the_schema_rejects_is_refused_before_anything_is_saved(tenant: Tenant) -> None:
    # When an invoice carries a Type outside Xero's enum
    answer = tenant.api.put("/Invoices", json={"Invoices": [{"Type": "BOGUS", "Contact": {"Name": "X"}}]})
    # Then it is refused as invalid post data, naming the field
    assert answer.status_code == 400
    assert "Invoices/0/Type" in answer.json()["Message"]
    assert tenant.org.records("Invoices") == {}


def test_an_unknown_path_is_not_found(tenant: Tenant) -> None:
    assert tenant.api.get("/NoSuchThing").status_code == 404


def test_paths_and_query_names_are_case_insensitive(tenant: Tenant) -> None:
    # When the path and a query parameter use another case
    answer = tenant.api.get("/contacts", params={"PAGE": "1"})
    # Then the call is routed and the parameter honoured
    assert answer.status_code == 200
    assert answer.json()["pagination"]["page"] == 1


def test_a_query_parameter_that_is_not_a_number_is_refused_not_crashed_on(tenant: Tenant) -> None:
    # When page is not a number
    answer = tenant.api.get("/Invoices", params={"page": "two"})
    # Then Xero's plain-text 400 names the parameter
    assert answer.status_code == 400
    assert answer.text == "Supplied parameter 'page' cannot be parsed."


def test_without_accept_json_the_answer_is_xml_as_xero_defaults(tenant: Tenant) -> None:
    # When a call does not ask for JSON
    answer = tenant.api.get("/Organisation", headers={"Accept": "*/*"})
    # Then Xero's default format, XML, comes back
    assert answer.headers["Content-Type"].startswith("text/xml")
    assert answer.text.startswith("<Response><Id>")
    assert "<Organisations><Organisation>" in answer.text
