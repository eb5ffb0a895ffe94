"""With every webhook delivery dropped, reconciliation alone brings the platform and Xero to agree on the
local stack (issue 5, Done means): a Xero user's new customer, invoice and payment, a rename and a void reach
the platform, and the platform's customer and invoice reach Xero, record for record.

The simulator's `drop` fault loses every delivery; the tenant's contacts, invoices and payments are reconciled
every minute (the shortest interval the settings accept) and the stack's sync-due rule fires every few seconds,
so the scheduled job, not a person, finds the kinds due and enqueues them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.e2e.local_stack_process import RunningStack, running_stack
from tests.e2e.test_changes_from_xero import TODAY, an_invoice

pytestmark = pytest.mark.e2e

RECONCILED = ("contact", "invoice", "payment")
INTERVAL_MINUTES = 1  # the shortest reconciliation interval the settings accept
DUE_RULE_SECONDS = 5  # the sync-due rule's period on this stack (a minute in AWS)
# One interval, the due rule's period and a run, twice over for a machine shared with other tests.
CONVERGE_WITHIN_SECONDS = 150.0
WEBHOOK_WITHIN_SECONDS = 15.0
POLL_SECONDS = 0.5

Change = tuple[str, str, str]  # (kind, entity, platform_id) as the change feed says it


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    with running_stack("--sync-due-seconds", str(DUE_RULE_SECONDS)) as running:
        yield running


@dataclass
class World:
    """The demo's tenant through the platform API, and its organisation through the simulator's control API."""

    api: httpx.Client
    control: httpx.Client
    tenant_id: str
    xero_tenant_id: str
    cursor: str | None = None
    feed: list[dict[str, Any]] = field(default_factory=list)

    def act(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """A call as a Xero user: it spends no app's rate limit."""
        acted = self.control.post(
            f"/organisations/{self.xero_tenant_id}/act", json={"method": method, "path": path, "body": body or {}}
        ).json()
        assert acted["status"] == 200, acted
        answered: dict[str, Any] = acted["body"]
        return answered

    def in_xero(self, collection: str, xero_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.act("GET", f"/{collection}/{xero_id}")[collection][0]
        return found

    def record(self, entity: str, platform_id: str) -> dict[str, Any]:
        answer = self.api.get(f"/tenants/{self.tenant_id}/records/{entity}/{platform_id}")
        assert answer.status_code == 200, f"{entity} {platform_id}: {answer.status_code} {answer.text[:300]}"
        found: dict[str, Any] = answer.json()
        return found

    def put_record(self, entity: str, platform_id: str, body: dict[str, Any]) -> None:
        self.api.put(f"/tenants/{self.tenant_id}/records/{entity}/{platform_id}", json=body).raise_for_status()

    def wait_for(self, changes: set[Change], pushed: list[tuple[str, str]], within: float) -> None:
        """Until the feed shows every change and each pushed record is synced with Xero; fails after `within` s."""
        deadline = time.monotonic() + within
        while True:
            self._read_feed()
            seen = {(c["kind"], c["entity"], c["platform_id"]) for c in self.feed}
            synced = all(self.record(*key)["ledger"]["state"] == "synced" for key in pushed)
            if changes <= seen and synced:
                return
            if time.monotonic() > deadline:
                progress = self.api.get(f"/tenants/{self.tenant_id}/sync/initial").json()
                notes = {kind["kind"]: kind["note"] for kind in progress["from_xero"] if kind["kind"] in RECONCILED}
                raise AssertionError(
                    f"not converged within {within:g} s: missing {sorted(changes - seen)}, pushed synced: {synced}, "
                    f"reconciliation: {notes}"
                )
            time.sleep(POLL_SECONDS)

    def _read_feed(self) -> None:
        while True:
            params = {"limit": "100", **({"cursor": self.cursor} if self.cursor else {})}
            page = self.api.get(f"/tenants/{self.tenant_id}/changes", params=params).json()
            self.feed += page["changes"]
            self.cursor = page.get("next_cursor") or self.cursor
            if not page["changes"]:
                return


@pytest.fixture
def world(stack: RunningStack) -> Iterator[World]:
    at = stack.addresses()
    with (
        httpx.Client(base_url=at.api, headers={"x-api-key": at.api_key}, timeout=30) as api,
        httpx.Client(base_url=f"{at.simulator}/_sim", timeout=30) as control,
    ):
        xero_tenant_id = api.get(f"/tenants/{at.tenant_id}/connection").json()["organisation"]["xero_tenant_id"]
        yield World(api, control, at.tenant_id, xero_tenant_id)


def xero(xero_id: str) -> str:
    """The platform id of a record that Xero made."""
    return f"xero-{xero_id}"


def net(lines: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(line["quantity"]) * Decimal(line["unit_amount"]) for line in lines), Decimal(0))


def deliveries(world: World) -> list[dict[str, Any]]:
    """Every webhook delivery the simulator formed, oldest first, with its state."""
    formed: list[dict[str, Any]] = world.control.get("/webhooks/deliveries").json()["deliveries"]
    return formed


def test_with_every_webhook_dropped_reconciliation_makes_the_platform_and_xero_agree(world: World) -> None:
    # Given a customer and an invoice a Xero user made while webhooks flowed, already on the platform
    kept_id = world.act("PUT", "/Contacts", {"Contacts": [{"Name": "Corner Deli"}]})["Contacts"][0]["ContactID"]
    voided_id = world.act("PUT", "/Invoices", {"Invoices": [an_invoice(kept_id)]})["Invoices"][0]["InvoiceID"]
    known = {("created", "contact", xero(kept_id)), ("created", "invoice", xero(voided_id))}
    world.wait_for(known, [], WEBHOOK_WITHIN_SECONDS)
    # And every webhook delivery from now on dropped
    world.control.post("/webhooks/flush").raise_for_status()
    world.control.post("/webhooks/faults", json={"kind": "drop", "ratio": 1}).raise_for_status()
    formed_before = len(deliveries(world))
    # And the tenant's contacts, invoices and payments reconciled every minute
    settings = world.api.get(f"/tenants/{world.tenant_id}/sync/settings").json()
    every_minute = {"reconcile_interval_minutes": INTERVAL_MINUTES}
    settings["inbound"] = {"kinds": dict.fromkeys(RECONCILED, every_minute)}
    world.api.put(f"/tenants/{world.tenant_id}/sync/settings", json=settings).raise_for_status()

    # When a Xero user adds a customer, invoices them and records the payment in full
    contact_id = world.act("PUT", "/Contacts", {"Contacts": [{"Name": "Harbour Cafe"}]})["Contacts"][0]["ContactID"]
    invoice_id = world.act("PUT", "/Invoices", {"Invoices": [an_invoice(contact_id)]})["Invoices"][0]["InvoiceID"]
    payment = {"Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": "090"}, "Date": str(TODAY), "Amount": 110}
    payment_id = world.act("PUT", "/Payments", {"Payments": [payment]})["Payments"][0]["PaymentID"]
    # And renames the first customer and voids its invoice
    world.act("POST", f"/Contacts/{kept_id}", {"Contacts": [{"Name": "Corner Deli & Grocer"}]})
    world.act("POST", f"/Invoices/{voided_id}", {"Invoices": [{"Status": "VOIDED"}]})
    # And the platform writes a customer and an invoice for them, which the push sends to Xero
    world.put_record("contact", "rc-cus", {"name": "Reconciled Plumbing"})
    line = {"description": "Tap washer", "quantity": "1", "unit_amount": "100.00", "tax_code": "GST"}
    invoice = {"contact_id": "rc-cus", "date": str(TODAY), "due_date": str(TODAY), "lines": [line]}
    world.put_record("invoice", "rc-inv", invoice)

    # Then the feed shows each of the Xero user's changes, and the platform's records are synced
    changed = {
        ("created", "contact", xero(contact_id)),
        ("created", "invoice", xero(invoice_id)),
        ("created", "payment", xero(payment_id)),
        ("updated", "contact", xero(kept_id)),
        ("deleted", "invoice", xero(voided_id)),
    }
    world.wait_for(changed, [("contact", "rc-cus"), ("invoice", "rc-inv")], CONVERGE_WITHIN_SECONDS)
    # And each record the Xero user made or changed is on the platform with Xero's current values
    for xero_id in (contact_id, kept_id):
        in_xero, record = world.in_xero("Contacts", xero_id), world.record("contact", xero(xero_id))
        assert (record["body"]["name"], record["deleted"]) == (in_xero["Name"], False)
    for xero_id, status in ((invoice_id, "PAID"), (voided_id, "VOIDED")):
        in_xero, record = world.in_xero("Invoices", xero_id), world.record("invoice", xero(xero_id))
        assert in_xero["Status"] == status
        platform = (net(record["body"]["lines"]), record["ledger"]["xero_status"], record["deleted"])
        assert platform == (Decimal(str(in_xero["SubTotal"])), status, status == "VOIDED")
    in_xero, record = world.in_xero("Payments", payment_id), world.record("payment", xero(payment_id))
    platform_payment = (record["body"]["invoice_id"], Decimal(record["body"]["amount"]), record["deleted"])
    assert platform_payment == (xero(invoice_id), Decimal(str(in_xero["Amount"])), False)
    # And each of the platform's records is in Xero exactly once, with its values, and not copied back
    customer_id = world.record("contact", "rc-cus")["ledger"]["xero_id"]
    named = world.act("GET", '/Contacts?where=Name=="Reconciled Plumbing"')["Contacts"]
    assert [contact["ContactID"] for contact in named] == [customer_id]
    invoiced = world.act("GET", f"/Invoices?ContactIDs={customer_id}")["Invoices"]
    expected = (world.record("invoice", "rc-inv")["ledger"]["xero_id"], "AUTHORISED", Decimal("100.00"))
    assert [(i["InvoiceID"], i["Status"], Decimal(str(i["SubTotal"]))) for i in invoiced] == [expected]
    for entity, copied in (("contact", customer_id), ("invoice", expected[0])):
        answer = world.api.get(f"/tenants/{world.tenant_id}/records/{entity}/{xero(copied)}")
        assert answer.status_code == 404, answer.text[:300]
    # And nothing was deleted that nobody deleted
    deleted = {(c["entity"], c["platform_id"]) for c in world.feed if c["kind"] == "deleted"}
    assert deleted == {("invoice", xero(voided_id))}
    # And the simulator delivered no webhook since: every delivery was dropped, the Xero user's edits among them
    since = deliveries(world)[formed_before:]
    assert {d["state"] for d in since} == {"dropped"}, since
    dropped_about = {event["resourceId"] for d in since for event in d["events"]}
    assert {contact_id, invoice_id, kept_id, voided_id} <= dropped_about
