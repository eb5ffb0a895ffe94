"""A tenant connects Xero in a real browser: hosted authorise URL, Xero's consent with two
organisations, xero-sync's organisation picker, the platform's return URL; then the tokens are in
the tenant's secret and the connection record names the organisation picked.

Drives Debian's Chromium headless through Playwright (scripts/install-chromium puts it there).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from shared.resources import ResourceNames
from tests.e2e.local_stack_process import RunningStack

pytestmark = pytest.mark.e2e

STAGE = "e2e"
DEMO_USER = "demo@example.com"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: run scripts/install-chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _printed(stack: RunningStack, prefix: str) -> str:
    return stack.line_starting(prefix)


def _endpoints(stack: RunningStack) -> tuple[str, str, str, str]:
    """The gateway URL, the platform API key, the simulator URL and moto's URL the stack printed."""
    api_line = _printed(stack, "Platform API:")
    gateway = api_line.split()[2].removesuffix("/v1")
    api_key = api_line.rsplit(" ", 1)[1].rstrip(")")
    urls = _printed(stack, "Xero simulator:").split()
    return gateway, api_key, urls[2], urls[-1]


def test_a_tenant_connects_through_the_browser_and_picks_one_of_two_organisations(
    local_stack: RunningStack, browser: Browser
) -> None:
    # Given a tenant, a connect session returning to the platform, and the demo user's two organisations
    gateway, api_key, simulator, moto = _endpoints(local_stack)
    api = httpx.Client(base_url=f"{gateway}/v1", headers={"x-api-key": api_key}, timeout=30)
    tenant_id = api.post("/tenants", json={"name": "Browser Tenant"}).json()["tenant_id"]
    session = api.post(f"/tenants/{tenant_id}/connect-sessions", json={"return_url": f"{gateway}/_platform/return"})
    assert session.status_code == 201, session.text
    organisations = {
        o["name"]: o["tenant_id"] for o in httpx.get(f"{simulator}/_sim/organisations").json()["organisations"]
    }
    australia, new_zealand = organisations["Demo Company (AU)"], organisations["Demo Company (NZ)"]

    # When the tenant opens the hosted authorise URL, signs in, allows both organisations and picks AU
    page = browser.new_page()
    page.goto(session.json()["authorize_url"])
    page.fill("#email", DEMO_USER)
    page.click("#sign-in")
    page.check(f"#tenant-{australia}")
    page.check(f"#tenant-{new_zealand}")
    page.click("#allow")
    page.wait_for_selector(f"#org-{australia}")
    page.check(f"#org-{australia}")
    page.click("#pick")
    page.wait_for_url(f"{gateway}/_platform/return*")

    # Then the browser is back on the platform's return URL, connected
    returned = parse_qs(urlsplit(page.url).query)
    assert returned["status"] == ["connected"]
    assert returned["tenant_id"] == [tenant_id]
    # And the tenant's token secret holds a token set encrypted with the tokens key
    names = ResourceNames(STAGE)
    aws = {
        "endpoint_url": moto,
        "region_name": "eu-west-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    secrets = boto3.client("secretsmanager", **aws)
    stored = json.loads(secrets.get_secret_value(SecretId=names.token_secret(tenant_id))["SecretString"])
    assert stored["access_token"].count(".") == 2  # a JWT, as Xero issues
    assert stored["refresh_token"]
    assert secrets.describe_secret(SecretId=names.token_secret(tenant_id))["KmsKeyId"]
    # And the connection record names the organisation picked, and is what the API reports
    record = boto3.client("dynamodb", **aws).get_item(
        TableName=names.state_table, Key={"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": "CONNECTION"}}
    )["Item"]
    assert record["status"]["S"] == "connected"
    assert record["xero_tenant_id"]["S"] == australia
    status = api.get(f"/tenants/{tenant_id}/connection").json()
    assert status["status"] == "connected"
    assert status["organisation"] == {"xero_tenant_id": australia, "name": "Demo Company (AU)"}
    # And the organisation not picked was disconnected at Xero, so it does not count against the app
    connections = httpx.get(f"{simulator}/_sim/connections").json()["connections"]
    connected_tenants = {c["tenant_id"] for c in connections}
    assert australia in connected_tenants
    assert new_zealand not in connected_tenants
    page.close()
