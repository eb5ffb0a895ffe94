"""The mapping's payloads are accepted by Xero's rules, as the simulator enforces them.

Each kind of element is sent to a connected AU organisation with summarizeErrors=false (FACTS.md
§4.4), so each element answers for itself; the reference data the mapping uses is the
organisation's own, read through GET /Organisation, /Accounts, /TaxRates and /TrackingCategories
and parsed by shared/domain/mapping/reference.py. The simulator also checks every request body
against Xero's OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shared.domain.ledger import SyncState
from shared.domain.mapping.contacts import contact_element
from shared.domain.mapping.context import MappingContext, NotMapped
from shared.domain.mapping.credit_notes import allocation_elements, credit_note_element
from shared.domain.mapping.discounts import discount_allocation_element, discount_credit_note_element
from shared.domain.mapping.documents import document_element
from shared.domain.mapping.fees import fee_bill_element, fee_payment_element, fee_supplier_element
from shared.domain.mapping.items import item_element
from shared.domain.mapping.matching import match_contact
from shared.domain.mapping.payments import payment_element
from shared.domain.mapping.reference import reference_data
from shared.domain.mapping.settings_check import check_settings
from shared.domain.mapping.statuses import status_element
from shared.domain.mapping.xero_values import UNIT_DP_PARAMS
from shared.domain.records import (
    Allocation,
    AmountsAre,
    Bill,
    Contact,
    CreditNote,
    Document,
    DocumentStatus,
    Entity,
    Invoice,
    Item,
    LineItem,
    Payment,
)
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_settings import (
    LockDatePolicy,
    ReferenceField,
    TenantSyncSettings,
    TrackingMapping,
    XeroDocumentStatus,
)
from tests.simulator.conftest import Tenant, connect_tenant
from tests.simulator.reference_data import new_tracking_category
from xero_simulator.server import Simulator

# The AU chart's codes (xero_simulator/charts/au.py): Sales, Other Revenue, Advertising, Bank Fees, the bank.
SETTINGS = TenantSyncSettings(
    enabled=True,
    sales_account="200",
    expense_account="400",
    fee_account="404",
    item_accounts={"CONSULT": "260"},
    tax_rates={"GST": "OUTPUT", "GST-IN": "INPUT"},
    tracking=[TrackingMapping(platform_category="area", xero_category="Region", options={"north": "North"})],
    bank_accounts={"main": "090"},
    reference_fields=[ReferenceField.JOB_NUMBER, ReferenceField.LOCATION],
    fee_supplier="Platform fees",
)
DAY = date(2026, 3, 2)
DUE = date(2026, 3, 30)
CUSTOMER = Contact(name="Acme Pty Ltd", contact_number="C-42", email="ap@acme.test")
# 1 x 100.00 + 10 % GST = 110.00.
SIMPLE = Invoice(
    contact_id="c-1",
    date=DAY,
    due_date=DUE,
    lines=[LineItem(description="Consulting", unit_amount=Decimal("100.00"), tax_code="GST")],
)


class Books:
    """The connected organisation through its API, and the ledger of what the mapping sent to it."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.xero_ids: dict[tuple[Entity, str], str] = {}
        self.documents: dict[tuple[Entity, str], Document] = {}

    def reference(self) -> ReferenceData:
        api = self.tenant.api
        return reference_data(
            api.get("/Organisation").json()["Organisations"][0],
            api.get("/Accounts").json()["Accounts"],
            api.get("/TaxRates").json()["TaxRates"],
            api.get("/TrackingCategories").json()["TrackingCategories"],
            self.tenant.sim.world.clock.now(),
        )

    def context(
        self, settings: TenantSyncSettings = SETTINGS, reference: ReferenceData | None = None
    ) -> MappingContext:
        return MappingContext(
            settings=settings,
            reference=reference or self.reference(),
            xero_id_of=lambda entity, platform_id: self.xero_ids.get((entity, platform_id)),
            document_of=lambda entity, platform_id: self.documents.get((entity, platform_id)),
        )

    def send(self, method: str, path: str, collection: str, element: dict[str, Any]) -> dict[str, Any]:
        """Xero's answer to one element, sent as the sync worker sends batches."""
        params = {"summarizeErrors": "false", **UNIT_DP_PARAMS}
        answer = self.tenant.api.request(method, path, params=params, json={collection: [element]})
        assert answer.status_code == 200, answer.text
        [answered] = answer.json()[collection]
        return dict(answered)

    def accepted(self, method: str, path: str, collection: str, element: dict[str, Any]) -> dict[str, Any]:
        answered = self.send(method, path, collection, element)
        assert answered["StatusAttributeString"] == "OK", answered.get("ValidationErrors")
        return answered

    def contact(self, platform_id: str = "c-1", contact: Contact = CUSTOMER) -> str:
        made = self.accepted("PUT", "/Contacts", "Contacts", contact_element(contact, None))
        self.xero_ids[(Entity.CONTACT, platform_id)] = made["ContactID"]
        return str(made["ContactID"])

    def document(self, entity: Entity, platform_id: str, document: Document) -> dict[str, Any]:
        made = self.accepted("PUT", "/Invoices", "Invoices", document_element(entity, document, self.context(), None))
        self.xero_ids[(entity, platform_id)] = made["InvoiceID"]
        self.documents[(entity, platform_id)] = document
        return made

    def invoice(self, invoice_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.tenant.api.get(f"/Invoices/{invoice_id}").json()["Invoices"][0]
        return found


@pytest.fixture
def books(simulator: Simulator) -> Iterator[Books]:
    """An AU organisation connected with broad scopes (the simulator suite's Given), with a Region category."""
    tenant = connect_tenant(simulator)
    new_tracking_category(tenant.api, "Region", ("North", "South"))
    yield Books(tenant)
    tenant.api.close()


def test_the_settings_check_clean_against_the_organisations_own_reference_data(books: Books) -> None:
    # Given the AU organisation's reference data read from its API
    # When the tenant's settings are checked against it / Then nothing is wrong
    assert check_settings(SETTINGS, books.reference()) == []


def test_a_contact_is_created(books: Books) -> None:
    # When a contact with an address and phone is sent
    full = CUSTOMER.model_copy(update={"phone": "+61 2 5550 1234"})
    made = books.accepted("PUT", "/Contacts", "Contacts", contact_element(full, None))
    # Then Xero holds it with our contact number
    assert (made["Name"], made["ContactNumber"]) == ("Acme Pty Ltd", "C-42")


def test_a_contact_archived_in_xero_is_matched_by_its_number_and_restored_by_its_update(books: Books) -> None:
    # Given our contact, archived in Xero
    contact_id = books.contact()
    books.accepted(
        "POST", f"/Contacts/{contact_id}", "Contacts", status_element(Entity.CONTACT, contact_id, "ARCHIVED")
    )
    # When Xero's contacts (archived included) are matched, and the match is updated
    candidates = books.tenant.api.get("/Contacts", params={"includeArchived": "true"}).json()["Contacts"]
    matched = match_contact(CUSTOMER, candidates)
    assert matched == contact_id
    updated = books.accepted("POST", "/Contacts", "Contacts", contact_element(CUSTOMER, matched))
    # Then it is active again
    assert updated["ContactStatus"] == "ACTIVE"


def test_an_item_is_created_with_four_place_prices(books: Books) -> None:
    # When an item with a sale price of four places is sent (with unitdp=4)
    item = Item(code="CONSULT", name="Consulting", sale_price=Decimal("150.1234"), purchase_price=Decimal("95.00"))
    made = books.accepted("PUT", "/Items", "Items", item_element(item, books.context(), None))
    # Then Xero keeps the price and the mapped account
    assert made["SalesDetails"] == {"UnitPrice": 150.1234, "AccountCode": "260"}


def test_an_invoice_with_tax_tracking_discount_and_reference_is_accepted(books: Books) -> None:
    # Given the customer is in Xero, and an invoice of 2 x 50.00 tracked North, and 150.00 less 10 % on an item
    books.contact()
    invoice = Invoice(
        contact_id="c-1",
        number="INV-7001",
        date=DAY,
        due_date=DUE,
        job_number="J-9",
        location="Site 4",
        lines=[
            LineItem(
                description="Call-out",
                quantity=Decimal(2),
                unit_amount=Decimal("50.00"),
                tax_code="GST",
                tracking={"area": "north"},
            ),
            LineItem(
                description="Consulting",
                unit_amount=Decimal("150.00"),
                item_code="CONSULT",
                tax_code="GST",
                discount_rate=Decimal(10),
            ),
        ],
    )
    # When it is sent
    made = books.document(Entity.INVOICE, "i-1", invoice)
    # Then Xero figures the same totals: (100.00 + 135.00) + 10 % GST
    assert (made["Status"], made["Total"], made["Reference"]) == ("AUTHORISED", 258.5, "J-9 / Site 4")


def test_a_bill_is_accepted(books: Books) -> None:
    # Given the supplier is in Xero
    books.contact()
    bill = Bill(
        contact_id="c-1",
        number="SUP-77",
        date=DAY,
        due_date=DUE,
        lines=[LineItem(description="Advertising", unit_amount=Decimal("200.00"), tax_code="GST-IN")],
    )
    # When the bill is sent / Then Xero holds it with GST on expenses
    made = books.document(Entity.BILL, "b-1", bill)
    assert (made["Type"], made["Total"]) == ("ACCPAY", 220.0)


def test_a_zero_total_bill_is_accepted_with_nothing_to_pay(books: Books) -> None:
    # Given a tenant creating bills as drafts, and a bill of zero
    books.contact()
    zero = Bill(contact_id="c-1", date=DAY, lines=[LineItem(description="Free sample", unit_amount=Decimal(0))])
    element = document_element(
        Entity.BILL, zero, books.context(SETTINGS.model_copy(update={"bill_status": XeroDocumentStatus.DRAFT})), None
    )
    # When it is sent
    made = books.accepted("PUT", "/Invoices", "Invoices", element)
    # Then it is posted (not left a draft) with nothing due
    assert made["Status"] in {"AUTHORISED", "PAID"}
    assert made["AmountDue"] == 0


def test_a_credit_note_and_its_allocation_are_accepted(books: Books) -> None:
    # Given an invoice of 110.00 in Xero, and a credit note of 10.00 allocated to it
    books.contact()
    invoice_id = books.document(Entity.INVOICE, "i-1", SIMPLE)["InvoiceID"]
    credit = CreditNote(
        contact_id="c-1",
        date=DAY,
        amounts_are=AmountsAre.INCLUSIVE,
        lines=[LineItem(description="Goodwill", unit_amount=Decimal("10.00"), tax_code="GST")],
        allocations=[Allocation(invoice_id="i-1", amount=Decimal("10.00"))],
    )
    ctx = books.context()
    # When the credit note, then its allocations, are sent
    made = books.accepted("PUT", "/CreditNotes", "CreditNotes", credit_note_element(credit, ctx, None))
    for allocation in allocation_elements(credit, ctx):
        books.accepted("PUT", f"/CreditNotes/{made['CreditNoteID']}/Allocations", "Allocations", allocation)
    # Then the invoice owes 10.00 less
    assert books.invoice(invoice_id)["AmountDue"] == 100.0


def test_a_receipt_is_accepted_against_its_invoice(books: Books) -> None:
    # Given an invoice of 110.00 in Xero
    books.contact()
    invoice_id = books.document(Entity.INVOICE, "i-1", SIMPLE)["InvoiceID"]
    receipt = Payment(invoice_id="i-1", date=DUE, amount=Decimal("60.00"), bank_account="main", reference="pi_1")
    # When a receipt of 60.00 is sent
    books.accepted("PUT", "/Payments", "Payments", payment_element(receipt, books.context()))
    # Then the invoice owes the rest
    assert books.invoice(invoice_id)["AmountDue"] == 50.0


def test_a_receipt_and_its_discount_pay_the_invoice_in_full(books: Books) -> None:
    # Given an invoice of 110.00 in Xero, paid 104.50 with an early-payment discount of 5.50
    books.contact()
    invoice_id = books.document(Entity.INVOICE, "i-1", SIMPLE)["InvoiceID"]
    receipt = Payment(
        invoice_id="i-1", date=DUE, amount=Decimal("104.50"), discount=Decimal("5.50"), bank_account="main"
    )
    ctx = books.context()
    # When the payment, the discount's credit note and its allocation are sent
    books.accepted("PUT", "/Payments", "Payments", payment_element(receipt, ctx))
    credit = discount_credit_note_element(receipt, ctx)
    assert credit is not None
    made = books.accepted("PUT", "/CreditNotes", "CreditNotes", credit)
    allocation = discount_allocation_element(receipt, ctx, invoice_id)
    books.accepted("PUT", f"/CreditNotes/{made['CreditNoteID']}/Allocations", "Allocations", allocation)
    # Then the invoice is paid
    assert books.invoice(invoice_id)["Status"] == "PAID"


def test_a_payments_fee_becomes_a_paid_bill_from_the_fee_supplier(books: Books) -> None:
    # Given a receipt against an invoice in Xero on which the platform kept 3.00
    books.contact()
    books.document(Entity.INVOICE, "i-1", SIMPLE)
    receipt = Payment(invoice_id="i-1", date=DUE, amount=Decimal("110.00"), fee=Decimal("3.00"), bank_account="main")
    ctx = books.context()
    # When the fee supplier, the fee bill and its payment are sent
    supplier = books.accepted("PUT", "/Contacts", "Contacts", fee_supplier_element(SETTINGS))
    fee_bill = fee_bill_element(receipt, ctx, supplier["ContactID"])
    assert fee_bill is not None
    bill_id = books.accepted("PUT", "/Invoices", "Invoices", fee_bill)["InvoiceID"]
    books.accepted("PUT", "/Payments", "Payments", fee_payment_element(receipt, ctx, bill_id))
    # Then the fee bill is paid from the bank account
    assert (books.invoice(bill_id)["Status"], books.invoice(bill_id)["Total"]) == ("PAID", 3.0)


def test_an_authorised_invoice_is_voided_by_status(books: Books) -> None:
    # Given an authorised invoice in Xero
    books.contact()
    invoice_id = books.document(Entity.INVOICE, "i-1", SIMPLE)["InvoiceID"]
    # When it is voided / Then Xero holds it VOIDED
    element = status_element(Entity.INVOICE, invoice_id, "VOIDED")
    assert books.accepted("POST", f"/Invoices/{invoice_id}", "Invoices", element)["Status"] == "VOIDED"


def test_a_draft_invoice_is_deleted_by_status(books: Books) -> None:
    # Given a draft invoice in Xero
    books.contact()
    invoice_id = books.document(Entity.INVOICE, "i-1", SIMPLE.model_copy(update={"status": DocumentStatus.DRAFT}))[
        "InvoiceID"
    ]
    # When it is deleted / Then Xero holds it DELETED
    element = status_element(Entity.INVOICE, invoice_id, "DELETED")
    assert books.accepted("POST", f"/Invoices/{invoice_id}", "Invoices", element)["Status"] == "DELETED"


def test_a_payment_is_deleted_by_status(books: Books) -> None:
    # Given a receipt in Xero
    books.contact()
    books.document(Entity.INVOICE, "i-1", SIMPLE)
    receipt = Payment(invoice_id="i-1", date=DUE, amount=Decimal("60.00"), bank_account="main")
    payment_id = books.accepted("PUT", "/Payments", "Payments", payment_element(receipt, books.context()))["PaymentID"]
    # When it is deleted / Then Xero holds it DELETED
    element = status_element(Entity.PAYMENT, payment_id, "DELETED")
    assert books.accepted("POST", f"/Payments/{payment_id}", "Payments", element)["Status"] == "DELETED"


def test_a_document_in_the_locked_period_is_refused_by_xero_which_is_why_it_is_parked(books: Books) -> None:
    # Given the organisation's books locked to 31 March, and an invoice of 15 March
    books.contact()
    stale = books.reference()  # read before the lock was set, as stale reference data would be
    books.tenant.org.period_lock_date = date(2026, 3, 31)
    locked = SIMPLE.model_copy(update={"date": date(2026, 3, 15)})
    # When it is sent unmoved, Xero refuses it
    refused = books.send(
        "PUT", "/Invoices", "Invoices", document_element(Entity.INVOICE, locked, books.context(reference=stale), None)
    )
    assert refused["ValidationErrors"] == [
        {"Message": "The document date cannot be before the period lock date, currently set at 31-Mar-2026"}
    ]
    # And with the organisation's current reference data the mapping parks it instead
    with pytest.raises(NotMapped) as parked:
        document_element(Entity.INVOICE, locked, books.context(), None)
    assert parked.value.state is SyncState.PARKED


def test_a_document_moved_to_the_open_period_is_accepted(books: Books) -> None:
    # Given the books locked to 31 March, a tenant moving such documents, and an invoice of 15 March
    books.contact()
    books.tenant.org.period_lock_date = date(2026, 3, 31)
    moving = SETTINGS.model_copy(update={"lock_dates": LockDatePolicy.MOVE_TO_OPEN_PERIOD})
    locked = SIMPLE.model_copy(update={"date": date(2026, 3, 15)})
    # When it is sent
    element = document_element(Entity.INVOICE, locked, books.context(moving), None)
    made = books.accepted("PUT", "/Invoices", "Invoices", element)
    # Then Xero holds it on the first open day
    assert made["DateString"] == "2026-04-01T00:00:00"
