"""The scripted demo the local stack runs once it is up: a platform connects a tenant to Xero, end to end over HTTP.

As the platform: create an API key, a tenant and a connect session through the platform API. As the
tenant's browser: open the hosted authorise URL, sign in to the simulated Xero, allow both demo
organisations, pick one on the hosted picker, land on the platform's return URL. As the platform
again: test the connection, read its status and the connection event on the bus. Then a Xero user
adds a contact, and the webhook's message arrives on the work queue. Last, the platform maps the
tenant's accounts, switches its sync on and writes a customer, an invoice (exported at once) and a
receipt (sent by the sync worker). Each step prints one line; a step that fails raises
DemoStepFailedError saying what failed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from local_stack.browser import Browser, FormMissingError
from local_stack.event_capture import captured_events
from local_stack.gateway import PLATFORM_RETURN_PATH
from local_stack.stack import LocalStack
from shared.adapters.dynamodb_state import DynamoDbState
from shared.domain.platform_events import EventType
from shared.ports.work_queue import change_notices_group
from shared.usecases.api_keys import create_api_key as issue_api_key

Say = Callable[[str], None]
WEBHOOK_WAIT_SECONDS = 20.0


class DemoStepFailedError(Exception):
    """A step of the demo did not do what it should; the message names the step and what happened."""


@dataclass(frozen=True)
class DemoOutcome:
    api_key: str
    tenant_id: str
    organisation_name: str


def run_demo(stack: LocalStack, say: Say) -> DemoOutcome:
    """Run every step against the started stack; the API key it created and the connected tenant."""
    world = stack.demo_world
    if world is None:
        raise DemoStepFailedError("the local stack has not started")
    api_key = create_api_key(stack)
    say(f"API key created (key id {api_key.split('_')[1]})")
    with httpx.Client(base_url=f"{stack.gateway_url}/v1", headers={"x-api-key": api_key}, timeout=30) as api:
        tenant_id = _expect(api.post("/tenants", json={"name": "Demo tenant"}), "create a tenant")["tenant_id"]
        say(f"tenant created: {tenant_id}")
        authorize_url = create_connect_session(api, tenant_id, stack.return_url)
        say(f"connect session created: {authorize_url}")
        chosen = world.organisations[0]
        outcome = connect_in_browser(
            authorize_url,
            world.user.email,
            [org.organisation_id for org in world.organisations],
            chosen.organisation_id,
            say,
        )
        if outcome.get("status") != "connected" or outcome.get("tenant_id") != tenant_id:
            raise DemoStepFailedError(f"the browser came back without a connection: {outcome}")
        say(f"back on the platform's return URL: status={outcome['status']} tenant_id={outcome['tenant_id']}")
        test = _expect(api.post(f"/tenants/{tenant_id}/connection/test"), "test the connection")
        if not test.get("ok"):
            raise DemoStepFailedError(f"the connection test failed: {test.get('outcome')}: {test.get('message')}")
        say(f"connection test: {test['outcome']}: {test['message']}")
        status = _expect(api.get(f"/tenants/{tenant_id}/connection"), "read the connection status")
        organisation = status.get("organisation") or {}
        if status.get("status") != "connected" or organisation.get("xero_tenant_id") != chosen.organisation_id:
            raise DemoStepFailedError(f"the connection status is not connected to {chosen.name}: {status}")
        say(
            f"connection status: {status['status']} to {organisation.get('name')} ({organisation['xero_tenant_id']}), "
            f"{len(status.get('scopes', []))} scopes, connected since {status.get('connected_since')}"
        )
        show_connection_event(stack, tenant_id, say)
        show_webhook_arriving(stack, tenant_id, chosen.organisation_id, say)
        show_records_reaching_xero(api, tenant_id, say)
    return DemoOutcome(api_key=api_key, tenant_id=tenant_id, organisation_name=chosen.name)


def create_api_key(stack: LocalStack) -> str:
    """A platform API key, stored hashed in the stage's table, as an operator would create one."""
    state = DynamoDbState.for_table(stack.names.state_table, region_name=stack.settings.region)
    return issue_api_key(state.api_keys, "local stack demo", datetime.now(UTC)).key


def create_connect_session(api: httpx.Client, tenant_id: str, return_url: str) -> str:
    """A hosted authorise URL for `tenant_id` that brings the browser back to `return_url`."""
    answer = _expect(
        api.post(f"/tenants/{tenant_id}/connect-sessions", json={"return_url": return_url}),
        "create a connect session",
    )
    return str(answer["authorize_url"])


def connect_in_browser(authorize_url: str, email: str, allowed: list[str], chosen: str, say: Say) -> dict[str, str]:
    """Drive the hosted authorise URL as the tenant's browser; the outcome query of the platform's return URL."""
    browser = Browser()
    try:
        sign_in = browser.open(authorize_url)
        consent = browser.submit(sign_in, "sign-in-form", [("email", email)])
        answer = browser.submit(consent, "consent-form", [*(("tenant", t) for t in allowed), ("decision", "allow")])
        say(f"signed in to Xero as {email} and allowed {len(allowed)} organisations")
        if urlsplit(str(answer.url)).path != PLATFORM_RETURN_PATH:
            answer = browser.submit(answer, "pick-form", [("organisation", chosen)])
            say(f"picked organisation {chosen} on the hosted picker")
    except FormMissingError as missing:
        raise DemoStepFailedError(f"the browser flow stopped: {missing}") from missing
    finally:
        browser.close()
    landed = urlsplit(str(answer.url))
    if landed.path != PLATFORM_RETURN_PATH:
        raise DemoStepFailedError(f"the browser ended on {answer.url} ({answer.status_code}), not the return URL")
    return {name: values[0] for name, values in parse_qs(landed.query).items()}


def show_connection_event(stack: LocalStack, tenant_id: str, say: Say) -> None:
    """Print the connection event the platform received on the bus (the local capture queue holds a copy)."""
    events = [e for e in captured_events(stack.names) if e.get("detail", {}).get("tenant_id") == tenant_id]
    connected = [e for e in events if e.get("detail-type") == EventType.CONNECTION_CONNECTED]
    if not connected:
        raise DemoStepFailedError(f"no {EventType.CONNECTION_CONNECTED} event for {tenant_id} on the bus: {events}")
    event = connected[-1]
    say(f"event on the bus: {event['source']} {event['detail-type']} {event['detail']}")


def show_webhook_arriving(stack: LocalStack, tenant_id: str, xero_tenant_id: str, say: Say) -> None:
    """A Xero user adds a contact; Xero's webhook reaches the webhook function and its message the work queue."""
    name = f"Local stack demo contact {int(time.time())}"
    before = stack.consumer.received(change_notices_group(tenant_id))
    with httpx.Client(base_url=f"{stack.simulator_url}/_sim", timeout=30) as control:
        acted = _expect(
            control.post(
                f"/organisations/{xero_tenant_id}/act",
                json={"method": "PUT", "path": "/Contacts", "body": {"Contacts": [{"Name": name}]}},
            ),
            "add a contact as a Xero user",
        )
        if acted.get("status") != 200:
            raise DemoStepFailedError(f"the simulator refused the contact: {acted}")
        say(f"a Xero user added the contact {name!r}; Xero sends a signed webhook")
        _expect(control.post("/webhooks/flush"), "deliver the webhook now")
    deadline = time.monotonic() + WEBHOOK_WAIT_SECONDS
    while stack.consumer.received(change_notices_group(tenant_id)) == before:
        if time.monotonic() > deadline:
            raise DemoStepFailedError(
                f"no work message for tenant {tenant_id} arrived within {WEBHOOK_WAIT_SECONDS:g} s"
            )
        time.sleep(0.1)


# The demo organisations' chart (xero_simulator/charts/au.py): Sales, Cost of Goods Sold, Bank Fees,
# the business bank account; GST on income.
DEMO_SETTINGS = {
    "enabled": True,
    "sales_account": "200",
    "expense_account": "310",
    "fee_account": "404",
    "tax_rates": {"GST": "OUTPUT"},
    "bank_accounts": {"main": "090"},
}


def show_records_reaching_xero(api: httpx.Client, tenant_id: str, say: Say) -> None:
    """The platform maps the tenant's accounts, switches its sync on and writes a customer, an invoice
    and a receipt; the invoice is exported at once, the receipt follows through the sync worker."""
    reference = _wait_for(api, f"/tenants/{tenant_id}/xero/reference", "the organisation's reference data")
    say(
        f"reference data pulled on connect: {len(reference['accounts'])} accounts, "
        f"{len(reference['tax_rates'])} tax rates, base currency {reference['base_currency']}"
    )
    _expect(api.put(f"/tenants/{tenant_id}/sync/enabled", json={"enabled": True}), "switch the sync on")
    _expect(api.put(f"/tenants/{tenant_id}/sync/settings", json=DEMO_SETTINGS), "save the sync settings")
    records = f"/tenants/{tenant_id}/records"
    today = datetime.now(UTC).date().isoformat()
    _expect(api.put(f"{records}/contact/cus-1", json={"name": "Bayside Club"}), "write a customer")
    invoice = {
        "contact_id": "cus-1",
        "date": today,
        "due_date": today,
        "job_number": "J-1042",
        "lines": [
            {"description": "Blocked drain, 2 hours", "quantity": "2", "unit_amount": "150.00", "tax_code": "GST"}
        ],
    }
    _expect(api.put(f"{records}/invoice/inv-1", json=invoice), "write an invoice")
    exported = _expect(api.post(f"{records}/invoice/export", json={"ids": ["inv-1"]}), "export the invoice")
    if exported.get("exported") != 1:
        raise DemoStepFailedError(f"the invoice was not exported: {exported}")
    say(f"export: {exported['summary']}")
    receipt = {"invoice_id": "inv-1", "date": today, "amount": "330.00", "bank_account": "main"}
    _expect(api.put(f"{records}/payment/pay-1", json=receipt), "write a receipt")
    paid = _wait_for(api, f"{records}/payment/pay-1", "the receipt in Xero", synced=True)
    say(f"the sync worker sent the receipt: payment {paid['ledger']['xero_id']} in Xero")


def _wait_for(api: httpx.Client, path: str, what: str, *, synced: bool = False) -> dict[str, Any]:
    """GET `path` until it answers 200 (and, if asked, its ledger says synced)."""
    deadline = time.monotonic() + WEBHOOK_WAIT_SECONDS
    answer: httpx.Response | None = None
    while time.monotonic() < deadline:
        answer = api.get(path)
        if answer.status_code == 200 and (not synced or answer.json()["ledger"]["state"] == "synced"):
            body: dict[str, Any] = answer.json()
            return body
        time.sleep(0.2)
    seen = f"{answer.status_code} {answer.text[:300]}" if answer is not None else "no answer"
    raise DemoStepFailedError(f"{what} did not arrive within {WEBHOOK_WAIT_SECONDS:g} s: {seen}")


def _expect(response: httpx.Response, step: str) -> dict[str, Any]:
    if not response.is_success:
        raise DemoStepFailedError(f"{step}: HTTP {response.status_code} {response.text[:500]}")
    body: dict[str, Any] = response.json()
    return body
