"""A tenant's sync settings: how its records map onto its Xero organisation (issue 4, §2).

Account, tax-rate, tracking and bank-account references name the tenant's live Xero reference
data (shared/domain/reference_data.py) and are checked against it whenever either changes
(shared/domain/mapping/settings_check.py). Defaults send nothing: `enabled` is the platform's
plan decision and starts off.

`inbound` holds, per kind of record, what comes from Xero (issue 5): the direction, the side that
wins a conflict, the filters (shared/domain/inbound/settings.py). A kind goes to Xero only when both
its `entities` switch and its direction say so (`sends_to_xero`).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.inbound.settings import InboundSettings
from shared.domain.records import Entity


class XeroDocumentStatus(StrEnum):
    """The Xero status new invoices and bills are created in."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"  # awaiting approval
    AUTHORISED = "AUTHORISED"


class ReferenceField(StrEnum):
    """Document fields a tenant may join into Xero's Reference, in the order chosen."""

    JOB_NUMBER = "job_number"
    DESCRIPTION = "description"
    CUSTOMER_REFERENCE = "customer_reference"
    LOCATION = "location"


class LockDatePolicy(StrEnum):
    PARK = "park"  # a document dated on or before the lock date waits, with the reason, for the tenant
    MOVE_TO_OPEN_PERIOD = "move_to_open_period"  # dated the first day after the lock date instead


class EntitySettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    to_xero: bool = True
    only_approved: bool = False  # documents only: drafts stay on the platform


class TrackingMapping(BaseModel):
    """One platform tracking category onto one Xero tracking category, option by option."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform_category: str = Field(min_length=1, max_length=100)
    xero_category: str = Field(min_length=1, max_length=100)  # the Xero category's name
    options: dict[str, str] = Field(default_factory=dict)  # platform option -> Xero option name


class TenantSyncSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = False  # the platform's plan decides whether the tenant syncs at all
    sales_account: str | None = Field(default=None, max_length=10)  # REVENUE or SALES
    expense_account: str | None = Field(default=None, max_length=10)  # DIRECTCOSTS, EXPENSE or OVERHEADS
    fee_account: str | None = Field(default=None, max_length=10)  # the platform's fees: an expense account
    item_accounts: dict[str, str] = Field(default_factory=dict)  # platform item or service code -> account code
    tax_rates: dict[str, str] = Field(default_factory=dict)  # platform tax code -> Xero TaxType
    tracking: list[TrackingMapping] = Field(default_factory=list, max_length=2)  # Xero allows two categories
    bank_accounts: dict[str, str] = Field(default_factory=dict)  # platform bank account or card id -> account code
    invoice_status: XeroDocumentStatus = XeroDocumentStatus.AUTHORISED
    bill_status: XeroDocumentStatus = XeroDocumentStatus.AUTHORISED
    reference_fields: list[ReferenceField] = Field(default_factory=lambda: [ReferenceField.JOB_NUMBER])
    create_unmatched_contacts: bool = True  # matching: stored id, contact number, email, name; then create
    fee_supplier: str = Field(default="Payment processing fees", min_length=1, max_length=255)
    lock_dates: LockDatePolicy = LockDatePolicy.PARK
    entities: dict[Entity, EntitySettings] = Field(default_factory=dict)
    inbound: InboundSettings = Field(default_factory=InboundSettings)

    def entity(self, entity: Entity) -> EntitySettings:
        return self.entities.get(entity, EntitySettings())

    def sends_to_xero(self, entity: Entity) -> bool:
        """Whether the push sends the entity's records: its switch is on and its direction is not from Xero only."""
        return self.entity(entity).to_xero and self.inbound.of(entity).to_xero
