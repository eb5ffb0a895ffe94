"""Xero's records, as the Accounting API answers them in JSON, as the platform's canonical bodies.

The inverse of shared/domain/mapping: contacts, items, sales invoices (ACCREC), bills (ACCPAY),
credit notes and payments become the dicts records.py validates, through the tenant's settings
read backwards (Xero TaxType -> platform tax code, bank account code -> platform bank account,
tracking category and option names -> platform category and option) and a lookup of the platform
ids of Xero ids (a document's contact, a payment's invoice). Money is Decimal (a JSON number is
read through its text, so 12.5 is 12.5); dates come as MS-JSON or ISO text (FACTS.md §4.6).

One rule makes the round trip exact: with the platform's stored body as `base`, a field whose
stored value maps out (shared/domain/mapping) to what Xero holds keeps the stored value. So what
the platform wrote and Xero echoes back reads as the very same body, and only what someone changed
in Xero differs. Without a base (a record new to the platform), Xero's value is taken as it is:
- a line's account is kept unless it is the one the line would get anyway (its item's mapped
  account, else the default sales or expense account); an item is named only by Xero's own ItemCode
  (an account says where revenue goes, not what was sold: guessing a product would invent data);
- a TaxType becomes the first platform code mapped to it, else none when it is the account's own
  default (what a line without a tax code gets), else the line cannot be mapped;
- a tracking category the tenant did not map is left out (the tenant chose not to track it); an
  option of a mapped category that is not mapped stops the record, naming it;
- a payment's bank account is the first platform account matched to Xero's account code;
- Reference fills the tenant's reference fields (split on " / " when several are chosen);
- fields Xero does not hold keep the stored value, else the model's default: a contact's roles
  (IsCustomer and IsSupplier only ever add a role: Xero derives them from the documents it holds),
  a payment's discount and fee (their own records in Xero), a bill's reference fields.

What cannot be mapped raises NotImportableError with every reason at once, in the tenant's words;
a record that only waits for others (its contact, its invoice) says which, so the caller can
bring them over first. Nothing Xero sends makes this module raise anything else.

Fetch invoices, bills, credit notes and items with unitdp=4: Xero rounds unit amounts to 2 places
otherwise (FACTS.md §4.6), and a unit price of 12.3456 would read back as 12.35.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from shared.domain.inbound.instants import updated_at
from shared.domain.inbound.tombstones import is_tombstone, xero_status
from shared.domain.mapping.credit_notes import CREDIT_NOTE_TYPES
from shared.domain.mapping.documents import INVOICE_TYPES, REFERENCE_SEPARATOR
from shared.domain.mapping.lines import LINE_AMOUNT_TYPES, default_account, line_account, line_amount
from shared.domain.mapping.xero_values import xero_date
from shared.domain.records import (
    MODEL_OF,
    Address,
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
    RecordBody,
)
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_settings import TenantSyncSettings, XeroDocumentStatus

# The entity of each Xero invoice and credit note Type.
DOCUMENT_ENTITIES = {xero_type: entity for entity, xero_type in INVOICE_TYPES.items()}
CREDIT_NOTE_KINDS = {xero_type: kind for kind, xero_type in CREDIT_NOTE_TYPES.items()}
AMOUNTS_ARE = {xero.lower(): ours for ours, xero in LINE_AMOUNT_TYPES.items()}
ID_FIELDS: dict[Entity, str] = {
    Entity.CONTACT: "ContactID",
    Entity.ITEM: "ItemID",
    Entity.INVOICE: "InvoiceID",
    Entity.BILL: "InvoiceID",
    Entity.CREDIT_NOTE: "CreditNoteID",
    Entity.PAYMENT: "PaymentID",
}
COLLECTION_ENTITIES: dict[str, Entity] = {
    "Contacts": Entity.CONTACT,
    "Items": Entity.ITEM,
    "CreditNotes": Entity.CREDIT_NOTE,
    "Payments": Entity.PAYMENT,
}
# A payment's document, by the paid document's Type or else by the PaymentType.
PAID_DOCUMENTS = {
    "ACCREC": ("invoice", Entity.INVOICE),
    "ACCPAY": ("bill", Entity.BILL),
    "ACCRECPAYMENT": ("invoice", Entity.INVOICE),
    "ACCPAYPAYMENT": ("bill", Entity.BILL),
}
_CONTACT_FIELDS = {
    "ContactNumber": "contact_number",
    "EmailAddress": "email",
    "FirstName": "first_name",
    "LastName": "last_name",
    "TaxNumber": "tax_number",
}
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_FOUR_PLACES = Decimal("0.0001")

PlatformIdOf = Callable[[Entity, str], str | None]


@dataclass(frozen=True)
class InboundContext:
    """What reading a Xero record needs besides the record.

    `platform_id_of(entity, xero_id)` answers from the ledger the platform id of a record Xero
    knows by `xero_id` (a contact, invoice, bill or credit note), None when the platform has none.
    `reference` is the tenant's Xero reference data: an account's default tax type tells a line
    that carried no tax code from one that did.
    """

    settings: TenantSyncSettings
    reference: ReferenceData
    platform_id_of: PlatformIdOf


class NotImportableError(Exception):
    """A Xero record that cannot become a platform body: every reason, in the tenant's words.

    `waits_for` lists the (entity, Xero id) of records the platform lacks and this one names; when
    they are the only reasons (`only_waits`), importing them first and reading again succeeds.
    """

    def __init__(self, reasons: Sequence[str], waits_for: Sequence[tuple[Entity, str]] = ()) -> None:
        self.reasons = tuple(reasons)
        self.waits_for = tuple(waits_for)
        self.refusals = len(self.reasons) - len(self.waits_for)
        super().__init__(" ".join(self.reasons))

    @property
    def only_waits(self) -> bool:
        return bool(self.waits_for) and self.refusals == 0


class _Findings:
    """The reasons one record cannot be read, collected while its body is built."""

    def __init__(self, noun: str) -> None:
        self.noun = noun
        self.refused: list[str] = []
        self.missing: list[str] = []
        self.waits_for: list[tuple[Entity, str]] = []

    def refuse(self, reason: str) -> None:
        self.refused.append(reason)

    def wait(self, entity: Entity, xero_id: str, reason: str) -> None:
        if (entity, xero_id) not in self.waits_for:
            self.waits_for.append((entity, xero_id))
            self.missing.append(reason)

    def raise_any(self) -> None:
        if self.refused or self.missing:
            raise NotImportableError(self.refused + self.missing, self.waits_for)


class FetchedRecord(BaseModel):
    """A record Xero answered, read: what the decision about it (conflicts.py) needs."""

    model_config = ConfigDict(frozen=True)

    entity: Entity
    xero_id: str
    status: str | None  # Xero's (ContactStatus for contacts)
    updated_at: datetime | None  # Xero's UpdatedDateUTC, on Xero's clock
    deleted: bool  # a tombstone (tombstones.py)
    has_applied: bool  # a payment or credit is applied to it (Xero then refuses edits and voids)
    body: dict[str, Any]  # the canonical body, as JSON data
    payment_ids: tuple[str, ...] = ()  # the payments Xero lists on an invoice or bill


def entity_of(collection: str, element: dict[str, Any]) -> Entity:
    """The platform entity of an element of `collection` ("Invoices" holds invoices and bills by Type)."""
    if collection == "Invoices":
        entity = DOCUMENT_ENTITIES.get(str(element.get("Type") or "").upper())
        if entity is None:
            raise NotImportableError([f"The Xero document's Type {element.get('Type')!r} is not ACCREC or ACCPAY."])
        return entity
    if collection not in COLLECTION_ENTITIES:
        raise NotImportableError([f"Xero's {collection} are not records the platform holds."])
    return COLLECTION_ENTITIES[collection]


def read_record(
    collection: str, element: object, ctx: InboundContext, base: dict[str, Any] | None = None
) -> FetchedRecord:
    """One element of a Xero answer for `collection`, read against the platform's stored `base` body.

    Raises NotImportableError when it cannot become a platform body (and for nothing else).
    """
    if not isinstance(element, dict):
        raise NotImportableError([f"Xero answered a {collection} element that is not an object."])
    entity = entity_of(collection, element)
    xero_id = element.get(ID_FIELDS[entity])
    if not xero_id:
        raise NotImportableError([f"Xero's {entity.value.replace('_', ' ')} carries no {ID_FIELDS[entity]}."])
    body = body_from_xero(entity, element, ctx, base)
    status = xero_status(entity, element)
    return FetchedRecord(
        entity=entity,
        xero_id=str(xero_id).lower(),
        status=status,
        updated_at=updated_at(element),
        deleted=is_tombstone(entity, status),
        has_applied=_has_applied(entity, element),
        body=body.model_dump(mode="json"),
        payment_ids=tuple(
            str(payment["PaymentID"]).lower()
            for payment in _listed(element.get("Payments"))
            if payment.get("PaymentID") and entity in (Entity.INVOICE, Entity.BILL)
        ),
    )


def body_from_xero(
    entity: Entity, element: dict[str, Any], ctx: InboundContext, base: dict[str, Any] | None = None
) -> RecordBody:
    """The canonical body of a Xero record of `entity`; `base` is the platform's stored body, if any.

    Raises NotImportableError with every reason the record cannot be read.
    """
    noun = entity.value.replace("_", " ")
    try:
        stored = MODEL_OF[entity].model_validate(base) if base is not None else None
    except ValidationError:
        stored = None  # a stored body that no longer validates keeps nothing
    findings = _Findings(noun)
    try:
        fields = _READERS[entity](element, ctx, stored, findings)
    except (KeyError, TypeError, AttributeError, ValueError, ArithmeticError) as exc:
        raise NotImportableError([f"Xero's {noun} could not be read: {exc}."]) from exc
    findings.raise_any()
    try:
        return MODEL_OF[entity].model_validate(fields)
    except ValidationError as invalid:
        reasons = [
            f"The {noun}'s {'.'.join(str(part) for part in error['loc'])} does not fit the platform: {error['msg']}."
            for error in invalid.errors()
        ]
        raise NotImportableError(reasons) from invalid


# --- values ---------------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _listed(value: object) -> list[dict[str, Any]]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _decimal(value: object, what: str, findings: _Findings) -> Decimal | None:
    """A JSON number (or its text) as Decimal, through its text so 0.1 stays 0.1; None when unset."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        findings.refuse(f"{what} is not a number: {value!r}.")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        findings.refuse(f"{what} is not a number: {value!r}.")
        return None
    if not number.is_finite():
        findings.refuse(f"{what} is not a number: {value!r}.")
        return None
    return number


def _date(
    element: dict[str, Any], field: str, what: str, findings: _Findings, *, required: bool = False
) -> date | None:
    """A date field, else its companion `<field>String` ("2018-10-20T00:00:00")."""
    for name in (field, f"{field}String"):
        try:
            value = xero_date(element.get(name))
        except ValueError:
            findings.refuse(f"{what} is not a date: {element.get(name)!r}.")
            return None
        if value is not None:
            return value
    if required:
        findings.refuse(f"{what} is missing.")
    return None


def _kept[T](stored: T, xero: T) -> T:
    """The stored value when it equals Xero's (a Decimal keeps its written form), else Xero's."""
    return stored if stored == xero else xero


def _paired[T](stored: Sequence[T] | None, count: int) -> list[T | None]:
    """The stored entries to pair with Xero's by position: all of them when the counts agree, else none
    (a line added or removed in Xero leaves no way to tell which stored line is which)."""
    if stored is not None and len(stored) == count:
        return list(stored)
    return [None] * count


def _first_key(mapping: dict[str, str], value: str | None) -> str | None:
    """The first key (in the settings' order) that maps to `value`."""
    return next((key for key, mapped in mapping.items() if value is not None and mapped == value), None)


# --- contacts and items ---------------------------------------------------------------------------


def _phone(element: dict[str, Any]) -> str | None:
    phones = _listed(element.get("Phones"))
    default = next((p for p in phones if str(p.get("PhoneType", "")).upper() == "DEFAULT"), None)
    if default is None:
        return None
    parts = (_text(default.get(field)) for field in ("PhoneCountryCode", "PhoneAreaCode", "PhoneNumber"))
    return " ".join(part for part in parts if part) or None


def _address(element: dict[str, Any]) -> Address | None:
    """The postal (POBOX) address, the one xero-sync writes; else the street address."""
    for kind in ("POBOX", "STREET"):
        entry = next((a for a in _listed(element.get("Addresses")) if str(a.get("AddressType")).upper() == kind), {})
        extra = [_text(entry.get(f"AddressLine{n}")) for n in (2, 3, 4)]
        address = Address(
            line1=_text(entry.get("AddressLine1")),
            line2=", ".join(line for line in extra if line) or None,
            city=_text(entry.get("City")),
            region=_text(entry.get("Region")),
            postal_code=_text(entry.get("PostalCode")),
            country=_text(entry.get("Country")),
        )
        if address != Address():
            return address
    return None


def _contact(
    element: dict[str, Any], _: InboundContext, stored: RecordBody | None, findings: _Findings
) -> dict[str, Any]:
    base = stored if isinstance(stored, Contact) else None
    name = _text(element.get("Name"))
    if name is None:
        findings.refuse("The contact has no name.")
    fields: dict[str, Any] = {"name": base.name if base is not None and base.name.strip() == name else name}
    for xero, ours in _CONTACT_FIELDS.items():
        value = _text(element.get(xero))
        mine = getattr(base, ours) if base is not None else None
        fields[ours] = mine if base is not None and (mine or None) == value else value
    phone = _phone(element)
    fields["phone"] = base.phone if base is not None and (base.phone or None) == phone else phone
    address = _address(element)
    same_address = base is not None and (base.address or Address()) == (address or Address())
    fields["address"] = base.address if base is not None and same_address else address
    is_customer, is_supplier = element.get("IsCustomer") is True, element.get("IsSupplier") is True
    if base is not None:
        fields["is_customer"] = base.is_customer or is_customer
        fields["is_supplier"] = base.is_supplier or is_supplier
    else:
        fields["is_customer"] = is_customer or not is_supplier  # a contact with no documents yet: a customer
        fields["is_supplier"] = is_supplier
    return fields


def _item(element: dict[str, Any], _: InboundContext, stored: RecordBody | None, findings: _Findings) -> dict[str, Any]:
    base = stored if isinstance(stored, Item) else None
    code = _text(element.get("Code"))
    if code is None:
        findings.refuse("The item has no code.")
    fields: dict[str, Any] = {"code": code, "name": _text(element.get("Name")) or code}
    fields["description"] = _text(element.get("Description"))
    for ours, details in (("sale_price", "SalesDetails"), ("purchase_price", "PurchaseDetails")):
        raw = _object(element.get(details))
        fields[ours] = _decimal(raw.get("UnitPrice"), f"The item's {details}.UnitPrice", findings)
    if base is not None:
        for ours in ("code", "name", "description", "sale_price", "purchase_price"):
            fields[ours] = _kept(getattr(base, ours), fields[ours])
    return fields


# --- documents ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Side:
    """What a document's lines need to know of it."""

    ctx: InboundContext
    sales: bool  # the sales side (invoices, sales credit notes) picks the sales account by default
    amounts_are: AmountsAre
    findings: _Findings


def _label(number: int, line: dict[str, Any]) -> str:
    text = _text(line.get("Description"))
    return f'Line {number} ("{text[:39]}")' if text else f"Line {number}"


def _coding(line: dict[str, Any], base: LineItem | None, side: _Side) -> tuple[str | None, str | None]:
    """The line's (item_code, account_code): the stored ones when they map out to Xero's account."""
    settings = side.ctx.settings
    account = _text(line.get("AccountCode"))
    item = _text(line.get("ItemCode"))
    same_item = base is not None and (item is None or item == base.item_code)
    if base is not None and same_item and line_account(base, settings, sales=side.sales) == account:
        return base.item_code, base.account_code
    if item is not None:
        implied = settings.item_accounts.get(item) or default_account(settings, sales=side.sales)
        return item, (None if account == implied else account)
    return None, (None if account == default_account(settings, sales=side.sales) else account)


def _account_tax_type(account_code: str | None, side: _Side) -> str | None:
    account = side.ctx.reference.account(account_code) if account_code else None
    return account.tax_type if account is not None else None


def _tax_code(
    line: dict[str, Any], base: LineItem | None, account_code: str | None, label: str, side: _Side
) -> str | None:
    """The platform tax code of a line whose account (as Xero holds it) is `account_code`."""
    tax_rates = side.ctx.settings.tax_rates
    tax_type = _text(line.get("TaxType"))
    default = _account_tax_type(account_code, side)
    if base is not None:
        sent = tax_rates.get(base.tax_code) if base.tax_code else default
        if sent == tax_type:
            return base.tax_code
    if tax_type is None:
        return None
    mapped = _first_key(tax_rates, tax_type)
    if mapped is not None:
        return mapped
    if tax_type == default or side.amounts_are is AmountsAre.NO_TAX:
        return None  # what the account applies anyway, or no tax at all
    side.findings.refuse(f"{label} has the Xero tax rate {tax_type}, which is not mapped to a platform tax code.")
    return None


def _tracking(line: dict[str, Any], base: LineItem | None, label: str, side: _Side) -> dict[str, str]:
    mappings = {mapping.xero_category: mapping for mapping in side.ctx.settings.tracking}
    tracked = [
        (str(entry.get("Name") or "").strip(), str(entry.get("Option") or "").strip())
        for entry in _listed(line.get("Tracking"))
    ]
    held = sorted((name, option) for name, option in tracked if name in mappings)
    if base is not None:
        by_platform = {mapping.platform_category: mapping for mapping in side.ctx.settings.tracking}
        sent = sorted(
            (by_platform[category].xero_category, by_platform[category].options.get(option, ""))
            for category, option in base.tracking.items()
            if category in by_platform
        )
        if sent == held:
            return dict(base.tracking)
    tracking: dict[str, str] = {}
    for name, option in held:
        mapping = mappings[name]
        platform_option = _first_key(mapping.options, option)
        if platform_option is None:
            side.findings.refuse(
                f"{label} has the {name} option {option}, which is not mapped to a platform option of "
                f"{mapping.platform_category}."
            )
            continue
        tracking[mapping.platform_category] = platform_option
    return tracking


def _discount_rate(line: dict[str, Any], quantity: Decimal, unit: Decimal, label: str, side: _Side) -> Decimal | None:
    """DiscountRate, else a DiscountAmount as the rate that gives the same line amount to the cent."""
    rate = _decimal(line.get("DiscountRate"), f"{label}'s DiscountRate", side.findings)
    if rate is not None:
        return rate or None
    amount = _decimal(line.get("DiscountAmount"), f"{label}'s DiscountAmount", side.findings)
    if not amount:
        return None
    gross = quantity * unit
    if gross != 0:
        rate = (amount * _HUNDRED / gross).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)
        probe = LineItem(description="-", quantity=quantity, unit_amount=unit, discount_rate=rate)
        if line_amount(probe) == (gross - amount).quantize(_CENT, rounding=ROUND_HALF_UP):
            return rate
    side.findings.refuse(f"{label} has a discount of {amount}, which the platform cannot hold as a rate.")
    return None


def _line(number: int, line: dict[str, Any], base: LineItem | None, side: _Side) -> dict[str, Any]:
    label = _label(number, line)
    findings = side.findings
    item = _object(line.get("Item"))
    description = _text(line.get("Description")) or _text(item.get("Name")) or _text(line.get("ItemCode"))
    if description is None:
        findings.refuse(f"{label} has no description, which the platform requires.")
    quantity = _decimal(line.get("Quantity"), f"{label}'s Quantity", findings)
    quantity = Decimal(1) if quantity is None else quantity
    unit = _decimal(line.get("UnitAmount"), f"{label}'s UnitAmount", findings)
    if unit is None:
        amount = _decimal(line.get("LineAmount"), f"{label}'s LineAmount", findings) or Decimal(0)
        unit = (amount / quantity).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP) if quantity else Decimal(0)
    discount = _discount_rate(line, quantity, unit, label, side)
    item_code, account_code = _coding(line, base, side)
    fields: dict[str, Any] = {
        "description": description,
        "quantity": quantity,
        "unit_amount": unit,
        "item_code": item_code,
        "account_code": account_code,
        "tax_code": _tax_code(line, base, _text(line.get("AccountCode")), label, side),
        "discount_rate": discount,
        "tracking": _tracking(line, base, label, side),
    }
    if base is not None:
        for ours in ("description", "quantity", "unit_amount", "discount_rate"):
            fields[ours] = _kept(getattr(base, ours), fields[ours])
    return fields


def _lines(element: dict[str, Any], base_lines: Sequence[LineItem] | None, side: _Side) -> list[dict[str, Any]]:
    lines = _listed(element.get("LineItems"))
    if not lines:
        side.findings.refuse(f"The {side.findings.noun} has no line items, and the platform needs at least one.")
    paired = zip(lines, _paired(base_lines, len(lines)), strict=True)
    return [_line(number, line, base, side) for number, (line, base) in enumerate(paired, start=1)]


def _amounts_are(element: dict[str, Any], findings: _Findings) -> AmountsAre:
    raw = str(element.get("LineAmountTypes") or "Exclusive")
    amounts_are = AMOUNTS_ARE.get(raw.lower())
    if amounts_are is None:
        findings.refuse(f"Its LineAmountTypes {raw!r} is not Exclusive, Inclusive or NoTax.")
        return AmountsAre.EXCLUSIVE
    return amounts_are


def _contact_id(element: dict[str, Any], ctx: InboundContext, findings: _Findings) -> str | None:
    contact = _object(element.get("Contact"))
    xero_id = _text(contact.get("ContactID"))
    if xero_id is None:
        findings.refuse(f"The {findings.noun} names no contact.")
        return None
    platform_id = ctx.platform_id_of(Entity.CONTACT, xero_id.lower())
    if platform_id is None:
        who = _text(contact.get("Name")) or xero_id
        findings.wait(Entity.CONTACT, xero_id.lower(), f"Its contact {who} is not on the platform yet.")
    return platform_id


def _currency(element: dict[str, Any], stored: str | None, has_base: bool, ctx: InboundContext) -> str | None:
    currency = _text(element.get("CurrencyCode"))
    if has_base and (stored or ctx.reference.base_currency) == currency:
        return stored
    return currency


def _document_status(status: str | None, base: Document | None, entity: Entity, ctx: InboundContext) -> DocumentStatus:
    """draft or approved: Xero's DRAFT is a draft, every other status approved; the stored one is kept
    when it maps out to Xero's (an approved document sent as DRAFT because the tenant chose so)."""
    chosen = ctx.settings.invoice_status if entity is Entity.INVOICE else ctx.settings.bill_status
    is_draft = status == XeroDocumentStatus.DRAFT
    if base is not None:
        if base.status is DocumentStatus.DRAFT and (is_draft or status == "DELETED"):
            return base.status
        if base.status is DocumentStatus.APPROVED and (not is_draft or chosen is XeroDocumentStatus.DRAFT):
            return base.status
    return DocumentStatus.DRAFT if is_draft else DocumentStatus.APPROVED


def _reference_fields(
    element: dict[str, Any], base: Document | None, sales: bool, ctx: InboundContext
) -> dict[str, Any]:
    """The platform fields the tenant joins into Reference (sales invoices only, as mapping/documents.py)."""
    names = ("job_number", "description", "customer_reference", "location")
    fields: dict[str, Any] = {name: getattr(base, name) if base is not None else None for name in names}
    if not sales:
        return fields  # a bill's Reference is not written by xero-sync: the stored fields stand
    chosen = [field.value for field in ctx.settings.reference_fields]
    reference = _text(element.get("Reference")) or ""
    if base is not None:
        parts = (getattr(base, name) for name in chosen)
        if REFERENCE_SEPARATOR.join(text.strip() for text in parts if text and text.strip()) == reference:
            return fields
    if not chosen:
        return fields
    split = reference.split(REFERENCE_SEPARATOR)
    values = split if len(chosen) > 1 and len(split) == len(chosen) else [reference] + [""] * (len(chosen) - 1)
    fields.update({name: value.strip() or None for name, value in zip(chosen, values, strict=True)})
    return fields


def _document(
    wanted: Entity, element: dict[str, Any], ctx: InboundContext, stored: RecordBody | None, findings: _Findings
) -> dict[str, Any]:
    entity = DOCUMENT_ENTITIES.get(str(element.get("Type") or "").upper())
    if entity is not wanted:
        findings.refuse(f"The Xero document's Type {element.get('Type')!r} is not a {findings.noun}.")
    base = stored if isinstance(stored, Invoice | Bill) else None
    sales = wanted is Entity.INVOICE
    side = _Side(ctx, sales, _amounts_are(element, findings), findings)
    on = _date(element, "Date", f"The {findings.noun}'s Date", findings, required=True)
    due = _date(element, "DueDate", f"The {findings.noun}'s DueDate", findings)
    fields: dict[str, Any] = {
        "contact_id": _contact_id(element, ctx, findings),
        "number": _text(element.get("InvoiceNumber")),
        "date": on,
        "due_date": due,
        "currency": _currency(element, base.currency if base else None, base is not None, ctx),
        "amounts_are": side.amounts_are,
        "status": _document_status(xero_status(wanted, element), base, wanted, ctx),
        "lines": _lines(element, base.lines if base is not None else None, side),
        **_reference_fields(element, base, sales, ctx),
    }
    if base is not None:
        fields["date"] = _kept(base.date, on)
        fields["due_date"] = base.due_date if (base.due_date or base.date) == due else due
    return fields


def _allocations(
    element: dict[str, Any], kind: str, base: CreditNote | None, on: date | None, side: _Side
) -> list[Any]:
    target = Entity.INVOICE if kind == "sales" else Entity.BILL
    listed = [a for a in _listed(element.get("Allocations")) if a.get("IsDeleted") is not True]
    stored = _paired(base.allocations if base is not None else None, len(listed))
    allocations: list[Any] = []
    for number, (allocation, mine) in enumerate(zip(listed, stored, strict=True), start=1):
        document = _object(allocation.get("Invoice"))
        xero_id = _text(document.get("InvoiceID"))
        platform_id = side.ctx.platform_id_of(target, xero_id.lower()) if xero_id else None
        if xero_id is None:
            side.findings.refuse(f"Allocation {number} names no {target.value}.")
        elif platform_id is None:
            what = _text(document.get("InvoiceNumber")) or xero_id
            reason = f"The {target.value} {what} it is allocated to is not on the platform yet."
            side.findings.wait(target, xero_id.lower(), reason)
        amount = _decimal(allocation.get("Amount"), f"Allocation {number}'s Amount", side.findings)
        day = _date(allocation, "Date", f"Allocation {number}'s Date", side.findings)
        same = (
            mine is not None
            and mine.invoice_id == platform_id
            and mine.amount == amount
            and (mine.date or (base.date if base else None)) == day
        )
        allocations.append(mine if same else {"invoice_id": platform_id, "amount": amount, "date": day})
    return allocations


def _credit_note(
    element: dict[str, Any], ctx: InboundContext, stored: RecordBody | None, findings: _Findings
) -> dict[str, Any]:
    base = stored if isinstance(stored, CreditNote) else None
    kind = CREDIT_NOTE_KINDS.get(str(element.get("Type") or "").upper())
    if kind is None:
        findings.refuse(f"The credit note's Type {element.get('Type')!r} is not ACCRECCREDIT or ACCPAYCREDIT.")
        kind = "sales"
    side = _Side(ctx, kind == "sales", _amounts_are(element, findings), findings)
    on = _date(element, "Date", "The credit note's Date", findings, required=True)
    fields: dict[str, Any] = {
        "contact_id": _contact_id(element, ctx, findings),
        "kind": kind,
        "number": _text(element.get("CreditNoteNumber")),
        "date": _kept(base.date, on) if base is not None else on,
        "currency": _currency(element, base.currency if base else None, base is not None, ctx),
        "amounts_are": side.amounts_are,
        "lines": _lines(element, base.lines if base is not None else None, side),
        "allocations": _allocations(element, kind, base, on, side),
    }
    return fields


def _payment(
    element: dict[str, Any], ctx: InboundContext, stored: RecordBody | None, findings: _Findings
) -> dict[str, Any]:
    base = stored if isinstance(stored, Payment) else None
    document = _object(element.get("Invoice"))
    paid_type = str(document.get("Type") or element.get("PaymentType") or "").upper()
    paid = PAID_DOCUMENTS.get(paid_type)
    invoice_id = None
    if paid is None:
        findings.refuse(
            f"The payment is against a {paid_type or 'document of no type'}: the platform records payments "
            "against invoices and bills only."
        )
    else:
        xero_id = _text(document.get("InvoiceID"))
        invoice_id = ctx.platform_id_of(paid[1], xero_id.lower()) if xero_id else None
        if xero_id is None:
            findings.refuse("The payment names no invoice or bill.")
        elif invoice_id is None:
            what = _text(document.get("InvoiceNumber")) or xero_id
            findings.wait(paid[1], xero_id.lower(), f"The {paid[1].value} {what} it pays is not on the platform yet.")
    on = _date(element, "Date", "The payment's Date", findings, required=True)
    amount = _decimal(element.get("Amount"), "The payment's Amount", findings)
    if amount is None and element.get("Amount") in (None, ""):
        findings.refuse("The payment's Amount is missing.")
    account = _object(element.get("Account"))
    code = _text(account.get("Code"))
    bank_accounts = ctx.settings.bank_accounts
    if base is not None and bank_accounts.get(base.bank_account) == code:
        bank_account: str | None = base.bank_account
    else:
        bank_account = _first_key(bank_accounts, code)
        if bank_account is None:
            findings.refuse(
                f"The Xero account {code or account.get('AccountID') or '(none)'} it was paid into is not matched "
                "to a platform bank account."
            )
    reference = _text(element.get("Reference"))
    fields: dict[str, Any] = {
        "invoice_id": invoice_id,
        "document": paid[0] if paid is not None else "invoice",
        "date": on,
        "amount": amount,
        "bank_account": bank_account,
        "reference": base.reference if base is not None and (base.reference or None) == reference else reference,
        # Xero holds a discount and a fee as records of their own (mapping/discounts.py, fees.py).
        "discount": base.discount if base is not None else Decimal(0),
        "fee": base.fee if base is not None else Decimal(0),
    }
    if base is not None:
        fields["date"], fields["amount"] = _kept(base.date, on), _kept(base.amount, amount)
    return fields


def _has_applied(entity: Entity, element: dict[str, Any]) -> bool:
    """Whether Xero has a payment or credit applied to the document (it then refuses edits and voids)."""
    if entity in (Entity.INVOICE, Entity.BILL):
        lists = ("Payments", "CreditNotes", "Prepayments", "Overpayments")
        if any(_listed(element.get(field)) for field in lists):
            return True
        figures = (element.get("AmountPaid"), element.get("AmountCredited"))
        return any(isinstance(value, int | float) and not isinstance(value, bool) and value > 0 for value in figures)
    if entity is Entity.CREDIT_NOTE:
        allocations = [a for a in _listed(element.get("Allocations")) if a.get("IsDeleted") is not True]
        return bool(allocations or _listed(element.get("Payments")))
    return False


def _invoice(
    element: dict[str, Any], ctx: InboundContext, stored: RecordBody | None, findings: _Findings
) -> dict[str, Any]:
    return _document(Entity.INVOICE, element, ctx, stored, findings)


def _bill(
    element: dict[str, Any], ctx: InboundContext, stored: RecordBody | None, findings: _Findings
) -> dict[str, Any]:
    return _document(Entity.BILL, element, ctx, stored, findings)


_Reader = Callable[[dict[str, Any], InboundContext, RecordBody | None, _Findings], dict[str, Any]]
_READERS: dict[Entity, _Reader] = {
    Entity.CONTACT: _contact,
    Entity.ITEM: _item,
    Entity.INVOICE: _invoice,
    Entity.BILL: _bill,
    Entity.CREDIT_NOTE: _credit_note,
    Entity.PAYMENT: _payment,
}
