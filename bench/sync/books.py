"""One tenant's books on the platform, as the benchmark writes them: customers, sales invoices of two
or three lines, a receipt on every invoice, some with an early-payment discount or a platform fee,
and credit notes each allocated to an invoice.

The mix is fixed by the invoice's number, so every run writes the same books: a credit note on
evenly spaced invoices (up to `credit_notes`), a discount on every 50th payment (2%) and a fee on
every 5th (20%). Each invoice is paid in full: the receipt is its total less its credit note and
its discount, so Xero must end with every invoice PAID. Amounts are whole dollars with GST at
10% (the AU chart, xero_simulator/charts/au.py), so every total is exact to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from shared.domain.records import Entity
from shared.domain.sync_settings import TenantSyncSettings

# The AU chart's Sales, Cost of Goods Sold and Bank Fees accounts, its business bank account, and
# GST on income (the same settings as the local stack's demo tenant).
SETTINGS = TenantSyncSettings(
    enabled=True,
    sales_account="200",
    expense_account="310",
    fee_account="404",
    tax_rates={"GST": "OUTPUT"},
    bank_accounts={"main": "090"},
)
GST = Decimal("0.10")
CREDIT = Decimal("22.00")  # one line of 20.00 plus GST
DISCOUNT = Decimal("5.00")  # tax-inclusive, as the discount's credit note is (shared/domain/mapping/discounts.py)
DISCOUNT_EVERY = 50  # 2% of payments
FEE_EVERY = 5  # 20% of payments


@dataclass
class Books:
    """The records of one tenant, in the order they are written, and what each should total in Xero."""

    records: list[tuple[Entity, str, dict[str, Any]]] = field(default_factory=list)
    totals: dict[tuple[Entity, str], Decimal] = field(default_factory=dict)

    def count(self, entity: Entity) -> int:
        return sum(1 for kind, _, _ in self.records if kind is entity)

    def bodies(self, entity: Entity) -> dict[str, dict[str, Any]]:
        return {platform_id: body for kind, platform_id, body in self.records if kind is entity}

    @property
    def discounts(self) -> int:
        return sum(1 for body in self.bodies(Entity.PAYMENT).values() if Decimal(body["discount"]) > 0)

    @property
    def fees(self) -> int:
        return sum(1 for body in self.bodies(Entity.PAYMENT).values() if Decimal(body["fee"]) > 0)


def tenant_books(contacts: int, invoices: int, credit_notes: int, on: date) -> Books:
    """A tenant's books of `contacts` customers and `invoices` paid invoices, `credit_notes` of them
    credited, all dated `on`."""
    if contacts < 1 or invoices < 0 or not 0 <= credit_notes <= invoices:
        raise ValueError("at least one contact, and no more credit notes than invoices")
    written = Books()
    for n in range(contacts):
        written.records.append((Entity.CONTACT, _contact_id(n), _contact(n)))
    credited_every = invoices // credit_notes if credit_notes else 0
    for n in range(invoices):
        invoice_id = f"inv-{n:05d}"
        body = _invoice(n, contacts, on)
        total = _total(body)
        written.records.append((Entity.INVOICE, invoice_id, body))
        written.totals[Entity.INVOICE, invoice_id] = total
        if credited_every and n % credited_every == 0 and n // credited_every < credit_notes:
            credit_note_id = f"cn-{n // credited_every:04d}"
            credit = _credit_note(body["contact_id"], invoice_id, on)
            written.records.append((Entity.CREDIT_NOTE, credit_note_id, credit))
            written.totals[Entity.CREDIT_NOTE, credit_note_id] = CREDIT
            total -= CREDIT
        discount = DISCOUNT if n % DISCOUNT_EVERY == DISCOUNT_EVERY // 2 else Decimal(0)
        fee = Decimal("1.50") + Decimal(n % 7) / 4 if n % FEE_EVERY == 2 else Decimal(0)
        payment_id = f"pay-{n:05d}"
        amount = total - discount
        written.records.append((Entity.PAYMENT, payment_id, _payment(invoice_id, amount, discount, fee, on)))
        written.totals[Entity.PAYMENT, payment_id] = amount
    return written


def _contact_id(n: int) -> str:
    return f"cus-{n:05d}"


def _contact(n: int) -> dict[str, Any]:
    return {"name": f"Customer {n:05d}", "contact_number": f"C{n:05d}", "email": f"accounts{n:05d}@customer.example"}


def _invoice(n: int, contacts: int, on: date) -> dict[str, Any]:
    lines = [
        {"description": f"Job {n} part {part}", "unit_amount": str(40 + (n * 7 + part * 13) % 60), "tax_code": "GST"}
        for part in range(2 + n % 2)
    ]
    return {
        "contact_id": _contact_id(n % contacts),
        "number": f"INV-{n:05d}",
        "date": on.isoformat(),
        "due_date": on.isoformat(),
        "job_number": f"J-{n:05d}",
        "lines": lines,
    }


def _credit_note(contact_id: str, invoice_id: str, on: date) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "date": on.isoformat(),
        "lines": [{"description": f"Goodwill on {invoice_id}", "unit_amount": "20", "tax_code": "GST"}],
        "allocations": [{"invoice_id": invoice_id, "amount": str(CREDIT)}],
    }


def _payment(invoice_id: str, amount: Decimal, discount: Decimal, fee: Decimal, on: date) -> dict[str, Any]:
    return {
        "invoice_id": invoice_id,
        "date": on.isoformat(),
        "amount": str(amount),
        "bank_account": "main",
        "discount": str(discount),
        "fee": str(fee),
    }


def _total(invoice: dict[str, Any]) -> Decimal:
    """What the platform bills: each line plus its GST (whole dollars, so exact to the cent)."""
    return sum((Decimal(line["unit_amount"]) * (1 + GST) for line in invoice["lines"]), Decimal(0))
