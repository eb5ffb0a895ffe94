"""A bank transaction read from Xero, as the body the platform is told (issue 5, §4: "bank
transactions since a date").

Bank transactions are not platform records: the platform never writes them and xero-sync keeps no
copy, only what the platform was last told of each (told.py, in a store of its own: there can be
thousands). The body keeps Xero's words where the platform has none of its own: `type` as Xero's
(RECEIVE, SPEND, RECEIVE-TRANSFER, ... FACTS.md §4.11), `status` AUTHORISED, DELETED or VOIDED (the
last two tell it deleted), `line_amount_types` Exclusive, Inclusive or NoTax. The contact is the
platform's id of the contact when the platform has it, else `xero-<ContactID>` (the id it would have
if it came over). Money is Decimal, written as text in JSON like every canonical body: totals and
line amounts to the cent, quantities and unit amounts as Xero gives them (read with unitdp=4);
dates come as MS-JSON or ISO text (FACTS.md §4.6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.domain.inbound.from_xero import NotImportableError
from shared.domain.inbound.settings import SyncedKind
from shared.domain.inbound.told import Element
from shared.domain.mapping.xero_values import xero_date

ID_FIELD = "BankTransactionID"
_CENT = Decimal("0.01")

# The platform id of a contact Xero knows by this id, None when the platform has none.
ContactOf = Callable[[str], str | None]


class BankAccount(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str | None
    code: str | None
    name: str | None


class BankLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    description: str | None
    quantity: Decimal | None
    unit_amount: Decimal | None
    account_code: str | None
    tax_type: str | None
    line_amount: Decimal | None


class BankTransactionBody(BaseModel):
    """What the platform is told of a bank transaction (docs/events.md, entity `bank_transaction`)."""

    model_config = ConfigDict(frozen=True)

    type: str
    contact: str | None  # the contact's platform id
    date: dt.date | None
    reference: str | None
    status: str
    is_reconciled: bool
    currency: str | None
    line_amount_types: str | None
    sub_total: Decimal | None
    total_tax: Decimal | None
    total: Decimal | None
    bank_account: BankAccount
    line_items: list[BankLine]


def bank_transaction_element(element: object, contact_of: ContactOf) -> Element:
    """The element of one BankTransactions entry of Xero's answer, to compare with what was told.

    Raises NotImportableError when Xero's entry cannot be read (no id, a number or date that is not one).
    """
    if not isinstance(element, dict):
        raise NotImportableError(["Xero answered a BankTransactions element that is not an object."])
    xero_id = _text(element.get(ID_FIELD))
    if xero_id is None:
        raise NotImportableError([f"Xero's bank transaction carries no {ID_FIELD}."])
    try:
        body = bank_transaction_body(element, contact_of)
    except (ValueError, InvalidOperation) as unreadable:
        raise NotImportableError([f"Xero's bank transaction {xero_id} could not be read: {unreadable}."]) from None
    return Element(SyncedKind.BANK_TRANSACTION, xero_id.lower(), body.status, body.model_dump(mode="json"))


def bank_transaction_body(element: dict[str, Any], contact_of: ContactOf) -> BankTransactionBody:
    """The body of one BankTransactions entry; raises ValueError for a value that is not what it says."""
    contact_id = _text(_object(element.get("Contact")).get("ContactID"))
    contact = None
    if contact_id is not None:
        contact = contact_of(contact_id.lower()) or f"xero-{contact_id.lower()}"
    bank = _object(element.get("BankAccount"))
    return BankTransactionBody(
        type=_text(element.get("Type")) or "",
        contact=contact,
        date=xero_date(element.get("Date")) or xero_date(element.get("DateString")),
        reference=_text(element.get("Reference")),
        status=(_text(element.get("Status")) or "AUTHORISED").upper(),
        is_reconciled=element.get("IsReconciled") is True,
        currency=_text(element.get("CurrencyCode")),
        line_amount_types=_text(element.get("LineAmountTypes")),
        sub_total=_money(element.get("SubTotal")),
        total_tax=_money(element.get("TotalTax")),
        total=_money(element.get("Total")),
        bank_account=BankAccount(
            account_id=_text(bank.get("AccountID")),  # as the reference data's accounts hold it
            code=_text(bank.get("Code")),
            name=_text(bank.get("Name")),
        ),
        line_items=[_line(line) for line in element.get("LineItems") or [] if isinstance(line, dict)],
    )


def _line(line: dict[str, Any]) -> BankLine:
    return BankLine(
        description=_text(line.get("Description")),
        quantity=_number(line.get("Quantity")),
        unit_amount=_number(line.get("UnitAmount")),
        account_code=_text(line.get("AccountCode")),
        tax_type=_text(line.get("TaxType")),
        line_amount=_money(line.get("LineAmount")),
    )


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: object) -> Decimal | None:
    """A JSON number (or its text) as Decimal, through its text so 0.1 stays 0.1; None when unset."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"{value!r} is not a number")
    number = Decimal(str(value).strip())
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    return number


def _money(value: object) -> Decimal | None:
    # To the cent, so 110 and 110.0 (both Xero's JSON for the same amount) read as "110.00".
    number = _number(value)
    return number.quantize(_CENT, rounding=ROUND_HALF_UP) if number is not None else None
