"""Edit to event on the local stack: `python -m local_stack` started as the end-to-end tests start it
(tests/e2e/local_stack_process.py), then N invoices entered by a Xero user in the demo tenant's
organisation, each timed from the edit to its record.created event on the stage's bus (the capture
queue the local stack subscribes to it). Real processes all the way: the simulator's webhooks (their
batch window), the webhook function behind the local gateway, the work queue and the sync worker on
moto, the pull against the simulator, the bus.

Then, the tenant still at work (its webhooks began the accounts watch), N expense accounts archived
one after another, each timed to its record.deleted event: no webhook, the watch's next look
(shared/domain/inbound/watch.py). Its minimum is the wait for that look: half the look period at the
median, the whole period at worst.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import httpx

from local_stack.event_capture import captured_events
from local_stack.moto_server import FAKE_CREDENTIALS
from shared.domain.inbound.watch import WATCH_EVERY
from shared.resources import ResourceNames
from tests.e2e.local_stack_process import READY, STAGE, start_local_stack
from xero_simulator.webhooks.dispatcher import WebhookSettings

POLL_SECONDS = 0.05
GIVE_UP_SECONDS = 30.0


def _invoice(contact_id: str, n: int) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    line = {"Description": f"Call-out {n}", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200", "TaxType": "OUTPUT"}
    return {
        "Type": "ACCREC",
        "Contact": {"ContactID": contact_id},
        "Date": today.isoformat(),
        "DueDate": (today + timedelta(days=14)).isoformat(),
        "Status": "AUTHORISED",
        "LineItems": [line],
    }


def edits_to_events(edits: int) -> dict[str, Any]:
    """Start the local stack, make `edits` new invoices as a Xero user one after another, and time each."""
    stack = start_local_stack("--gateway-port", "0", "--moto-port", "0", "--simulator-port", "0")
    started = time.perf_counter()
    try:
        stack.read_until(READY)
        startup = time.perf_counter() - started
        stack_at = stack.addresses()
        base, key, tenant_id = stack_at.api, stack_at.api_key, stack_at.tenant_id
        simulator, moto = stack_at.simulator, stack_at.moto
        sqs = boto3.client(
            "sqs",
            endpoint_url=moto,
            region_name="eu-west-1",
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        names = ResourceNames(STAGE)
        with (
            httpx.Client(base_url=base, headers={"x-api-key": key}, timeout=30) as api,
            httpx.Client(base_url=f"{simulator}/_sim", timeout=30) as control,
        ):
            org = api.get(f"/tenants/{tenant_id}/connection").json()["organisation"]["xero_tenant_id"]

            def act(method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
                acted = control.post(f"/organisations/{org}/act", json={"method": method, "path": path, "body": body})
                answer: dict[str, Any] = acted.json()
                if answer.get("status") != 200:
                    raise RuntimeError(f"{method} {path}: {answer}")
                body_: dict[str, Any] = answer["body"]
                return body_

            captured_events(names, sqs=sqs)  # what the demo published is not timed
            contact = act("PUT", "/Contacts", {"Contacts": [{"Name": f"Bench Cafe {time.time_ns()}"}]})
            contact_id = contact["Contacts"][0]["ContactID"]
            _wait_for(names, sqs, "contact", contact_id, time.monotonic())
            seconds = []
            for n in range(edits):
                at = time.monotonic()
                created = act("PUT", "/Invoices", {"Invoices": [_invoice(contact_id, n)]})
                seconds.append(_wait_for(names, sqs, "invoice", created["Invoices"][0]["InvoiceID"], at))
            accounts = [
                account
                for account in act("GET", "/Accounts", {})["Accounts"]
                if account["Type"] == "EXPENSE" and account["Status"] == "ACTIVE" and not account.get("SystemAccount")
            ]
            archived = []
            for account in accounts[:edits]:
                at = time.monotonic()
                act("POST", f"/Accounts/{account['AccountID']}", {"Accounts": [{"Status": "ARCHIVED"}]})
                archived.append(_wait_for(names, sqs, "account", account["AccountID"], at, "record.deleted"))
    finally:
        if stack.process.poll() is None:
            stack.process.terminate()
            try:
                stack.process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # still running: kill it, it is ours
                stack.process.kill()
                stack.process.wait()
    window = WebhookSettings().batch_window_seconds
    return {
        "edits": edits,
        "seconds": [round(s, 3) for s in seconds],
        "p50_seconds": {"measured": round(statistics.median(seconds), 3), "minimum": window},
        "max_seconds": {"measured": round(max(seconds), 3), "minimum": window},
        "archived_account_seconds": [round(s, 3) for s in archived],
        "archived_account_p50_seconds": {
            "measured": round(statistics.median(archived), 3),
            "minimum": WATCH_EVERY.total_seconds() / 2,
        },
        "archived_account_max_seconds": {"measured": round(max(archived), 3), "minimum": WATCH_EVERY.total_seconds()},
        "local_stack_startup_seconds": round(startup, 1),
    }


def _wait_for(  # noqa: PLR0917 - the stage, its bus and the event looked for
    names: ResourceNames, sqs: Any, entity: str, xero_id: str, since: float, told: str = "record.created"
) -> float:
    """Wall seconds from `since` until the `told` event of `entity` `xero_id` is on the bus."""
    platform_id = f"xero-{xero_id}"
    while time.monotonic() - since < GIVE_UP_SECONDS:
        for event in captured_events(names, sqs=sqs):
            data = event.get("detail", {}).get("data", {})
            if event.get("detail-type") == told and (data.get("entity"), data.get("platform_id")) == (
                entity,
                platform_id,
            ):
                return time.monotonic() - since
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"no {told} for {entity} {platform_id} within {GIVE_UP_SECONDS:g} s")
