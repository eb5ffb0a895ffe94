"""Control API setup: apps, users, organisations, lock dates, connections and disconnecting."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.simulator.conftest import Tenant
from xero_simulator.server import Simulator


def create(control: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = control.post(path, json=body)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def api_client(simulator: Simulator, token: str, tenant_id: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}", "xero-tenant-id": tenant_id, "Accept": "application/json"}
    return httpx.Client(base_url=f"{simulator.base_url}/api.xro/2.0", headers=headers, timeout=10)


def test_created_web_app_has_a_client_id_secret_and_webhook_key(control: httpx.Client) -> None:
    # Given the developer portal's new-app form
    # When a web app is created
    app = create(control, "/apps", {"name": "Sync", "redirect_uris": ["https://example.com/cb"]})
    # Then it has credentials and a webhook key, and can be read back
    assert app["kind"] == "web"
    assert app["client_id"]
    assert app["client_secret"]
    assert app["webhook_key"]
    assert control.get(f"/apps/{app['client_id']}").json()["client_secret"] == app["client_secret"]


def test_pkce_app_has_no_client_secret(control: httpx.Client) -> None:
    # Given a public client
    # When it is created
    app = create(control, "/apps", {"name": "Desktop", "kind": "pkce", "redirect_uris": ["http://localhost/cb"]})
    # Then it has no secret
    assert app["client_secret"] is None


def test_custom_connection_app_is_bound_to_one_organisation(control: httpx.Client) -> None:
    # Given an organisation
    org = create(control, "/organisations", {"name": "Bound Ltd"})
    # When a custom connection app is created for it
    app = create(
        control,
        "/apps",
        {"name": "M2M", "kind": "custom_connection", "tenant_id": org["tenant_id"], "scopes": ["accounting.contacts"]},
    )
    # Then it names that organisation and its scopes
    assert (app["custom_connection_tenant_id"], app["custom_connection_scopes"]) == (
        org["tenant_id"],
        ["accounting.contacts"],
    )


def test_app_with_webhook_url_waits_for_intent_to_receive(control: httpx.Client) -> None:
    # Given a webhook URL in the new-app form
    # When the app is created
    app = create(control, "/apps", {"name": "Hooked", "webhook_url": "http://127.0.0.1:9/hooks"})
    # Then its webhook is not enabled yet
    assert app["webhook_url"] == "http://127.0.0.1:9/hooks"
    assert app["webhook"]["status"] == "unverified"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "'name' must be a non-empty string"),
        ({"name": "X", "kind": "desktop"}, "'kind' must be one of web, pkce, custom_connection"),
        ({"name": "X", "redirect_uris": "https://a"}, "'redirect_uris' must be a list of strings"),
        ({"name": "X", "webhook_url": "ftp://a"}, "'webhook_url' must be an http:// or https:// URL"),
        ({"name": "X", "kind": "custom_connection"}, "'tenant_id' must be a non-empty string"),
    ],
)
def test_bad_app_is_refused_with_a_reason(control: httpx.Client, body: dict[str, Any], message: str) -> None:
    # Given an app the portal would not accept
    # When it is created
    answer = control.post("/apps", json=body)
    # Then the control API says what is wrong
    assert (answer.status_code, answer.json()) == (400, {"message": message})


def test_body_that_is_not_json_is_refused(control: httpx.Client) -> None:
    # Given a body that is not JSON
    # When it is posted
    answer = control.post("/apps", content=b"name=Sync", headers={"Content-Type": "application/json"})
    # Then the control API says so
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("the body is not valid JSON")


def test_organisation_is_created_with_its_users_and_country(control: httpx.Client) -> None:
    # Given a user
    user = create(control, "/users", {"email": "kiri@example.co.nz", "first_name": "Kiri", "last_name": "Ngata"})
    # When an NZ organisation is created for them
    org = create(control, "/organisations", {"name": "Kiwi Ltd", "country_code": "NZ", "user_ids": [user["user_id"]]})
    # Then it has NZ's currency, its chart, and the user can see it
    assert (org["country_code"], org["base_currency"]) == ("NZ", "NZD")
    assert org["records"]["Accounts"] > 0
    users = control.get("/users").json()["users"]
    assert users[0]["organisation_ids"] == [org["tenant_id"]]


def test_organisation_in_an_unsupported_country_is_refused(control: httpx.Client) -> None:
    # Given a country the simulator has no chart for
    # When an organisation is created there
    answer = control.post("/organisations", json={"name": "Maple Inc", "country_code": "CA"})
    # Then the control API refuses it
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("'country_code' CA is not supported")


def test_organisation_for_an_unknown_user_is_refused(control: httpx.Client) -> None:
    # Given a user id nobody has
    # When an organisation is created for it
    answer = control.post("/organisations", json={"name": "Ghost Ltd", "user_ids": ["nobody"]})
    # Then the control API refuses it
    assert (answer.status_code, answer.json()) == (400, {"message": "no user with user_id nobody"})


def test_unknown_organisation_is_not_found(control: httpx.Client) -> None:
    # Given no organisation with this id
    # When it is read
    answer = control.get("/organisations/00000000-0000-0000-0000-000000000000")
    # Then it is a 404
    assert answer.status_code == 404


def test_lock_dates_are_set_and_cleared(tenant: Tenant, control: httpx.Client) -> None:
    # Given an organisation with both lock dates set
    path = f"/organisations/{tenant.org.organisation_id}/lock-dates"
    control.put(path, json={"period_lock_date": "2026-03-31", "end_of_year_lock_date": "2025-06-30"})
    # When the period lock date is cleared
    answer = control.put(path, json={"period_lock_date": None}).json()
    # Then only the end-of-year lock date remains
    assert (answer["period_lock_date"], answer["end_of_year_lock_date"]) == (None, "2025-06-30")
    assert str(tenant.org.end_of_year_lock_date) == "2025-06-30"


def test_bad_lock_date_is_refused(tenant: Tenant, control: httpx.Client) -> None:
    # Given a lock date that is not a date
    # When it is set
    answer = control.put(f"/organisations/{tenant.org.organisation_id}/lock-dates", json={"period_lock_date": "soon"})
    # Then the control API refuses it
    assert (answer.status_code, answer.json()) == (
        400,
        {"message": "'period_lock_date' must be a date such as 2026-06-30, or null"},
    )


def test_connection_made_through_control_api_gives_a_working_token(simulator: Simulator, control: httpx.Client) -> None:
    # Given an app, a user and their organisation
    app = create(control, "/apps", {"name": "Sync"})
    user = create(control, "/users", {"email": "owner@example.com"})
    org = create(control, "/organisations", {"name": "Owned Ltd", "user_ids": [user["user_id"]]})
    # When the user connects the organisation to the app
    connected = create(
        control,
        "/connections",
        {
            "client_id": app["client_id"],
            "user_id": user["user_id"],
            "tenant_ids": [org["tenant_id"]],
            "scopes": ["accounting.settings"],
        },
    )
    # Then the token reads the organisation's accounts
    with api_client(simulator, connected["access_token"], org["tenant_id"]) as api:
        assert api.get("/Accounts").status_code == 200


def test_connection_to_an_organisation_the_user_cannot_see_is_refused(tenant: Tenant, control: httpx.Client) -> None:
    # Given an organisation the tenant's user is not a member of
    stranger = create(control, "/organisations", {"name": "Elsewhere Ltd"})
    # When the user tries to connect it
    answer = control.post(
        "/connections",
        json={"client_id": tenant.app.client_id, "user_id": tenant.user.user_id, "tenant_ids": [stranger["tenant_id"]]},
    )
    # Then the control API refuses
    assert answer.status_code == 400
    assert (
        answer.json()["message"] == f"user {tenant.user.user_id} has no access to organisation {stranger['tenant_id']}"
    )


def test_disconnected_tenant_answers_403(tenant: Tenant, control: httpx.Client) -> None:
    # Given a tenant the app can call
    assert tenant.api.get("/Accounts").status_code == 200
    [connection] = control.get("/connections", params={"client_id": tenant.app.client_id}).json()["connections"]
    # When the user disconnects the app in Xero
    control.delete(f"/connections/{connection['id']}").raise_for_status()
    # Then the app's calls for that tenant are forbidden
    assert tenant.api.get("/Accounts").status_code == 403


def test_disconnecting_an_unknown_connection_is_not_found(control: httpx.Client) -> None:
    # Given no such connection
    # When it is disconnected
    answer = control.delete("/connections/nope")
    # Then it is a 404
    assert answer.status_code == 404


def test_unknown_control_path_is_not_found(control: httpx.Client) -> None:
    # Given a path the control API does not have
    # When it is called
    answer = control.get("/nothing-here")
    # Then it is a 404
    assert answer.status_code == 404
