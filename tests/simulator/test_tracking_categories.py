"""Tracking categories and options through /TrackingCategories: limits, names, archiving, deletion (FACTS.md §4.11)."""

from __future__ import annotations

from typing import Any

from tests.simulator.conftest import Tenant
from tests.simulator.reference_data import messages, new_tracking_category
from xero_simulator.world import new_id


def _names(tenant: Tenant, **params: Any) -> list[str]:
    return [c["Name"] for c in tenant.api.get("/TrackingCategories", params=params).json()["TrackingCategories"]]


def _archive(tenant: Tenant, category: dict[str, Any]) -> None:
    path = f"/TrackingCategories/{category['TrackingCategoryID']}"
    answer = tenant.api.post(path, json={"Status": "ARCHIVED"})
    assert answer.status_code == 200, answer.text


def _seed_line_tracked_by(tenant: Tenant, category: dict[str, Any], option: dict[str, Any]) -> None:
    invoice_id = new_id()
    tracking = {
        "TrackingCategoryID": category["TrackingCategoryID"],
        "TrackingOptionID": option["TrackingOptionID"],
        "Name": category["Name"],
        "Option": option["Name"],
    }
    tenant.org.records("Invoices")[invoice_id] = {"InvoiceID": invoice_id, "LineItems": [{"Tracking": [tracking]}]}


def test_put_creates_an_active_category_without_options(tenant: Tenant) -> None:
    # When a category is created
    answer = tenant.api.put("/TrackingCategories", json={"Name": "Region"})
    # Then it is ACTIVE and has no options yet
    created = answer.json()["TrackingCategories"][0]
    assert (created["Name"], created["Status"], created["Options"]) == ("Region", "ACTIVE", [])


def test_category_name_must_be_unique(tenant: Tenant) -> None:
    # Given a Region category
    new_tracking_category(tenant.api, "Region")
    # When another is called region
    answer = tenant.api.put("/TrackingCategories", json={"Name": "region"})
    # Then it is refused
    assert messages(answer) == ["For each specified tracking category the name must be unique."]


def test_category_needs_a_name(tenant: Tenant) -> None:
    # When a category is created with a blank name
    answer = tenant.api.put("/TrackingCategories", json={"Name": "  "})
    # Then it is refused
    assert messages(answer) == ["Tracking Category Name cannot be empty."]


def test_category_name_over_100_characters_is_refused(tenant: Tenant) -> None:
    # When a category name has 101 characters
    answer = tenant.api.put("/TrackingCategories", json={"Name": "R" * 101})
    # Then Xero's schema refuses it
    assert answer.status_code == 400
    assert _names(tenant) == []


def test_at_most_two_categories_are_active(tenant: Tenant) -> None:
    # Given two active categories
    new_tracking_category(tenant.api, "Region")
    new_tracking_category(tenant.api, "Department")
    # When a third is created
    answer = tenant.api.put("/TrackingCategories", json={"Name": "Project"})
    # Then it is refused
    assert messages(answer) == ["You can have a maximum of 2 active tracking categories."]


def test_archiving_a_category_makes_room_for_another(tenant: Tenant) -> None:
    # Given two categories, one archived
    _archive(tenant, new_tracking_category(tenant.api, "Region"))
    new_tracking_category(tenant.api, "Department")
    # When a third is created
    answer = tenant.api.put("/TrackingCategories", json={"Name": "Project"})
    # Then it is accepted
    assert answer.status_code == 200


def test_at_most_four_categories_exist_archived_ones_included(tenant: Tenant) -> None:
    # Given four categories, three of them archived
    for name in ("Region", "Department", "Project"):
        _archive(tenant, new_tracking_category(tenant.api, name))
    new_tracking_category(tenant.api, "Cost Centre")
    # When a fifth is created
    answer = tenant.api.put("/TrackingCategories", json={"Name": "Fund"})
    # Then it is refused
    assert messages(answer) == ["You can have a maximum of 4 tracking categories, including archived ones."]


def test_restoring_a_category_respects_the_active_limit(tenant: Tenant) -> None:
    # Given an archived category and two active ones
    region = new_tracking_category(tenant.api, "Region")
    _archive(tenant, region)
    new_tracking_category(tenant.api, "Department")
    new_tracking_category(tenant.api, "Project")
    # When the archived one is made ACTIVE
    answer = tenant.api.post(f"/TrackingCategories/{region['TrackingCategoryID']}", json={"Status": "ACTIVE"})
    # Then it is refused
    assert messages(answer) == ["You can have a maximum of 2 active tracking categories."]


def test_archived_categories_are_listed_only_with_include_archived(tenant: Tenant) -> None:
    # Given an archived category and an active one
    _archive(tenant, new_tracking_category(tenant.api, "Region"))
    new_tracking_category(tenant.api, "Department")
    # When categories are listed with and without includeArchived
    # Then only includeArchived=true shows the archived one
    assert _names(tenant) == ["Department"]
    assert _names(tenant, includeArchived="true") == ["Department", "Region"]


def test_archived_options_are_listed_only_with_include_archived(tenant: Tenant) -> None:
    # Given a category with an archived option
    region = new_tracking_category(tenant.api, "Region", ("North", "South"))
    north = next(o for o in region["Options"] if o["Name"] == "North")
    path = f"/TrackingCategories/{region['TrackingCategoryID']}/Options/{north['TrackingOptionID']}"
    tenant.api.post(path, json={"Status": "ARCHIVED"})
    # When the categories are listed with and without includeArchived
    plain = tenant.api.get("/TrackingCategories").json()["TrackingCategories"][0]["Options"]
    everything = tenant.api.get("/TrackingCategories", params={"includeArchived": "true"}).json()
    # Then only includeArchived=true shows the archived option
    assert [o["Name"] for o in plain] == ["South"]
    assert [o["Name"] for o in everything["TrackingCategories"][0]["Options"]] == ["North", "South"]


def test_categories_can_be_filtered_with_where(tenant: Tenant) -> None:
    # Given two categories
    new_tracking_category(tenant.api, "Region")
    new_tracking_category(tenant.api, "Department")
    # When one is asked for by name
    # Then only it comes back
    assert _names(tenant, where='Name=="Region"') == ["Region"]


def test_categories_are_listed_in_name_order_unless_ordered_otherwise(tenant: Tenant) -> None:
    # Given two categories created out of name order
    new_tracking_category(tenant.api, "Region")
    new_tracking_category(tenant.api, "Department")
    # When they are listed plainly and by Name DESC
    # Then the order follows
    assert _names(tenant) == ["Department", "Region"]
    assert _names(tenant, order="Name DESC") == ["Region", "Department"]


def test_categories_ignore_if_modified_since(tenant: Tenant) -> None:
    # Given a category
    new_tracking_category(tenant.api, "Region")
    # When categories are asked for with an If-Modified-Since in the future, which this endpoint does not support
    answer = tenant.api.get("/TrackingCategories", headers={"If-Modified-Since": "2099-01-01T00:00:00"})
    # Then the category still comes back
    assert [c["Name"] for c in answer.json()["TrackingCategories"]] == ["Region"]


def test_an_unknown_category_is_not_found(tenant: Tenant) -> None:
    # When a category that does not exist is read
    answer = tenant.api.get(f"/TrackingCategories/{new_id()}")
    # Then Xero answers 404
    assert answer.status_code == 404


def test_post_renames_a_category(tenant: Tenant) -> None:
    # Given a Region category
    region = new_tracking_category(tenant.api, "Region")
    # When it is renamed
    tenant.api.post(f"/TrackingCategories/{region['TrackingCategoryID']}", json={"Name": "Area"})
    # Then it has the new name
    assert _names(tenant) == ["Area"]


def test_put_options_adds_an_active_option(tenant: Tenant) -> None:
    # Given a category
    region = new_tracking_category(tenant.api, "Region")
    # When an option is added
    answer = tenant.api.put(f"/TrackingCategories/{region['TrackingCategoryID']}/Options", json={"Name": "North"})
    # Then it is ACTIVE and belongs to the category
    option = answer.json()["Options"][0]
    assert (option["Name"], option["Status"]) == ("North", "ACTIVE")
    assert option["TrackingCategoryID"] == region["TrackingCategoryID"]


def test_option_names_are_unique_within_a_category(tenant: Tenant) -> None:
    # Given a category with a North option
    region = new_tracking_category(tenant.api, "Region", ("North",))
    # When another north is added
    answer = tenant.api.put(f"/TrackingCategories/{region['TrackingCategoryID']}/Options", json={"Name": "north"})
    # Then Xero refuses with its own words
    assert messages(answer) == ["For each specified tracking option the name must be unique."]


def test_the_same_option_name_may_exist_in_two_categories(tenant: Tenant) -> None:
    # Given a Region category with an Other option
    new_tracking_category(tenant.api, "Region", ("Other",))
    department = new_tracking_category(tenant.api, "Department")
    # When Department gets an Other option too
    path = f"/TrackingCategories/{department['TrackingCategoryID']}/Options"
    answer = tenant.api.put(path, json={"Name": "Other"})
    # Then it is accepted
    assert answer.status_code == 200


def test_options_cannot_be_added_to_an_archived_category(tenant: Tenant) -> None:
    # Given an archived category
    region = new_tracking_category(tenant.api, "Region")
    _archive(tenant, region)
    # When an option is added
    answer = tenant.api.put(f"/TrackingCategories/{region['TrackingCategoryID']}/Options", json={"Name": "North"})
    # Then it is refused
    assert messages(answer) == ["Options cannot be added to the archived tracking category 'Region'."]


def test_post_renames_an_option(tenant: Tenant) -> None:
    # Given a North option
    region = new_tracking_category(tenant.api, "Region", ("North",))
    north = region["Options"][0]
    # When it is renamed
    path = f"/TrackingCategories/{region['TrackingCategoryID']}/Options/{north['TrackingOptionID']}"
    answer = tenant.api.post(path, json={"Name": "Northland"})
    # Then it has the new name
    assert answer.json()["Options"][0]["Name"] == "Northland"


def test_delete_removes_an_unused_category(tenant: Tenant) -> None:
    # Given a category no document uses
    region = new_tracking_category(tenant.api, "Region", ("North",))
    # When it is deleted
    answer = tenant.api.delete(f"/TrackingCategories/{region['TrackingCategoryID']}")
    # Then Xero answers it DELETED and it is gone, archived list included
    assert answer.json()["TrackingCategories"][0]["Status"] == "DELETED"
    assert _names(tenant, includeArchived="true") == []


def test_a_category_used_on_a_document_cannot_be_deleted(tenant: Tenant) -> None:
    # Given an invoice line tracked by Region/North
    region = new_tracking_category(tenant.api, "Region", ("North",))
    _seed_line_tracked_by(tenant, region, region["Options"][0])
    # When Region is deleted
    answer = tenant.api.delete(f"/TrackingCategories/{region['TrackingCategoryID']}")
    # Then it is refused and the category stays
    assert messages(answer) == ["The tracking category 'Region' has been used on transactions and cannot be deleted."]
    assert _names(tenant) == ["Region"]


def test_delete_removes_an_unused_option(tenant: Tenant) -> None:
    # Given a category with two options
    region = new_tracking_category(tenant.api, "Region", ("North", "South"))
    north = region["Options"][0]
    # When North is deleted
    path = f"/TrackingCategories/{region['TrackingCategoryID']}/Options/{north['TrackingOptionID']}"
    answer = tenant.api.delete(path)
    # Then the deleted option is answered DELETED and only South remains
    assert [(o["Name"], o["Status"]) for o in answer.json()["Options"]] == [("North", "DELETED")]
    remaining = tenant.api.get(f"/TrackingCategories/{region['TrackingCategoryID']}").json()
    assert [o["Name"] for o in remaining["TrackingCategories"][0]["Options"]] == ["South"]


def test_an_option_used_on_a_document_cannot_be_deleted(tenant: Tenant) -> None:
    # Given an invoice line tracked by Region/North
    region = new_tracking_category(tenant.api, "Region", ("North",))
    north = region["Options"][0]
    _seed_line_tracked_by(tenant, region, north)
    # When North is deleted
    path = f"/TrackingCategories/{region['TrackingCategoryID']}/Options/{north['TrackingOptionID']}"
    answer = tenant.api.delete(path)
    # Then it is refused
    assert messages(answer) == ["The tracking option 'North' has been used on transactions and cannot be deleted."]


def test_an_unknown_option_is_not_found(tenant: Tenant) -> None:
    # Given a category
    region = new_tracking_category(tenant.api, "Region")
    # When an option that does not exist is deleted
    answer = tenant.api.delete(f"/TrackingCategories/{region['TrackingCategoryID']}/Options/{new_id()}")
    # Then Xero answers 404
    assert answer.status_code == 404
