"""HTTP steps shared by the reference-data tests: Xero's validation messages, contacts and tracking made via the API."""

from __future__ import annotations

from typing import Any

import httpx


def messages(answer: httpx.Response) -> list[str]:
    """Every ValidationErrors message of a 400 ValidationException, or of a summarizeErrors=false answer."""
    body = answer.json()
    elements = body.get("Elements") or next((v for v in body.values() if isinstance(v, list)), [])
    return [error["Message"] for element in elements for error in element.get("ValidationErrors", [])]


def new_contact(api: httpx.Client, name: str, **fields: Any) -> dict[str, Any]:
    """A contact created with PUT /Contacts."""
    answer = api.put("/Contacts", json={"Contacts": [{"Name": name, **fields}]})
    assert answer.status_code == 200, answer.text
    contact: dict[str, Any] = answer.json()["Contacts"][0]
    return contact


def new_tracking_category(api: httpx.Client, name: str, options: tuple[str, ...] = ()) -> dict[str, Any]:
    """A tracking category created with PUT /TrackingCategories, its options added one by one, as read back."""
    answer = api.put("/TrackingCategories", json={"Name": name})
    assert answer.status_code == 200, answer.text
    category_id = answer.json()["TrackingCategories"][0]["TrackingCategoryID"]
    for option in options:
        added = api.put(f"/TrackingCategories/{category_id}/Options", json={"Name": option})
        assert added.status_code == 200, added.text
    category: dict[str, Any] = api.get(f"/TrackingCategories/{category_id}").json()["TrackingCategories"][0]
    return category


def account_coded(api: httpx.Client, code: str) -> dict[str, Any]:
    """The account with this code, as GET /Accounts answers it."""
    answer = api.get("/Accounts", params={"where": f'Code=="{code}"'})
    account: dict[str, Any] = answer.json()["Accounts"][0]
    return account
