"""Sales invoices (ACCREC) and bills (ACCPAY) as /Invoices elements (issue 4, §2 and §3)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import MappingContext, NotMapped
from shared.domain.mapping.documents import document_element
from shared.domain.records import AmountsAre, Document, DocumentStatus, Entity
from shared.domain.sync_settings import EntitySettings, LockDatePolicy, ReferenceField, XeroDocumentStatus
from tests.unit.mapping.mapping_world import bill, context, invoice, line, reference, settings

LOCK = date(2026, 3, 31)


def sales(
    document: Document | None = None, ctx: MappingContext | None = None, xero_id: str | None = None
) -> dict[str, Any]:
    return document_element(Entity.INVOICE, document or invoice(), ctx or context(), xero_id)


def purchase(document: Document | None = None, ctx: MappingContext | None = None) -> dict[str, Any]:
    return document_element(Entity.BILL, document or bill(), ctx or context(), None)


def verdict(entity: Entity, document: Document, ctx: MappingContext) -> NotMapped:
    with pytest.raises(NotMapped) as refused:
        document_element(entity, document, ctx, None)
    return refused.value


def with_settings(**changes: Any) -> MappingContext:
    return context(settings_=settings(**changes))


def locked(policy: LockDatePolicy = LockDatePolicy.PARK) -> MappingContext:
    return context(settings_=settings(lock_dates=policy), reference_=reference(period_lock_date=LOCK))


def test_an_invoice_is_a_complete_accrec_element() -> None:
    # Given an approved invoice of a contact already in Xero
    # When it is mapped
    element = sales()
    # Then Xero gets every field it needs, dates as YYYY-MM-DD and figures as numbers
    assert element == {
        "Type": "ACCREC",
        "Contact": {"ContactID": "xero-contact-1"},
        "Date": "2026-03-02",
        "DueDate": "2026-03-30",
        "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Consulting", "Quantity": 2.0, "UnitAmount": 50.0, "AccountCode": "200"}],
        "CurrencyCode": "AUD",
        "Status": "AUTHORISED",
        "InvoiceNumber": "INV-1",
    }


def test_a_bill_is_an_accpay_element_with_the_suppliers_number() -> None:
    # Given a bill / When it is mapped / Then it is ACCPAY and carries the supplier's invoice number
    element = purchase()
    assert (element["Type"], element["InvoiceNumber"]) == ("ACCPAY", "SUP-7")


def test_the_same_record_always_gives_the_same_json() -> None:
    # Given one invoice mapped twice
    # When both payloads are serialised / Then they are byte for byte the same (the Idempotency-Key hangs on it)
    assert json.dumps(sales()) == json.dumps(sales())


def test_an_update_names_the_xero_invoice() -> None:
    # Given an invoice already in Xero / When it is mapped with its Xero id / Then the element names it
    assert sales(xero_id="xero-invoice-1")["InvoiceID"] == "xero-invoice-1"


def test_a_document_whose_contact_is_not_in_xero_yet_is_parked() -> None:
    # Given the contact has not reached Xero
    refused = verdict(Entity.INVOICE, invoice(contact_id="c-2"), context())
    # Then the invoice waits, naming the contact
    assert (refused.state, refused.reason) == (SyncState.PARKED, "Its contact c-2 is not in Xero yet.")


def test_a_document_without_a_due_date_is_due_on_its_date() -> None:
    # Given an invoice with no due date (Xero requires one on a posted invoice)
    # When it is mapped / Then it is due on its date
    assert sales(invoice(due_date=None))["DueDate"] == "2026-03-02"


@pytest.mark.parametrize(("amounts_are", "xero"), [(AmountsAre.INCLUSIVE, "Inclusive"), (AmountsAre.NO_TAX, "NoTax")])
def test_amounts_are_sent_as_xeros_line_amount_types(amounts_are: AmountsAre, xero: str) -> None:
    # Given an invoice whose amounts include tax, or carry none / When mapped / Then Xero's word is sent
    assert sales(invoice(amounts_are=amounts_are))["LineAmountTypes"] == xero


def test_the_documents_currency_is_sent_when_it_has_one() -> None:
    # Given an invoice in NZD / When mapped / Then NZD is sent, not the base currency
    assert sales(invoice(currency="NZD"))["CurrencyCode"] == "NZD"


def test_the_reference_joins_the_chosen_fields_in_order() -> None:
    # Given a tenant that builds the Reference from the location then the job number
    ctx = with_settings(reference_fields=[ReferenceField.LOCATION, ReferenceField.JOB_NUMBER])
    # When an invoice with both is mapped / Then they are joined with " / "
    assert sales(invoice(job_number="J-9", location="Site 4"), ctx)["Reference"] == "Site 4 / J-9"


def test_the_reference_leaves_out_empty_fields() -> None:
    # Given the job number and description chosen, and only a description on the invoice
    ctx = with_settings(reference_fields=[ReferenceField.JOB_NUMBER, ReferenceField.DESCRIPTION])
    # When mapped / Then only the description makes the Reference
    assert sales(invoice(description="Roof repair"), ctx)["Reference"] == "Roof repair"


def test_a_bill_has_no_reference() -> None:
    # Given a bill with a job number (Xero's Reference is for ACCREC only)
    # When it is mapped / Then no Reference is sent
    assert "Reference" not in purchase(bill(job_number="J-9"))


def test_an_approved_invoice_is_sent_in_the_tenants_chosen_status() -> None:
    # Given a tenant that creates invoices awaiting approval
    ctx = with_settings(invoice_status=XeroDocumentStatus.SUBMITTED)
    # When an approved invoice is mapped / Then it is SUBMITTED
    assert sales(ctx=ctx)["Status"] == "SUBMITTED"


def test_a_bill_is_sent_in_the_tenants_chosen_bill_status() -> None:
    # Given a tenant that creates bills as drafts / When a bill is mapped / Then it is a DRAFT
    assert purchase(ctx=with_settings(bill_status=XeroDocumentStatus.DRAFT))["Status"] == "DRAFT"


def test_a_platform_draft_is_sent_as_a_draft() -> None:
    # Given a draft on the platform, and a tenant creating invoices AUTHORISED
    # When it is mapped / Then it is a DRAFT in Xero too
    assert sales(invoice(status=DocumentStatus.DRAFT))["Status"] == "DRAFT"


def test_a_draft_is_skipped_when_only_approved_documents_go_to_xero() -> None:
    # Given a tenant that sends only approved invoices
    ctx = with_settings(entities={Entity.INVOICE: EntitySettings(only_approved=True)})
    # When a draft is mapped / Then it is skipped with the reason
    refused = verdict(Entity.INVOICE, invoice(status=DocumentStatus.DRAFT), ctx)
    assert (refused.state, refused.reason) == (
        SyncState.SKIPPED,
        "The invoice INV-1 is a draft, and only approved invoices go to Xero.",
    )


def test_a_zero_total_bill_is_sent_authorised_so_that_xero_marks_it_paid() -> None:
    # Given a tenant creating bills as drafts, and a bill of zero
    ctx = with_settings(bill_status=XeroDocumentStatus.DRAFT)
    zero = bill(lines=[line(unit_amount=Decimal(0))])
    # When it is mapped / Then it is AUTHORISED
    assert purchase(zero, ctx)["Status"] == "AUTHORISED"


def test_a_bill_whose_lines_cancel_out_counts_as_zero() -> None:
    # Given a bill of +100 and -100 (both taxed at 10 % through the expense account's default)
    ctx = with_settings(bill_status=XeroDocumentStatus.DRAFT)
    cancelled = bill(lines=[line(), line(unit_amount=Decimal("-50.00"))])
    # When it is mapped / Then its total is zero and it is AUTHORISED
    assert purchase(cancelled, ctx)["Status"] == "AUTHORISED"


def test_a_bill_whose_tax_alone_is_due_is_not_zero() -> None:
    # Given lines of +100 untaxed and -100 taxed at 10 % (total -10 with tax exclusive)
    ctx = with_settings(bill_status=XeroDocumentStatus.DRAFT, tax_rates={"NONE": "INPUTTAXED", "GST-IN": "INPUT"})
    uneven = bill(lines=[line(tax_code="NONE"), line(unit_amount=Decimal("-50.00"), tax_code="GST-IN")])
    # When it is mapped / Then it is sent in the chosen status
    assert purchase(uneven, ctx)["Status"] == "DRAFT"


def test_a_zero_total_invoice_keeps_the_chosen_status() -> None:
    # Given a tenant creating invoices as drafts, and an invoice of zero
    ctx = with_settings(invoice_status=XeroDocumentStatus.DRAFT)
    # When it is mapped / Then it stays a draft (only bills are marked paid)
    assert sales(invoice(lines=[line(unit_amount=Decimal(0))]), ctx)["Status"] == "DRAFT"


def test_a_document_dated_on_or_before_the_lock_date_is_parked_with_the_date() -> None:
    # Given an invoice dated before the lock date, under the PARK policy
    refused = verdict(Entity.INVOICE, invoice(date=date(2026, 3, 15)), locked())
    # Then it waits, and the reason names both dates
    assert refused.state is SyncState.PARKED
    assert "dated 2026-03-15, on or before the organisation's lock date 2026-03-31" in refused.reason


def test_a_locked_document_is_moved_to_the_open_period_when_the_tenant_chose_so() -> None:
    # Given an invoice dated and due before the lock date, and the MOVE policy
    element = sales(
        invoice(date=date(2026, 3, 15), due_date=date(2026, 3, 20)), locked(LockDatePolicy.MOVE_TO_OPEN_PERIOD)
    )
    # Then it is dated, and due, the first open day
    assert (element["Date"], element["DueDate"]) == ("2026-04-01", "2026-04-01")


def test_a_moved_document_keeps_a_later_due_date() -> None:
    # Given an invoice dated before the lock date but due after it
    element = sales(
        invoice(date=date(2026, 3, 15), due_date=date(2026, 4, 14)), locked(LockDatePolicy.MOVE_TO_OPEN_PERIOD)
    )
    # Then it keeps its due date
    assert (element["Date"], element["DueDate"]) == ("2026-04-01", "2026-04-14")


def test_a_draft_is_not_held_by_the_lock_date() -> None:
    # Given a tenant creating drafts, and an invoice dated in the locked period (a draft posts nothing)
    ctx = context(
        settings_=settings(invoice_status=XeroDocumentStatus.DRAFT), reference_=reference(period_lock_date=LOCK)
    )
    # When it is mapped / Then it is sent with its own date
    assert sales(invoice(date=date(2026, 3, 15)), ctx)["Date"] == "2026-03-15"


def test_only_invoices_and_bills_are_documents() -> None:
    # When a credit note is mapped as a document / Then it is refused as a programming error
    with pytest.raises(ValueError, match="not an invoice or a bill"):
        document_element(Entity.CREDIT_NOTE, invoice(), context(), None)
