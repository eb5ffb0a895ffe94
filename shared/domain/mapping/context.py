"""What mapping a record needs besides the record, and the verdict when it cannot be mapped.

`MappingContext` carries the tenant's sync settings, its live Xero reference data and two lookups
the sync worker answers from the ledger: the Xero id of a synced platform record, and the
platform body of an invoice or bill (a payment's discount and fee need the paid document).
`NotMapped` is raised with the state the record takes: SKIPPED when only the tenant can change
the outcome (a setting, a rule Xero enforces), PARKED when it may clear by waiting (a dependency
not yet in Xero, a lock date). `Problems` collects every reason of one record, so the tenant reads
all of them at once rather than one per attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.domain.ledger import SyncState
from shared.domain.records import Document, Entity
from shared.domain.reference_data import ReferenceData
from shared.domain.sync_settings import TenantSyncSettings


@dataclass(frozen=True)
class MappingContext:
    settings: TenantSyncSettings
    reference: ReferenceData
    # The Xero id of a synced platform record (contacts, invoices, bills, credit notes) by platform id.
    xero_id_of: Callable[[Entity, str], str | None]
    # A platform invoice or bill body by platform id (a payment's discount and fee are drawn from it).
    document_of: Callable[[Entity, str], Document | None]


# The sync worker's contract names it NotMapped; it is a verdict on a record more than an error.
class NotMapped(Exception):  # noqa: N818
    """A record that is not sent: `state` is SKIPPED or PARKED, `reason` says why in the tenant's words."""

    def __init__(self, state: SyncState, reason: str) -> None:
        if state not in (SyncState.SKIPPED, SyncState.PARKED):
            raise ValueError(f"a record that is not mapped is skipped or parked, not {state}")
        super().__init__(reason)
        self.state = state
        self.reason = reason


class Problems:
    """The reasons one record cannot be sent, collected while its payload is built.

    A SKIPPED reason outranks a PARKED one: waiting would not help, so the tenant must hear about
    the setting to fix first.
    """

    def __init__(self) -> None:
        self.skipped: list[str] = []
        self.parked: list[str] = []

    def skip(self, reason: str) -> None:
        self.skipped.append(reason)

    def park(self, reason: str) -> None:
        self.parked.append(reason)

    def raise_any(self) -> None:
        """Raise NotMapped with every reason of the outranking state, if any was found."""
        if self.skipped:
            raise NotMapped(SyncState.SKIPPED, " ".join(self.skipped))
        if self.parked:
            raise NotMapped(SyncState.PARKED, " ".join(self.parked))
