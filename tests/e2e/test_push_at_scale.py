"""The sync to Xero at scale on the local stack (issue 4, Done means): a connected tenant writes 1,000
customers, 5,000 invoices with line items and receipts for 1,000 of them (100 with an early-payment
discount, 200 with the platform's fee) through the records API; the sync worker sends them within
Xero's real limits, while Xero's webhooks echo every write back; at the end Xero and the platform
agree record for record.

Slow by nature (about 270 calls at a backfill's 48 a minute; each discount's allocation is a call of
its own): it runs in its own local stack, beside the rest of the suite, in about 11 minutes.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.e2e.local_stack_process import RunningStack, running_stack

pytestmark = pytest.mark.e2e

CUSTOMERS = 1_000
INVOICES = 5_000
BULK = 500
DAY = "2026-11-02"
# Each invoice: 100.00 + 50.00 before GST at 10%.
INVOICE_TOTAL = Decimal("165.00")
PAID_EVERY = 5  # a receipt for every 5th invoice: 1,000 in all
DISCOUNTED_EVERY = 50  # every 50th invoice's receipt has a discount: 100 in all
FEE_EVERY = 25  # every 25th invoice's receipt has the platform's fee: 200 in all
DISCOUNT = Decimal("5.00")
FEE = Decimal("1.00")
SYNC_DEADLINE_SECONDS = 30 * 60
POLL_SECONDS = 20
FEE_SUPPLIER = "Payment processing fees"  # the default settings.fee_supplier


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    # The scheduler nudges deferred pushes every 10 s here (every minute in AWS), so waits end promptly.
    with running_stack("--sync-due-seconds", "10") as running:
        yield running


@pytest.fixture
def control(stack: RunningStack) -> Iterator[httpx.Client]:
    """The simulator's control API: its counters, and reads as a Xero user."""
    simulator = stack.addresses().simulator
    with httpx.Client(base_url=f"{simulator}/_sim", timeout=60) as client:
        yield client


def test_six_thousand_records_and_a_thousand_receipts_reach_xero_once_each(
    stack: RunningStack, control: httpx.Client
) -> None:
    # Given the demo's tenant, connected, its accounts mapped and its sync on
    at = stack.addresses()
    base, key, tenant_id = at.api, at.api_key, at.tenant_id
    control.post("/counters/reset").raise_for_status()
    with httpx.Client(base_url=base, headers={"x-api-key": key}, timeout=60) as api:
        xero_tenant_id = api.get(f"/tenants/{tenant_id}/connection").json()["organisation"]["xero_tenant_id"]
        # When the platform writes its customers, invoices and receipts in bulk
        write_all(api, tenant_id, "contact", {f"scale-cus-{n}": customer(n) for n in range(CUSTOMERS)})
        write_all(api, tenant_id, "invoice", {f"scale-inv-{n}": invoice(n) for n in range(INVOICES)})
        write_all(api, tenant_id, "payment", {f"scale-pay-{n}": receipt(n) for n in range(0, INVOICES, PAID_EVERY)})
        # Then the sync worker sends every one of them, none failed, skipped or parked
        counts = wait_until_nothing_waits(api, tenant_id)
        troubles = {entity: (c["failed"], c["skipped"], c["parked"]) for entity, c in counts.items()}
        assert troubles == dict.fromkeys(counts, (0, 0, 0))
        invoices_to_xero = xero_ids(api, tenant_id, "invoice")
        receipts_to_xero = xero_ids(api, tenant_id, "payment")
        contacts_to_xero = xero_ids(api, tenant_id, "contact")
    # And Xero's limits were kept ahead of time: not one call was answered 429
    seen = control.get("/counters").json()
    calls = sum(c["count"] for c in seen["calls"] if c["tenantId"] == xero_tenant_id)
    print(f"Xero calls for the tenant: {calls}; 429s: {seen['rateLimited']}")  # seen with -s
    assert seen["rateLimited"] == {}
    xero_invoices = read_all(control, xero_tenant_id, "Invoices")
    xero_contacts = read_all(control, xero_tenant_id, "Contacts")
    xero_payments = read_all(control, xero_tenant_id, "Payments")
    xero_credit_notes = read_all(control, xero_tenant_id, "CreditNotes")
    # And Xero holds each invoice once (beside the demo organisation's own), paid in full where the
    # platform has its receipt
    sales = {i["InvoiceID"]: i for i in xero_invoices if i["Type"] == "ACCREC"}
    ours = [invoices_to_xero[f"scale-inv-{n}"] for n in range(INVOICES)]
    numbers = Counter(i["InvoiceNumber"] for i in sales.values() if i["InvoiceNumber"].startswith("SCALE-"))
    assert len(set(ours)) == INVOICES == len(numbers)
    assert set(numbers.values()) == {1}
    assert all(sales[x]["InvoiceNumber"] == f"SCALE-{n:05}" for n, x in enumerate(ours))
    assert all(Decimal(str(sales[x]["Total"])) == INVOICE_TOTAL for x in ours)
    statuses = Counter((n % PAID_EVERY == 0, sales[x]["Status"]) for n, x in enumerate(ours))
    assert statuses == {
        (True, "PAID"): INVOICES // PAID_EVERY,
        (False, "AUTHORISED"): INVOICES - INVOICES // PAID_EVERY,
    }
    # And each customer once, each receipt once, each discount and fee once
    names = Counter(c["Name"] for c in xero_contacts)
    assert all(names[f"Customer {n}"] == 1 for n in range(CUSTOMERS))
    customers = {contacts_to_xero[f"scale-cus-{n}"] for n in range(CUSTOMERS)}
    assert customers <= {c["ContactID"] for c in xero_contacts}
    live = [p for p in xero_payments if p["Status"] != "DELETED"]
    receipts = {p["PaymentID"] for p in live if p["Invoice"]["InvoiceID"] in set(ours)}
    assert receipts == {receipts_to_xero[f"scale-pay-{n}"] for n in range(0, INVOICES, PAID_EVERY)}
    fee_bills = {
        i["InvoiceID"]: i for i in xero_invoices if i["Type"] == "ACCPAY" and i["Contact"]["Name"] == FEE_SUPPLIER
    }
    assert (len(fee_bills), {i["Status"] for i in fee_bills.values()}) == (INVOICES // FEE_EVERY, {"PAID"})
    assert len([p for p in live if p["Invoice"]["InvoiceID"] in fee_bills]) == INVOICES // FEE_EVERY
    discounts = [c for c in xero_credit_notes if c["Contact"]["ContactID"] in customers]
    assert (len(discounts), {c["Status"] for c in discounts}) == (INVOICES // DISCOUNTED_EVERY, {"PAID"})


def customer(n: int) -> dict[str, Any]:
    return {"name": f"Customer {n}", "email": f"customer{n}@example.com", "contact_number": f"C{n:05}"}


def invoice(n: int) -> dict[str, Any]:
    return {
        "contact_id": f"scale-cus-{n % CUSTOMERS}",
        "number": f"SCALE-{n:05}",
        "date": DAY,
        "due_date": DAY,
        "lines": [
            {"description": "Labour", "quantity": "2", "unit_amount": "50.00", "tax_code": "GST"},
            {"description": "Parts", "unit_amount": "50.00", "tax_code": "GST"},
        ],
    }


def receipt(n: int) -> dict[str, Any]:
    discount = DISCOUNT if n % DISCOUNTED_EVERY == 0 else Decimal(0)
    return {
        "invoice_id": f"scale-inv-{n}",
        "date": DAY,
        "amount": str(INVOICE_TOTAL - discount),
        "bank_account": "main",
        "discount": str(discount),
        "fee": str(FEE if n % FEE_EVERY == 0 else Decimal(0)),
    }


def write_all(api: httpx.Client, tenant_id: str, entity: str, records: dict[str, dict[str, Any]]) -> None:
    items = [{"id": platform_id, "body": body} for platform_id, body in records.items()]
    for start in range(0, len(items), BULK):
        answer = api.post(f"/tenants/{tenant_id}/records/{entity}/bulk", json={"records": items[start : start + BULK]})
        assert answer.status_code == 200, answer.text[:1000]


def wait_until_nothing_waits(api: httpx.Client, tenant_id: str) -> dict[str, dict[str, int]]:
    deadline = time.monotonic() + SYNC_DEADLINE_SECONDS
    while True:
        status = api.get(f"/tenants/{tenant_id}/sync/status").json()
        counts = {e["entity"]: e["counts"] for e in status["entities"]}
        if all(c["pending"] == 0 and c["in_flight"] == 0 for c in counts.values()):
            return counts
        assert time.monotonic() < deadline, f"still waiting after {SYNC_DEADLINE_SECONDS} s: {counts}"
        print(f"{time.strftime('%H:%M:%S')} waiting: {counts}", flush=True)  # seen with -s
        time.sleep(POLL_SECONDS)


def xero_ids(api: httpx.Client, tenant_id: str, entity: str) -> dict[str, str]:
    """Every record's Xero id, as the platform's ledger has it."""
    found: dict[str, str] = {}
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = api.get(f"/tenants/{tenant_id}/records/{entity}", params=params).json()
        for record in page["records"]:
            found[record["platform_id"]] = record["ledger"]["xero_id"]
        cursor = page.get("next_cursor")
        if not cursor:
            return found


def read_all(control: httpx.Client, xero_tenant_id: str, collection: str) -> list[dict[str, Any]]:
    """Everything Xero holds in `collection`, read as a Xero user (no app's rate limit is spent)."""
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        query = {"page": str(page), "pageSize": "1000"}
        acted = control.post(
            f"/organisations/{xero_tenant_id}/act", json={"method": "GET", "path": f"/{collection}", "query": query}
        )
        assert acted.status_code == 200, acted.text[:500]
        listed = acted.json()["body"][collection]
        found.extend(listed)
        if len(listed) < 1000:
            return found
        page += 1
