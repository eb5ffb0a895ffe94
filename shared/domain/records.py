"""The records the platform owns, in xero-sync's own canonical shape (issue 4, §1).

The platform writes these through the records API; the sync worker maps them to Xero's payloads
(shared/domain/mapping/) with the tenant's settings. They name each other by platform id (an
invoice's `contact_id`, a payment's `invoice_id`), never by Xero id: the ledger holds that map.
Money is Decimal, never float; dates are calendar dates (Xero's documents carry no time).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Text = Annotated[str, Field(min_length=1, max_length=255)]
Code = Annotated[str, Field(min_length=1, max_length=50)]
Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=4)]
PositiveAmount = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class Entity(StrEnum):
    CONTACT = "contact"
    ITEM = "item"
    INVOICE = "invoice"  # a sales invoice (Xero ACCREC)
    BILL = "bill"  # a supplier's bill (Xero ACCPAY)
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"  # a receipt against an invoice, or a payment of a bill


# Dependencies first: a document needs its contact (and items), a payment or allocation its document.
SEND_ORDER: tuple[Entity, ...] = (
    Entity.CONTACT,
    Entity.ITEM,
    Entity.INVOICE,
    Entity.BILL,
    Entity.CREDIT_NOTE,
    Entity.PAYMENT,
)


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Address(_Record):
    line1: str | None = Field(default=None, max_length=500)
    line2: str | None = Field(default=None, max_length=500)
    city: str | None = Field(default=None, max_length=255)
    region: str | None = Field(default=None, max_length=255)
    postal_code: str | None = Field(default=None, max_length=50)
    country: str | None = Field(default=None, max_length=50)


class Contact(_Record):
    """A customer, a supplier, or both. Xero requires names to be unique within an organisation."""

    name: Text
    contact_number: Code | None = None
    email: str | None = Field(default=None, max_length=255)
    first_name: str | None = Field(default=None, max_length=255)
    last_name: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=50)
    tax_number: str | None = Field(default=None, max_length=50)
    is_customer: bool = True
    is_supplier: bool = False
    address: Address | None = None


class Item(_Record):
    """A product or service the platform sells or buys, by its code."""

    code: Annotated[str, Field(min_length=1, max_length=30)]
    name: Annotated[str, Field(min_length=1, max_length=50)]
    description: str | None = Field(default=None, max_length=4000)
    sale_price: Amount | None = None
    purchase_price: Amount | None = None


class AmountsAre(StrEnum):
    EXCLUSIVE = "exclusive"  # amounts before tax
    INCLUSIVE = "inclusive"  # amounts include tax
    NO_TAX = "no_tax"


class DocumentStatus(StrEnum):
    """The platform's own state of a document; the Xero status it is created in is a setting."""

    DRAFT = "draft"
    APPROVED = "approved"


class LineItem(_Record):
    description: Annotated[str, Field(min_length=1, max_length=4000)]
    quantity: Amount = Decimal(1)
    unit_amount: Amount
    item_code: str | None = Field(default=None, max_length=30)  # the account comes from settings.item_accounts
    account_code: str | None = Field(default=None, max_length=10)  # overrides every default
    tax_code: str | None = Field(default=None, max_length=50)  # the platform's code, mapped by settings.tax_rates
    discount_rate: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    tracking: dict[str, str] = Field(default_factory=dict)  # platform category -> platform option


class Document(_Record):
    """What sales invoices and bills share."""

    contact_id: Text
    number: str | None = Field(default=None, max_length=255)
    date: dt.date
    due_date: dt.date | None = None
    currency: Currency | None = None
    amounts_are: AmountsAre = AmountsAre.EXCLUSIVE
    status: DocumentStatus = DocumentStatus.APPROVED
    lines: list[LineItem] = Field(min_length=1, max_length=500)
    # The fields a tenant may build Xero's Reference from (settings.reference_fields).
    job_number: str | None = Field(default=None, max_length=100)
    description: str | None = Field(default=None, max_length=255)
    customer_reference: str | None = Field(default=None, max_length=100)
    location: str | None = Field(default=None, max_length=100)


class Invoice(Document):
    """A sales invoice to a customer."""


class Bill(Document):
    """A bill from a supplier; `number` is the supplier's invoice number."""


class Allocation(_Record):
    """Part of a credit note applied to an invoice (or bill) of the same contact."""

    invoice_id: Text
    amount: PositiveAmount
    date: dt.date | None = None  # the credit note's date when absent


class CreditNote(_Record):
    contact_id: Text
    kind: Literal["sales", "purchases"] = "sales"  # Xero ACCRECCREDIT or ACCPAYCREDIT
    number: str | None = Field(default=None, max_length=255)
    date: dt.date
    currency: Currency | None = None
    amounts_are: AmountsAre = AmountsAre.EXCLUSIVE
    lines: list[LineItem] = Field(min_length=1, max_length=500)
    allocations: list[Allocation] = Field(default_factory=list, max_length=50)


class Payment(_Record):
    """Money received against an invoice (a receipt) or paid against a bill.

    One without `invoice_id` is not applied to a document and is not sent (Xero's payments need
    one). A `discount` (early payment) becomes a credit note allocated to the invoice; a `fee`
    the platform kept becomes a bill from the fee supplier, paid from the same bank account.
    """

    invoice_id: str | None = Field(default=None, max_length=255)
    document: Literal["invoice", "bill"] = "invoice"
    date: dt.date
    amount: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
    bank_account: Text  # the platform's bank account or card id, mapped by settings.bank_accounts
    reference: str | None = Field(default=None, max_length=255)
    discount: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] = Decimal(0)
    fee: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] = Decimal(0)


RecordBody = Contact | Item | Invoice | Bill | CreditNote | Payment

MODEL_OF: dict[Entity, type[RecordBody]] = {
    Entity.CONTACT: Contact,
    Entity.ITEM: Item,
    Entity.INVOICE: Invoice,
    Entity.BILL: Bill,
    Entity.CREDIT_NOTE: CreditNote,
    Entity.PAYMENT: Payment,
}


def parse_body(entity: Entity, body: object) -> RecordBody:
    """The record `body` as its entity's model; pydantic's ValidationError names every bad field."""
    return MODEL_OF[entity].model_validate(body)
