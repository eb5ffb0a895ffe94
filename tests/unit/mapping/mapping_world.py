"""The world of the mapping tests: an AU organisation's reference data, a tenant's settings, and records.

Builders take keyword changes over sensible defaults, so a test states only what it is about.
`context()` answers Xero ids and documents from plain dicts, as the sync worker answers them from
the ledger.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from shared.domain.ledger import StoredRecord, SyncState
from shared.domain.mapping.context import MappingContext
from shared.domain.records import Bill, Contact, CreditNote, Document, Entity, Invoice, Item, LineItem, Payment
from shared.domain.reference_data import (
    ReferenceData,
    XeroAccount,
    XeroTaxRate,
    XeroTrackingCategory,
    XeroTrackingOption,
)
from shared.domain.sync_settings import TenantSyncSettings, TrackingMapping

FETCHED_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)
DUE = date(2026, 3, 30)


def account(code: str, type_: str, **fields: Any) -> XeroAccount:
    return XeroAccount(
        account_id=f"acc-{code}", code=code, name=fields.pop("name", f"Account {code}"), type=type_, **fields
    )


def tax_rate(tax_type: str, rate: str, **fields: Any) -> XeroTaxRate:
    return XeroTaxRate(tax_type=tax_type, name=f"Rate {tax_type}", effective_rate=Decimal(rate), **fields)


def tracking_category(name: str, *options: str, **fields: Any) -> XeroTrackingCategory:
    return XeroTrackingCategory(
        category_id=f"cat-{name}",
        name=name,
        options=[XeroTrackingOption(option_id=f"opt-{option}", name=option) for option in options],
        **fields,
    )


def reference(**changes: Any) -> ReferenceData:
    """A small AU chart (codes as Xero's AU demo), GST at 10 %, and one tracking category."""
    fields: dict[str, Any] = {
        "organisation_name": "Demo Company (AU)",
        "base_currency": "AUD",
        "accounts": [
            account("090", "BANK", bank_account_type="BANK", tax_type="BASEXCLUDED"),
            account("200", "REVENUE", tax_type="OUTPUT"),
            account("260", "OTHERINCOME", tax_type="OUTPUT"),
            account("310", "DIRECTCOSTS", tax_type="INPUT"),
            account("400", "EXPENSE", tax_type="INPUT"),
            account("404", "EXPENSE", tax_type="INPUTTAXED"),
            account("610", "CURRENT", tax_type="BASEXCLUDED"),
        ],
        "tax_rates": [
            tax_rate("OUTPUT", "10"),
            tax_rate("INPUT", "10"),
            tax_rate("EXEMPTOUTPUT", "0"),
            tax_rate("INPUTTAXED", "0"),
        ],
        "tracking_categories": [tracking_category("Region", "North", "South")],
        "fetched_at": FETCHED_AT,
    }
    return ReferenceData(**{**fields, **changes})


def settings(**changes: Any) -> TenantSyncSettings:
    fields: dict[str, Any] = {
        "enabled": True,
        "sales_account": "200",
        "expense_account": "400",
        "fee_account": "404",
        "item_accounts": {"CONSULT": "260"},
        "tax_rates": {"GST": "OUTPUT", "GST-IN": "INPUT", "FREE": "EXEMPTOUTPUT"},
        "tracking": [TrackingMapping(platform_category="area", xero_category="Region", options={"north": "North"})],
        "bank_accounts": {"main": "090"},
    }
    return TenantSyncSettings(**{**fields, **changes})


def line(**changes: Any) -> LineItem:
    fields: dict[str, Any] = {"description": "Consulting", "quantity": Decimal(2), "unit_amount": Decimal("50.00")}
    return LineItem(**{**fields, **changes})


def _document_fields(changes: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {"contact_id": "c-1", "date": DAY, "due_date": DUE, "lines": [line()]}
    return {**fields, **changes}


def invoice(**changes: Any) -> Invoice:
    return Invoice(**_document_fields({"number": "INV-1", **changes}))


def bill(**changes: Any) -> Bill:
    return Bill(**_document_fields({"number": "SUP-7", **changes}))


def credit_note(**changes: Any) -> CreditNote:
    fields: dict[str, Any] = {"contact_id": "c-1", "number": "CN-1", "date": DAY, "lines": [line()]}
    return CreditNote(**{**fields, **changes})


def payment(**changes: Any) -> Payment:
    fields: dict[str, Any] = {"invoice_id": "i-1", "date": DAY, "amount": Decimal("95.00"), "bank_account": "main"}
    return Payment(**{**fields, **changes})


def contact(**changes: Any) -> Contact:
    return Contact(**{"name": "Acme Pty Ltd", **changes})


def item(**changes: Any) -> Item:
    return Item(**{"code": "CONSULT", "name": "Consulting", **changes})


# What the ledger knows by default: the contact, an invoice and a bill are in Xero.
XERO_IDS = {
    (Entity.CONTACT, "c-1"): "xero-contact-1",
    (Entity.INVOICE, "i-1"): "xero-invoice-1",
    (Entity.BILL, "b-1"): "xero-bill-1",
}


def context(
    *,
    settings_: TenantSyncSettings | None = None,
    reference_: ReferenceData | None = None,
    xero_ids: dict[tuple[Entity, str], str] | None = None,
    documents: dict[tuple[Entity, str], Document] | None = None,
) -> MappingContext:
    """A mapping context over the default world; `documents` defaults to invoice i-1 and bill b-1."""
    ids = XERO_IDS if xero_ids is None else xero_ids
    bodies = {(Entity.INVOICE, "i-1"): invoice(), (Entity.BILL, "b-1"): bill()} if documents is None else documents
    return MappingContext(
        settings=settings_ or settings(),
        reference=reference_ or reference(),
        xero_id_of=lambda entity, platform_id: ids.get((entity, platform_id)),
        document_of=lambda entity, platform_id: bodies.get((entity, platform_id)),
    )


def stored(entity: Entity, body: dict[str, Any], **changes: Any) -> StoredRecord:
    """A record as the ledger holds it: by default version 2, sent before (version 1) and in Xero."""
    fields: dict[str, Any] = {
        "tenant_id": "t-1",
        "entity": entity,
        "platform_id": "p-1",
        "version": 2,
        "body": body,
        "updated_at": FETCHED_AT,
        "state": SyncState.PENDING,
        "state_at": FETCHED_AT,
        "synced_version": 1,
        "xero_id": "xero-1",
    }
    return StoredRecord(**{**fields, **changes})
