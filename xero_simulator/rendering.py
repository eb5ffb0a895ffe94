"""Turn stored records into Xero's JSON: MS-JSON dates, money as numbers, internal fields dropped."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from xero_simulator.msjson import ms_date


def render(value: Any) -> Any:
    """Xero's wire form of a stored value; keys starting with `_` are the simulator's own and are dropped."""
    if isinstance(value, dict):
        return {k: render(v) for k, v in value.items() if not k.startswith("_") and v is not None}
    if isinstance(value, list | tuple):
        return [render(v) for v in value]
    if isinstance(value, datetime | date):
        return ms_date(value)
    if isinstance(value, Decimal):
        return float(value)
    return value
