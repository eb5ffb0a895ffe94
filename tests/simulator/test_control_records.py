"""Control API records: acting as a Xero user, and seeding organisations through the Accounting routes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.simulator.conftest import Tenant
from tests.simulator.webhook_receiver import WebhookReceiver, subscribe


def act(control: httpx.Client, tenant: Tenant, method: str, path: str, body: Any = None) -> dict[str, Any]:
    answer = control.post(
        f"/organisations/{tenant.org.organisation_id}/act", json={"method": method, "path": path, "body": body}
    )
    assert answer.status_code == 200, answer.text
    outcome: dict[str, Any] = answer.json()
    return outcome


def seed(control: httpx.Client, tenant: Tenant, order: dict[str, Any]) -> httpx.Response:
    return control.post(f"/organisations/{tenant.org.organisation_id}/seed", json=order)


def test_user_creating_a_contact_in_xero_sends_a_contact_webhook(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given an app subscribed to the tenant's webhooks
    subscribe(control, tenant.app, receiver)
    control.post("/webhooks/pause")
    # When a Xero user creates a contact in the web app
    outcome = act(control, tenant, "PUT", "/Contacts", {"Contacts": [{"Name": "Walk-in Customer"}]})
    control.post("/webhooks/flush")
    # Then the app hears a CONTACT CREATE for it
    contact_id = outcome["body"]["Contacts"][0]["ContactID"]
    [event] = receiver.deliveries()[0].payload["events"]
    assert (event["eventCategory"], event["eventType"], event["resourceId"]) == ("CONTACT", "CREATE", contact_id)


def test_user_editing_an_invoice_in_xero_sends_an_invoice_update_webhook(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a draft invoice the app knows about, and a subscribed app
    seed(control, tenant, {"contacts": 1, "seed": 3}).raise_for_status()
    contact_id = next(iter(tenant.org.records("Contacts")))
    created = act(
        control,
        tenant,
        "PUT",
        "/Invoices",
        {
            "Invoices": [
                {
                    "Type": "ACCREC",
                    "Contact": {"ContactID": contact_id},
                    "Status": "DRAFT",
                    "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200"}],
                }
            ]
        },
    )
    invoice_id = created["body"]["Invoices"][0]["InvoiceID"]
    subscribe(control, tenant.app, receiver)
    control.post("/webhooks/pause")
    # When a Xero user changes its reference
    outcome = act(control, tenant, "POST", f"/Invoices/{invoice_id}", {"Reference": "Edited in Xero"})
    control.post("/webhooks/flush")
    # Then the edit is saved and the app hears an INVOICE UPDATE
    assert outcome["status"] == 200
    [event] = receiver.deliveries()[0].payload["events"]
    assert (event["eventCategory"], event["eventType"], event["resourceId"]) == ("INVOICE", "UPDATE", invoice_id)


def test_acting_user_gets_xero_validation_errors(tenant: Tenant, control: httpx.Client) -> None:
    # Given a contact without a name, which Xero refuses
    # When a Xero user tries to save it
    outcome = act(control, tenant, "PUT", "/Contacts", {"Contacts": [{"EmailAddress": "x@example.com"}]})
    # Then the answer is Xero's ValidationException
    assert outcome["status"] == 400
    assert outcome["body"]["Type"] == "ValidationException"


def test_acting_user_reads_with_query_parameters(tenant: Tenant, control: httpx.Client) -> None:
    # Given two seeded contacts
    seed(control, tenant, {"contacts": 2, "seed": 5}).raise_for_status()
    # When a Xero user lists contacts through a path with a query string
    outcome = act(control, tenant, "GET", "/api.xro/2.0/Contacts?page=1")
    # Then the paged list is answered
    assert outcome["status"] == 200
    assert len(outcome["body"]["Contacts"]) == 2


def test_acting_on_an_unknown_path_is_xeros_404(tenant: Tenant, control: httpx.Client) -> None:
    # Given a path the Accounting API does not have
    # When a Xero user acts on it
    outcome = act(control, tenant, "GET", "/Widgets")
    # Then Xero's answer is a 404
    assert outcome["status"] == 404


def test_act_needs_a_method_xero_knows(tenant: Tenant, control: httpx.Client) -> None:
    # Given an HTTP method the Accounting API does not use
    # When a Xero user acts with it
    answer = control.post(
        f"/organisations/{tenant.org.organisation_id}/act", json={"method": "PATCH", "path": "/Contacts"}
    )
    # Then the control API refuses it
    assert (answer.status_code, answer.json()) == (400, {"message": "'method' must be one of GET, PUT, POST, DELETE"})


def test_acting_spends_no_rate_limit(tenant: Tenant, control: httpx.Client) -> None:
    # Given a limit of one call a minute
    control.put("/limits", json={"per_minute": 1})
    # When a Xero user makes three changes, then the app calls once
    for _ in range(3):
        act(control, tenant, "GET", "/Contacts")
    # Then the app's call is still within its limit
    assert tenant.api.get("/Contacts").status_code == 200


def test_seed_by_count_creates_realistic_records_through_the_api_rules(tenant: Tenant, control: httpx.Client) -> None:
    # Given a new organisation
    # When it is seeded by counts
    answer = seed(
        control,
        tenant,
        {"items": 2, "contacts": 5, "invoices": 8, "bills": 4, "credit_notes": 2, "payments": 3, "seed": 42},
    )
    # Then every record was created, and the app reads them back
    assert answer.status_code == 200, answer.text
    created = answer.json()["created"]
    assert {kind: len(ids) for kind, ids in created.items()} == {
        "items": 2,
        "contacts": 5,
        "invoices": 8,
        "bills": 4,
        "credit_notes": 2,
        "payments": 3,
    }
    invoices = tenant.api.get("/Invoices", params={"page": 1}).json()["Invoices"]
    assert {i["Type"] for i in invoices} == {"ACCREC", "ACCPAY"}
    assert all(i["LineItems"] for i in invoices)


def test_seed_with_explicit_records_saves_them_as_given(tenant: Tenant, control: httpx.Client) -> None:
    # Given explicit contact records
    records = [{"Name": "Harbour Plumbing", "EmailAddress": "ops@harbour.example.com"}, {"Name": "Copper Bakery"}]
    # When they are seeded
    answer = seed(control, tenant, {"contacts": records})
    # Then the app reads them back
    assert answer.status_code == 200, answer.text
    names = {c["Name"] for c in tenant.api.get("/Contacts").json()["Contacts"]}
    assert names == {"Harbour Plumbing", "Copper Bakery"}


def test_seed_reports_records_xero_refused(tenant: Tenant, control: httpx.Client) -> None:
    # Given two contacts with the same name, which Xero refuses the second time
    records = [{"Name": "Twin Pty Ltd"}, {"Name": "Twin Pty Ltd"}]
    # When they are seeded
    answer = seed(control, tenant, {"contacts": records})
    # Then the first is saved and the second's refusal is reported
    assert answer.status_code == 400
    body = answer.json()
    assert len(body["created"]["contacts"]) == 1
    assert [(e["kind"], e["index"]) for e in body["errors"]] == [("contacts", 1)]


def test_generated_documents_respect_the_lock_date(tenant: Tenant, control: httpx.Client) -> None:
    # Given a period lock date a week ago
    locked_until = tenant.sim.world.clock.now().date() - timedelta(days=7)
    control.put(
        f"/organisations/{tenant.org.organisation_id}/lock-dates", json={"period_lock_date": locked_until.isoformat()}
    )
    # When invoices are generated
    answer = seed(control, tenant, {"contacts": 2, "invoices": 10, "seed": 9})
    # Then all were accepted, each dated after the lock date
    assert answer.status_code == 200, answer.text
    dates = [i["Date"] for i in tenant.org.records("Invoices").values()]
    assert min(dates) > locked_until


def test_generated_invoices_need_contacts(tenant: Tenant, control: httpx.Client) -> None:
    # Given an organisation without contacts
    # When invoices alone are generated
    answer = seed(control, tenant, {"invoices": 3})
    # Then the control API says what is missing
    assert (answer.status_code, answer.json()) == (
        400,
        {"message": "generated invoices need contacts: seed 'contacts' first or in the same request"},
    )


@pytest.mark.parametrize(
    ("order", "message"),
    [
        ({"widgets": 3}, "unknown fields: widgets; expected some of bills, contacts, credit_notes, "),
        ({"contacts": -1}, "'contacts' must be at least 0"),
        ({"contacts": ["Acme"]}, "'contacts' must be a count or a list of record objects"),
    ],
)
def test_bad_seed_order_is_refused(tenant: Tenant, control: httpx.Client, order: dict[str, Any], message: str) -> None:
    # Given an order the seeder cannot follow
    # When it is sent
    answer = seed(control, tenant, order)
    # Then the control API says why
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(message)
