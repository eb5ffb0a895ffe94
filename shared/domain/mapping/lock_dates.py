"""Xero's lock dates: nothing dated on or before them is written, so a record is parked or moved.

Xero refuses a posted document, payment or allocation dated on or before the organisation's period
or end-of-year lock date (FACTS.md §4.7; the simulator's documents.check_lock_dates). The tenant
chooses (settings.lock_dates) whether such a record waits, PARKED with the date in the reason, or
is dated the first day of the open period instead.
"""

from __future__ import annotations

from datetime import date, timedelta

from shared.domain.mapping.context import MappingContext, Problems
from shared.domain.sync_settings import LockDatePolicy


def open_date(on: date, what: str, ctx: MappingContext, problems: Problems) -> date:
    """The date to send for something dated `on`: itself, or the day after the lock date when moved.

    `what` names the record in the reason ("The invoice INV-0001"). Under the PARK policy a locked
    date adds a PARKED reason to `problems` and comes back unchanged.
    """
    lock = ctx.reference.lock_date
    if lock is None or on > lock:
        return on
    if ctx.settings.lock_dates is LockDatePolicy.MOVE_TO_OPEN_PERIOD:
        return lock + timedelta(days=1)
    problems.park(
        f"{what} is dated {on.isoformat()}, on or before the organisation's lock date {lock.isoformat()}, and Xero "
        "refuses it there. It waits until the lock date moves, or set lock dates to move_to_open_period."
    )
    return on
