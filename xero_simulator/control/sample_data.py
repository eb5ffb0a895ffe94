"""Realistic made-up records for seeding an organisation, in the shape an API client would PUT them.

The generator only writes requests: the Accounting routes decide what is saved, so generated data
obeys every rule the simulator enforces. Dates fall in the last 60 days but after the lock dates;
line items use the organisation's own sales, purchase and bank accounts and their tax types.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xero_simulator.world import Organisation

_TRADING_WORDS = (
    "Harbour", "Summit", "Copper", "Willow", "Granite", "Coastal", "Northern", "Silver", "Redgum", "Bluestone",
    "Riverbend", "Ironbark", "Meadow", "Lakeside", "Highland", "Orchard", "Kestrel", "Banksia", "Sandstone", "Tasman",
)  # fmt: skip
_TRADES = (
    "Plumbing", "Catering", "Design Studio", "Joinery", "Electrical", "Logistics", "Bakery", "Landscaping",
    "Consulting", "Printing", "Florist", "Coffee Roasters", "Physio", "Engineering", "Cleaning Services",
)  # fmt: skip
_SUFFIXES = ("Pty Ltd", "Co", "Group", "& Sons", "Partners", "Ltd", "")
_FIRST_NAMES = ("Olivia", "Jack", "Mia", "Noah", "Charlotte", "Liam", "Ava", "Oliver", "Isla", "Leo", "Grace", "Ethan")
_LAST_NAMES = ("Smith", "Nguyen", "Williams", "Brown", "Taylor", "Singh", "Wilson", "Martin", "Chen", "Walker")
_STREETS = ("George St", "King St", "Queen St", "Station Rd", "High St", "Church St", "Victoria Rd", "Park Ave")
_CITIES = (
    ("Sydney", "NSW", "2000"),
    ("Melbourne", "VIC", "3000"),
    ("Brisbane", "QLD", "4000"),
    ("Perth", "WA", "6000"),
)
_SERVICES = (
    ("Consulting - hourly", 150, 220), ("Site visit", 90, 180), ("Monthly retainer", 800, 2400),
    ("Installation labour", 70, 130), ("Design work", 110, 190), ("Materials", 15, 400), ("Delivery", 25, 90),
    ("Support plan", 49, 299), ("Training session", 300, 900), ("Equipment hire", 60, 350),
)  # fmt: skip
_PURCHASES = (
    ("Office supplies", 20, 300), ("Software subscription", 15, 250), ("Fuel", 40, 180), ("Advertising", 100, 1500),
    ("Telephone & internet", 60, 220), ("Subcontractor", 400, 3200), ("Freight", 30, 260), ("Repairs", 80, 900),
)  # fmt: skip
SALES_TYPES = ("REVENUE", "SALES")
PURCHASE_TYPES = ("EXPENSE", "DIRECTCOSTS", "OVERHEADS")


@dataclass(frozen=True)
class LedgerAccount:
    code: str
    tax_type: str


@dataclass(frozen=True)
class Ledgers:
    """The accounts generated documents post to: sales, purchases, and the bank payments come from."""

    sales: LedgerAccount
    purchases: LedgerAccount
    bank: LedgerAccount | None

    @staticmethod
    def of(org: Organisation) -> Ledgers:
        """The organisation's first active sales, purchase and bank accounts (by code); ValueError if it lacks one."""
        active = sorted(
            (a for a in org.records("Accounts").values() if a.get("Status") == "ACTIVE" and a.get("Code")),
            key=lambda a: str(a["Code"]),
        )

        def first(types: tuple[str, ...]) -> LedgerAccount | None:
            found = next((a for a in active if a["Type"] in types), None)
            return LedgerAccount(found["Code"], found.get("TaxType", "NONE")) if found else None

        sales, purchases = first(SALES_TYPES), first(PURCHASE_TYPES)
        if sales is None or purchases is None:
            raise ValueError("the organisation has no active sales or expense account to post to")
        return Ledgers(sales, purchases, first(("BANK",)))


class SampleData:
    """Makes one record request at a time from a seeded random source; names and codes never repeat."""

    def __init__(self, rng: random.Random, today: date, earliest: date, ledgers: Ledgers) -> None:
        self.rng = rng
        self.today = today
        self.earliest = earliest  # after the lock dates; may be later than today when they are
        self.ledgers = ledgers

    def _date(self) -> date:
        span = max(0, (self.today - self.earliest).days)
        return self.earliest + timedelta(days=self.rng.randint(0, span))

    def _money(self, low: int, high: int) -> float:
        return float(Decimal(self.rng.uniform(low, high)).quantize(Decimal("0.01")))

    def contact(self, taken_names: set[str]) -> dict[str, Any]:
        name = self._unique_name(taken_names)
        first, last = self.rng.choice(_FIRST_NAMES), self.rng.choice(_LAST_NAMES)
        city, region, postcode = self.rng.choice(_CITIES)
        domain = "".join(ch for ch in name.lower() if ch.isalnum())[:24] or "example"
        return {
            "Name": name,
            "FirstName": first,
            "LastName": last,
            "EmailAddress": f"{first.lower()}.{last.lower()}@{domain}.example.com",
            "Addresses": [
                {
                    "AddressType": "POBOX",
                    "AddressLine1": f"{self.rng.randint(1, 400)} {self.rng.choice(_STREETS)}",
                    "City": city,
                    "Region": region,
                    "PostalCode": postcode,
                }
            ],
            "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": f"{self.rng.randint(9000_0000, 9999_9999)}"}],
        }

    def _unique_name(self, taken: set[str]) -> str:
        for _ in range(1000):
            parts = (self.rng.choice(_TRADING_WORDS), self.rng.choice(_TRADES), self.rng.choice(_SUFFIXES))
            name = " ".join(p for p in parts if p)
            if name.lower() not in taken:
                taken.add(name.lower())
                return name
        name = f"{self.rng.choice(_TRADING_WORDS)} Trading {self.rng.randint(1000, 999_999)}"
        taken.add(name.lower())
        return name

    def item(self, taken_codes: set[str]) -> dict[str, Any]:
        description, low, high = self.rng.choice(_SERVICES)
        code = f"{description.split()[0].upper()[:6]}-{self.rng.randint(100, 99_999)}"
        while code.lower() in taken_codes:
            code = f"{description.split()[0].upper()[:6]}-{self.rng.randint(100, 99_999)}"
        taken_codes.add(code.lower())
        return {
            "Code": code,
            "Name": description,
            "Description": description,
            "SalesDetails": {
                "UnitPrice": self._money(low, high),
                "AccountCode": self.ledgers.sales.code,
                "TaxType": self.ledgers.sales.tax_type,
            },
            "PurchaseDetails": {
                "UnitPrice": self._money(low // 2 or 1, max(low, high // 2)),
                "AccountCode": self.ledgers.purchases.code,
                "TaxType": self.ledgers.purchases.tax_type,
            },
        }

    def _lines(self, sale: bool) -> list[dict[str, Any]]:
        account = self.ledgers.sales if sale else self.ledgers.purchases
        catalogue = _SERVICES if sale else _PURCHASES
        lines = []
        for _ in range(self.rng.randint(1, 3)):
            description, low, high = self.rng.choice(catalogue)
            lines.append(
                {
                    "Description": description,
                    "Quantity": self.rng.randint(1, 8),
                    "UnitAmount": self._money(low, high),
                    "AccountCode": account.code,
                    "TaxType": account.tax_type,
                }
            )
        return lines

    def invoice(self, contact_id: str, *, bill: bool = False) -> dict[str, Any]:
        issued = self._date()
        invoice: dict[str, Any] = {
            "Type": "ACCPAY" if bill else "ACCREC",
            "Contact": {"ContactID": contact_id},
            "Date": issued.isoformat(),
            "DueDate": (issued + timedelta(days=self.rng.choice((7, 14, 30)))).isoformat(),
            "LineAmountTypes": "Exclusive",
            "Status": "AUTHORISED" if self.rng.random() < 0.8 else "DRAFT",
            "LineItems": self._lines(sale=not bill),
        }
        if bill:
            invoice["InvoiceNumber"] = f"SUP-{self.rng.randint(10_000, 99_999)}"
        else:
            invoice["Reference"] = f"PO {self.rng.randint(1000, 9999)}"
        return invoice

    def credit_note(self, contact_id: str) -> dict[str, Any]:
        return {
            "Type": "ACCRECCREDIT",
            "Contact": {"ContactID": contact_id},
            "Date": self._date().isoformat(),
            "LineAmountTypes": "Exclusive",
            "Status": "AUTHORISED",
            "LineItems": self._lines(sale=True)[:1],
        }

    def payment(self, invoice: dict[str, Any], bank_code: str) -> dict[str, Any]:
        """A payment of the whole amount due, or of part of it one time in four."""
        due = Decimal(str(invoice["AmountDue"]))
        amount = due if self.rng.random() < 0.75 else (due / 2).quantize(Decimal("0.01"))
        issued = invoice.get("Date")
        paid_on = max(issued, self.earliest) if isinstance(issued, date) else max(self.today, self.earliest)
        return {
            "Invoice": {"InvoiceID": invoice["InvoiceID"]},
            "Account": {"Code": bank_code},
            "Date": paid_on.isoformat(),
            "Amount": float(amount),
        }
