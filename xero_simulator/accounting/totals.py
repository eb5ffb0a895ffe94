"""Line-item and document arithmetic, as Xero computes it for invoices, credit notes and bank transactions.

Everything is `Decimal`. A line's figures come from what the client sent (Quantity, UnitAmount,
LineAmount, a discount, perhaps a TaxAmount) and the effective rate of its tax type; a document's
totals are sums of its rounded lines (tax is rounded per line). The API in brief:

- `LineAmountTypes`: Exclusive (line amounts exclude tax; Xero's default), Inclusive, NoTax.
- `amount_of(value, field)`: read a JSON number from a request as a Decimal (None when absent).
- `figure_line(LineInput(...), rate=..., amount_types=..., unit_dp=2)` -> `LineFigures`, or `LineError`
  with Xero's message when the figures disagree.
- `document_totals(lines, amount_types)` -> `DocumentTotals` (SubTotal, TotalTax, Total, TotalDiscount).
- `money(value)` rounds to cents, `rounded(value, places)` to any places (half away from zero);
  `unit_places(unitdp)` is 4 when the client asked for unitdp=4, else 2.

Rules (FACTS.md §4.6 and the spec's LineItem descriptions): LineAmount = Quantity x UnitAmount less
DiscountRate % or less DiscountAmount; a missing Quantity or UnitAmount is derived from LineAmount; a
LineAmount that disagrees with Quantity x UnitAmount is refused ("The line total 1.00 does not match
the expected line total 0.00", XeroAPI/Xero-NetStandard#74 and #147); TaxAmount is computed from
the rate unless the client overrides it; a client's Total is never used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
QUANTITY_PLACES = 4  # Xero keeps 4 decimal places of quantity (spec examples: "Quantity: 2.0000")


class LineAmountTypes(StrEnum):
    EXCLUSIVE = "Exclusive"
    INCLUSIVE = "Inclusive"
    NOTAX = "NoTax"


class LineError(ValueError):
    """Figures of one line that Xero refuses; the message is Xero's."""


def money(value: Decimal) -> Decimal:
    """Round to cents, half away from zero, as Xero shows money."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rounded(value: Decimal, places: int) -> Decimal:
    """Round to `places` decimal places, half away from zero (UnitAmount, Quantity)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def unit_places(unitdp: int | None) -> int:
    """Decimal places of UnitAmount: 2 unless the call says unitdp=4 (FACTS.md §4.6)."""
    return 4 if unitdp == 4 else 2


def amount_of(value: object, field: str) -> Decimal | None:
    """A number from a request body as Decimal; None when absent. Raises LineError when not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise LineError(f"{field} must be a number")
    try:
        # str() first: a JSON float such as 0.1 must mean 0.1, not its binary approximation.
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise LineError(f"{field} must be a number") from exc


@dataclass(frozen=True)
class LineInput:
    """What the client sent for one line (None = not sent)."""

    quantity: Decimal | None = None
    unit_amount: Decimal | None = None
    line_amount: Decimal | None = None
    discount_rate: Decimal | None = None
    discount_amount: Decimal | None = None
    tax_amount: Decimal | None = None


@dataclass(frozen=True)
class LineFigures:
    """A line's figures as Xero stores them; `discount` is how much the discount took off."""

    quantity: Decimal
    unit_amount: Decimal
    line_amount: Decimal
    tax_amount: Decimal
    discount: Decimal


@dataclass(frozen=True)
class DocumentTotals:
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    total_discount: Decimal


def line_tax(line_amount: Decimal, rate: Decimal, amount_types: LineAmountTypes) -> Decimal:
    """Tax of one line at `rate` percent: on top of an exclusive amount, inside an inclusive one."""
    if amount_types is LineAmountTypes.NOTAX:
        return ZERO
    if amount_types is LineAmountTypes.INCLUSIVE:
        return money(line_amount * rate / (HUNDRED + rate))
    return money(line_amount * rate / HUNDRED)


def _discounted(gross: Decimal, given: LineInput) -> Decimal:
    if given.discount_rate is not None:
        return gross * (HUNDRED - given.discount_rate) / HUNDRED
    if given.discount_amount is not None:
        return gross - given.discount_amount
    return gross


def _undiscounted(net: Decimal, given: LineInput) -> Decimal:
    """The gross (Quantity x UnitAmount) that a discounted LineAmount came from."""
    if given.discount_rate is not None:
        if given.discount_rate == HUNDRED:
            return ZERO
        return net * HUNDRED / (HUNDRED - given.discount_rate)
    if given.discount_amount is not None:
        return net + given.discount_amount
    return net


def _check_discount(given: LineInput, gross: Decimal) -> None:
    # Wording from XeroAPI/Xero-OpenAPI#429 ("The discount rate '0.00' is invalid. Discount must not be
    # greater than the line total.").
    if given.discount_rate is not None and not ZERO <= given.discount_rate <= HUNDRED:
        figure = money(given.discount_rate)
    elif given.discount_amount is not None and (given.discount_amount < ZERO or given.discount_amount > abs(gross)):
        figure = money(given.discount_amount)
    else:
        return
    raise LineError(f"The discount rate '{figure}' is invalid. Discount must not be greater than the line total.")


def _derive(quantity: Decimal | None, unit: Decimal | None, gross: Decimal, unit_dp: int) -> tuple[Decimal, Decimal]:
    """The Quantity and UnitAmount behind a gross amount when one or both were not sent."""
    if quantity is not None:
        return quantity, (rounded(gross / quantity, unit_dp) if quantity != ZERO else ZERO)
    if unit is not None:
        return (rounded(gross / unit, QUANTITY_PLACES) if unit != ZERO else Decimal(1)), unit
    return Decimal(1), rounded(gross, unit_dp)


def figure_line(given: LineInput, *, rate: Decimal, amount_types: LineAmountTypes, unit_dp: int = 2) -> LineFigures:
    """Compute one line's Quantity, UnitAmount, LineAmount, TaxAmount and discount from what was sent.

    A missing Quantity defaults to 1 unless LineAmount and UnitAmount imply it; a missing UnitAmount
    is LineAmount / Quantity. `rate` is the tax type's EffectiveRate in percent.
    """
    if given.discount_rate is not None and given.discount_amount is not None:
        raise LineError("A line item can have a DiscountRate or a DiscountAmount, not both")
    quantity = rounded(given.quantity, QUANTITY_PLACES) if given.quantity is not None else None
    unit = rounded(given.unit_amount, unit_dp) if given.unit_amount is not None else None
    supplied = money(given.line_amount) if given.line_amount is not None else None

    if supplied is not None and (quantity is None or unit is None):
        # Xero derives the missing figure and keeps the LineAmount it was given.
        gross = _undiscounted(supplied, given)
        quantity, unit = _derive(quantity, unit, gross, unit_dp)
        _check_discount(given, gross)
        line_amount = supplied
    else:
        quantity = Decimal(1) if quantity is None else quantity
        unit = ZERO if unit is None else unit
        gross = quantity * unit
        _check_discount(given, gross)
        line_amount = money(_discounted(gross, given))
        if supplied is not None and supplied != line_amount:
            raise LineError(f"The line total {supplied} does not match the expected line total {line_amount}")
    if given.tax_amount is not None and amount_types is not LineAmountTypes.NOTAX:
        tax = money(given.tax_amount)
    else:
        tax = line_tax(line_amount, rate, amount_types)
    return LineFigures(
        quantity=quantity,
        unit_amount=unit,
        line_amount=line_amount,
        tax_amount=tax,
        discount=money(gross) - line_amount,
    )


def document_totals(lines: Iterable[LineFigures], amount_types: LineAmountTypes) -> DocumentTotals:
    """SubTotal, TotalTax, Total and TotalDiscount of a document from its lines' rounded figures.

    Inclusive lines already contain their tax, so the SubTotal is what is left once it is taken out.
    """
    figures = list(lines)
    line_sum = sum((f.line_amount for f in figures), ZERO)
    tax = sum((f.tax_amount for f in figures), ZERO)
    discount = sum((f.discount for f in figures), ZERO)
    if amount_types is LineAmountTypes.INCLUSIVE:
        return DocumentTotals(line_sum - tax, tax, line_sum, discount)
    return DocumentTotals(line_sum, tax, line_sum + tax, discount)
