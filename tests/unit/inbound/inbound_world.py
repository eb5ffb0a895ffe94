"""The world of the inbound tests: the mapping tests' tenant, and Xero's answers built by hand.

`answered_*` turn an element xero-sync sends (shared/domain/mapping) into the record Xero answers
for it, as the simulator stores and renders one (xero_simulator/accounting): ids given, dates as
MS-JSON with their ISO companions, figures as JSON numbers, a line's TaxType defaulting to its
account's, tracking resolved to ids, a contact's four phone and two address slots, and
UpdatedDateUTC. A round trip is then: map out, answer, read back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from shared.domain.inbound.from_xero import FetchedRecord, InboundContext, read_record
from shared.domain.ledger import StoredRecord, SyncState
from shared.domain.records import Entity
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_settings import TenantSyncSettings
from tests.unit.mapping.mapping_world import FETCHED_AT, reference, settings

WRITTEN_AT = datetime(2026, 3, 2, 10, 0, 0, 123000, tzinfo=UTC)  # when Xero took xero-sync's write

# What the ledger knows, read backwards: the platform id of each Xero id.
PLATFORM_IDS = {
    (Entity.CONTACT, "xero-contact-1"): "c-1",
    (Entity.INVOICE, "xero-invoice-1"): "i-1",
    (Entity.BILL, "xero-bill-1"): "b-1",
}


def inbound_context(
    *,
    settings_: TenantSyncSettings | None = None,
    reference_: ReferenceData | None = None,
    platform_ids: dict[tuple[Entity, str], str] | None = None,
) -> InboundContext:
    ids = PLATFORM_IDS if platform_ids is None else platform_ids
    return InboundContext(
        settings=settings_ or settings(),
        reference=reference_ or reference(),
        platform_id_of=lambda entity, xero_id: ids.get((entity, xero_id)),
    )


def ms(value: date | datetime) -> str:
    """Xero's MS-JSON form of a date (midnight UTC) or an instant."""
    instant = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day, tzinfo=UTC)
    return f"/Date({int(instant.timestamp() * 1000)}+0000)/"


def _day(text: str) -> date:
    return date.fromisoformat(text)


def answered_contact(element: dict[str, Any], xero_id: str = "xero-contact-1", **changes: Any) -> dict[str, Any]:
    phones = [{"PhoneType": kind} for kind in ("DEFAULT", "DDI", "FAX", "MOBILE")]
    for phone in element.get("Phones", []):
        phones[0] = {**phone}
    addresses = [{"AddressType": "POBOX"}, {"AddressType": "STREET"}]
    for address in element.get("Addresses", []):
        addresses[0] = {**address}
    answer = {
        "ContactID": xero_id,
        "ContactStatus": "ACTIVE",
        **{k: v for k, v in element.items() if k not in ("ContactID", "ContactStatus", "Phones", "Addresses")},
        "Phones": phones,
        "Addresses": addresses,
        "ContactPersons": [],
        "HasAttachments": False,
        "IsCustomer": False,
        "IsSupplier": False,
        "UpdatedDateUTC": ms(WRITTEN_AT),
    }
    return {**answer, **changes}


def answered_item(element: dict[str, Any], xero_id: str = "xero-item-1", **changes: Any) -> dict[str, Any]:
    answer = {"ItemID": xero_id, "IsSold": True, "IsPurchased": True, **element, "UpdatedDateUTC": ms(WRITTEN_AT)}
    return {**answer, **changes}


def _line(line: dict[str, Any], number: int, ref: ReferenceData, amounts_are: str) -> dict[str, Any]:
    account = ref.account(line["AccountCode"])
    tax_type = line.get("TaxType") or (account.tax_type if account else None)
    rate = ref.tax_rate(tax_type) if tax_type else None
    gross = Decimal(str(line["Quantity"])) * Decimal(str(line["UnitAmount"]))
    if "DiscountRate" in line:
        gross = gross * (100 - Decimal(str(line["DiscountRate"]))) / 100
    amount = gross.quantize(Decimal("0.01"), ROUND_HALF_UP)
    percent = rate.effective_rate if rate is not None and amounts_are != "NoTax" else Decimal(0)
    tax = (amount * percent / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    answered: dict[str, Any] = {
        "LineItemID": f"line-{number}",
        **line,
        "AccountID": account.account_id if account else None,
        "TaxType": tax_type,
        "TaxAmount": float(tax),
        "LineAmount": float(amount),
        "Tracking": [
            {"TrackingCategoryID": f"cat-{t['Name']}", "TrackingOptionID": f"opt-{t['Option']}", **t}
            for t in line.get("Tracking", [])
        ],
    }
    return answered


def _document(element: dict[str, Any], contact_name: str, ref: ReferenceData) -> dict[str, Any]:
    answer = {k: v for k, v in element.items() if k not in ("Contact", "Date", "DueDate", "LineItems")}
    on = _day(element["Date"])
    answer.update(
        {
            "Contact": {"ContactID": element["Contact"]["ContactID"], "Name": contact_name},
            "Date": ms(on),
            "DateString": f"{on.isoformat()}T00:00:00",
            "LineItems": [
                _line(line, number, ref, element["LineAmountTypes"])
                for number, line in enumerate(element["LineItems"], start=1)
            ],
            "HasAttachments": False,
            "UpdatedDateUTC": ms(WRITTEN_AT),
            "UpdatedDateUTCString": WRITTEN_AT.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )
    if "DueDate" in element:
        due = _day(element["DueDate"])
        answer.update({"DueDate": ms(due), "DueDateString": f"{due.isoformat()}T00:00:00"})
    return answer


def answered_invoice(
    element: dict[str, Any],
    xero_id: str = "xero-invoice-1",
    contact_name: str = "Acme Pty Ltd",
    ref: ReferenceData | None = None,
    **changes: Any,
) -> dict[str, Any]:
    answer = _document(element, contact_name, ref or reference())
    answer.update({"InvoiceID": xero_id, "Payments": [], "CreditNotes": [], "AmountPaid": 0.0})
    if element["Type"] == "ACCREC" and not element.get("InvoiceNumber"):
        answer["InvoiceNumber"] = "INV-0001"  # Xero numbers sales invoices sent without one
    return {**answer, **changes}


def answered_credit_note(
    element: dict[str, Any],
    allocations: list[dict[str, Any]] | None = None,
    xero_id: str = "xero-credit-1",
    **changes: Any,
) -> dict[str, Any]:
    answer = _document(element, "Acme Pty Ltd", reference())
    answer.update(
        {
            "CreditNoteID": xero_id,
            "Allocations": [
                {
                    "AllocationID": f"alloc-{number}",
                    "Invoice": {"InvoiceID": a["Invoice"]["InvoiceID"]},
                    "Amount": a["Amount"],
                    "Date": ms(_day(a["Date"])),
                }
                for number, a in enumerate(allocations or [], start=1)
            ],
        }
    )
    return {**answer, **changes}


def answered_payment(
    element: dict[str, Any], xero_id: str = "xero-payment-1", paid_type: str = "ACCREC", **changes: Any
) -> dict[str, Any]:
    on = _day(element["Date"])
    answer = {
        "PaymentID": xero_id,
        "Date": ms(on),
        "Amount": element["Amount"],
        "BankAmount": element["Amount"],
        "Reference": element.get("Reference", ""),
        "Status": "AUTHORISED",
        "PaymentType": "ACCRECPAYMENT" if paid_type == "ACCREC" else "ACCPAYPAYMENT",
        "IsReconciled": False,
        "Account": {"AccountID": f"acc-{element['Account']['Code']}", "Code": element["Account"]["Code"]},
        "Invoice": {"Type": paid_type, "InvoiceID": element["Invoice"]["InvoiceID"], "InvoiceNumber": "INV-1"},
        "UpdatedDateUTC": ms(WRITTEN_AT),
    }
    return {**answer, **changes}


def fetched(collection: str, element: dict[str, Any], base: dict[str, Any] | None = None) -> FetchedRecord:
    return read_record(collection, element, inbound_context(), base)


def stored_record(entity: Entity, body: dict[str, Any], **changes: Any) -> StoredRecord:
    """A record as the ledger holds it: by default version 1, synced, in Xero as xero-1."""
    fields: dict[str, Any] = {
        "tenant_id": "t-1",
        "entity": entity,
        "platform_id": "p-1",
        "version": 1,
        "body": body,
        "updated_at": FETCHED_AT,
        "state": SyncState.SYNCED,
        "state_at": FETCHED_AT,
        "synced_version": 1,
        "xero_id": "xero-1",
        "xero_status": "AUTHORISED",
        "last_synced_at": WRITTEN_AT,
    }
    return StoredRecord(**{**fields, **changes})
