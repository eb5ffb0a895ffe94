"""Invoice batches and summarizeErrors (FACTS.md §4.4), and the webhook events invoice writes announce (§2.4)."""

from __future__ import annotations

from tests.simulator.conftest import Tenant
from tests.simulator.document_requests import bill, line, messages, post_invoice, put_invoice, sales_invoice
from xero_simulator.server import Simulator
from xero_simulator.world import ChangeEvent

GOOD_AND_BAD = {"Invoices": [sales_invoice(Reference="good"), sales_invoice(LineItems=[])]}


def listen(simulator: Simulator) -> list[ChangeEvent]:
    events: list[ChangeEvent] = []
    simulator.world.change_listeners.append(events.append)
    return events


def test_by_default_one_bad_invoice_makes_the_answer_400_yet_the_good_one_is_saved(tenant: Tenant) -> None:
    # When a batch holds a valid and an invalid invoice, without summarizeErrors
    answer = tenant.api.put("/Invoices", json=GOOD_AND_BAD)
    # Then the answer is a 400 listing only the bad element, and the good invoice exists anyway
    assert answer.status_code == 400
    assert answer.json()["Type"] == "ValidationException"
    assert len(answer.json()["Elements"]) == 1
    assert [i["Reference"] for i in tenant.org.records("Invoices").values()] == ["good"]


def test_summarize_errors_false_answers_200_with_each_elements_outcome(tenant: Tenant) -> None:
    # When the same batch is sent with summarizeErrors=false
    answer = tenant.api.put("/Invoices", json=GOOD_AND_BAD, params={"summarizeErrors": "false"})
    # Then the answer is 200, the good element OK with its id, the bad one ERROR with its message
    good, bad = answer.json()["Invoices"]
    assert answer.status_code == 200
    assert (good["StatusAttributeString"], bool(good["InvoiceID"])) == ("OK", True)
    assert bad["StatusAttributeString"] == "ERROR"
    assert messages(answer, element=1) == ["One or more line items must be specified"]


def test_a_refused_invoice_changes_nothing(tenant: Tenant) -> None:
    # When an invoice naming a new contact is refused for a bad line
    body = sales_invoice(Contact={"Name": "Never Saved Ltd"}, LineItems=[line(AccountCode="999")])
    answer = tenant.api.put("/Invoices", json={"Invoices": [body]})
    # Then neither the invoice nor the contact was created
    assert answer.status_code == 400
    assert tenant.org.records("Invoices") == {}
    assert all(c["Name"] != "Never Saved Ltd" for c in tenant.org.records("Contacts").values())


def test_an_invoice_collects_every_problem_it_has(tenant: Tenant) -> None:
    # When an AUTHORISED invoice lacks both a contact and a due date
    body = sales_invoice(Status="AUTHORISED")
    del body["Contact"], body["DueDate"]
    answer = tenant.api.put("/Invoices", json={"Invoices": [body]})
    # Then both problems are reported
    assert set(messages(answer)) == {
        "A Contact must be specified for this type of transaction",
        "The document DueDate field must be specified.",
    }


def test_creating_a_sales_invoice_announces_invoice_create(simulator: Simulator, tenant: Tenant) -> None:
    events = listen(simulator)
    invoice = put_invoice(tenant.api, sales_invoice())
    invoice_events = [(e.category, e.event_type, e.resource_id) for e in events if e.category == "INVOICE"]
    assert invoice_events == [("INVOICE", "CREATE", invoice["InvoiceID"])]


def test_creating_a_bill_announces_invoice_create(simulator: Simulator, tenant: Tenant) -> None:
    events = listen(simulator)
    created = put_invoice(tenant.api, bill())
    assert [(e.event_type, e.resource_id) for e in events if e.category == "INVOICE"] == [
        ("CREATE", created["InvoiceID"])
    ]


def test_updating_an_invoice_announces_invoice_update(simulator: Simulator, tenant: Tenant) -> None:
    invoice = put_invoice(tenant.api, sales_invoice())
    events = listen(simulator)
    post_invoice(tenant.api, invoice["InvoiceID"], {"Status": "DELETED"})
    assert [(e.category, e.event_type, e.resource_id) for e in events] == [("INVOICE", "UPDATE", invoice["InvoiceID"])]


def test_an_invoice_event_carries_no_data(simulator: Simulator, tenant: Tenant) -> None:
    events = listen(simulator)
    put_invoice(tenant.api, sales_invoice())
    assert [e.data for e in events if e.category == "INVOICE"] == [None]


def test_a_refused_invoice_announces_nothing(simulator: Simulator, tenant: Tenant) -> None:
    events = listen(simulator)
    tenant.api.put("/Invoices", json={"Invoices": [sales_invoice(LineItems=[])]})
    assert events == []
