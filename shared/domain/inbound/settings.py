"""A tenant's settings for what comes from Xero (issue 5, §2 and §3), per kind of record.

Per kind, the tenant chooses the direction (to Xero, from Xero, both), the side that wins a
conflict, filters (only unpaid invoices and bills, nothing dated before a day, deletions or not),
and how often reconciliation runs. The defaults follow the issue:

- Intervals: invoices 15 minutes, bills 30, contacts 60, bank transactions daily. Accounts, tax
  rates and tracking categories have no interval: they are read "when they change", that is when
  something signals it (reconcile.py). Not named by the issue: payments 15 minutes, as invoices
  (Xero sends no payment webhooks, FACTS.md §2.4, and an invoice paid in Xero must show as paid);
  credit notes 30, as bills (they have webhooks, so reconciliation only catches misses); items 60,
  as contacts (no webhooks; a price list changes rarely).
- Direction: both ways for the platform's records; accounts and bank transactions come from Xero
  (the platform owns neither); tax rates come one way from Xero, always (rates created through the
  API do not work for tax reporting in AU, NZ and UK, FACTS.md §4.11), so no other direction is
  accepted; tracking categories go both ways, with deletions not synced (an option archived on one
  side stays usable on the other, whose history still names it).
- The platform wins a conflict by default: its version is the newer intent (it has not reached
  Xero yet), and the conflict record keeps Xero's version for a person to review.
- Bank transactions come to the platform only when the tenant chooses (issue 5, §4: "if the tenant
  chooses, ... bank transactions since a date"): by setting `since` for `bank_transaction`. Without
  it their reconciliation is put off (NOT_CHOSEN) and costs no call; with it they are read from that
  date on (a `Date>=` filter) and told as changes, not kept as records (docs/decisions.md, "Bank
  transactions are told, not stored as records"). Setting it later makes them due at once.

`InboundSettings` is a model of its own, for TenantSyncSettings (shared/domain/sync_settings.py)
to carry as a field.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.domain.records import Entity


class Direction(StrEnum):
    TO_XERO = "to_xero"
    FROM_XERO = "from_xero"
    BOTH = "both"


class Side(StrEnum):
    """The side whose version wins a conflict."""

    PLATFORM = "platform"
    XERO = "xero"


class SyncedKind(StrEnum):
    """Every kind of data that moves between the platform and Xero: the platform's records
    (the values of records.Entity) and the reference data and bank lines read from Xero."""

    CONTACT = "contact"
    ITEM = "item"
    INVOICE = "invoice"
    BILL = "bill"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"
    ACCOUNT = "account"
    TAX_RATE = "tax_rate"
    TRACKING_CATEGORY = "tracking_category"
    BANK_TRANSACTION = "bank_transaction"

    @classmethod
    def of(cls, entity: Entity) -> SyncedKind:
        return cls(entity.value)


# Why bank transactions are not read while the tenant has not chosen a date to bring them from.
NOT_CHOSEN = "not chosen: set since to bring bank transactions"
# Kinds read from Xero only once the tenant sets `since` for them.
CHOSEN_BY_SINCE = frozenset({SyncedKind.BANK_TRANSACTION})

# Kinds whose direction is fixed, and why (a setting that says otherwise is refused).
FIXED_DIRECTIONS: dict[SyncedKind, tuple[Direction, str]] = {
    SyncedKind.TAX_RATE: (
        Direction.FROM_XERO,
        "tax rates come one way from Xero: rates created through the API do not work for tax reporting",
    ),
}


class InboundEntitySettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    direction: Direction = Direction.BOTH
    conflict_winner: Side = Side.PLATFORM
    # Invoices and bills: only unpaid ones are created on the platform (one already there keeps
    # receiving Xero's changes, its payment included).
    only_unpaid: bool = False
    # Documents and payments dated before this day are not created on the platform (a backfill's start);
    # for bank transactions, the tenant's choice to bring them at all, from this day on (None: not brought).
    since: date | None = None
    sync_deletions: bool = True  # a void, deletion or archive in Xero deletes the platform's record
    reconcile_interval_minutes: int | None = Field(default=None, ge=1, le=7 * 24 * 60)  # None: on change

    @property
    def from_xero(self) -> bool:
        return self.direction is not Direction.TO_XERO

    @property
    def to_xero(self) -> bool:
        return self.direction is not Direction.FROM_XERO


DEFAULTS: dict[SyncedKind, InboundEntitySettings] = {
    SyncedKind.CONTACT: InboundEntitySettings(reconcile_interval_minutes=60),
    SyncedKind.ITEM: InboundEntitySettings(reconcile_interval_minutes=60),
    SyncedKind.INVOICE: InboundEntitySettings(reconcile_interval_minutes=15),
    SyncedKind.BILL: InboundEntitySettings(reconcile_interval_minutes=30),
    SyncedKind.CREDIT_NOTE: InboundEntitySettings(reconcile_interval_minutes=30),
    SyncedKind.PAYMENT: InboundEntitySettings(reconcile_interval_minutes=15),
    SyncedKind.BANK_TRANSACTION: InboundEntitySettings(direction=Direction.FROM_XERO, reconcile_interval_minutes=1440),
    SyncedKind.ACCOUNT: InboundEntitySettings(direction=Direction.FROM_XERO),
    SyncedKind.TAX_RATE: InboundEntitySettings(direction=Direction.FROM_XERO),
    SyncedKind.TRACKING_CATEGORY: InboundEntitySettings(sync_deletions=False),
}


class InboundSettings(BaseModel):
    """The tenant's choices per kind; a kind it has not set takes DEFAULTS."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: dict[SyncedKind, InboundEntitySettings] = Field(default_factory=dict)

    @field_validator("kinds", mode="after")
    @classmethod
    def _over_defaults(cls, kinds: dict[SyncedKind, InboundEntitySettings]) -> dict[SyncedKind, InboundEntitySettings]:
        """A kind's settings as given over its DEFAULTS: a tenant that sets only `since` for bank transactions
        keeps their daily interval. Once stored, every field is set, and this changes nothing."""
        return {
            kind: DEFAULTS[kind].model_copy(update={name: getattr(chosen, name) for name in chosen.model_fields_set})
            for kind, chosen in kinds.items()
        }

    @model_validator(mode="after")
    def _fixed_directions(self) -> Self:
        for kind, (direction, why) in FIXED_DIRECTIONS.items():
            chosen = self.kinds.get(kind)
            if chosen is not None and chosen.direction is not direction:
                raise ValueError(f"{kind.value}: the direction is always {direction.value}, {why}")
        return self

    def of(self, kind: SyncedKind | Entity) -> InboundEntitySettings:
        key = kind if isinstance(kind, SyncedKind) else SyncedKind.of(kind)
        return self.kinds.get(key, DEFAULTS[key])

    def left_out(self, kind: SyncedKind) -> str | None:
        """Why `kind` is not read from Xero at all (sent to Xero only, or not chosen); None when it is."""
        chosen = self.of(kind)
        if not chosen.from_xero:
            return "sent to Xero only"
        if kind in CHOSEN_BY_SINCE and chosen.since is None:
            return NOT_CHOSEN
        return None
