"""What the platform is told of the tenant's reference data (shared/domain/inbound/reference_changes.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.domain.inbound.changes import ChangeKind
from shared.domain.inbound.reference_changes import reference_changes
from shared.domain.inbound.settings import Direction, InboundEntitySettings, InboundSettings, SyncedKind
from shared.domain.reference_data import ReferenceData, XeroTrackingCategory, XeroTrackingOption
from tests.unit.mapping.mapping_world import account, reference

TENANT = "tenant-1"
AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DEFAULTS = InboundSettings()


def told(reference_: ReferenceData, settings: InboundSettings = DEFAULTS, *, complete: bool = True) -> ReferenceData:
    """`reference_` after its changes were told (what a second read starts from)."""
    _, now_told = reference_changes(TENANT, reference_, settings, AT, complete=complete)
    return reference_.model_copy(update={"told": now_told})


def said(
    reference_: ReferenceData, settings: InboundSettings = DEFAULTS, *, complete: bool = True
) -> list[tuple[str, str, str, int]]:
    changes, _ = reference_changes(TENANT, reference_, settings, AT, complete=complete)
    return [(c.kind.value, c.entity.value, c.platform_id, c.version) for c in changes]


def with_account(reference_: ReferenceData, code: str, **fields: object) -> ReferenceData:
    accounts = [a.model_copy(update=fields) if a.code == code else a for a in reference_.accounts]
    return reference_.model_copy(update={"accounts": accounts})


def test_the_first_read_tells_every_element_as_created_under_version_one() -> None:
    changes, _ = reference_changes(TENANT, reference(), DEFAULTS, AT, complete=True)
    kinds = {(c.kind, c.entity) for c in changes}
    assert kinds == {
        (ChangeKind.CREATED, SyncedKind.ACCOUNT),
        (ChangeKind.CREATED, SyncedKind.TAX_RATE),
        (ChangeKind.CREATED, SyncedKind.TRACKING_CATEGORY),
    }
    assert len(changes) == 7 + 4 + 1
    sales = next(c for c in changes if c.xero_id == "acc-200")
    assert (sales.platform_id, sales.version, sales.xero_status) == ("xero-acc-200", 1, "ACTIVE")
    assert sales.body is not None
    assert sales.body["code"] == "200"


def test_nothing_changed_tells_nothing() -> None:
    assert said(told(reference())) == []


def test_an_archived_account_is_told_as_deleted_under_the_next_version_and_once() -> None:
    before = told(reference())
    archived = with_account(before, "400", status="ARCHIVED")
    assert said(archived) == [("deleted", "account", "xero-acc-400", 2)]
    # Read again, still archived: nothing more
    assert said(told(archived)) == []


def test_a_renamed_account_is_told_as_updated_and_a_restored_one_too() -> None:
    before = told(reference())
    assert said(with_account(before, "200", name="Sales")) == [("updated", "account", "xero-acc-200", 2)]
    archived = told(with_account(before, "400", status="ARCHIVED"))
    assert said(with_account(archived, "400", status="ACTIVE")) == [("updated", "account", "xero-acc-400", 3)]


def test_a_new_account_is_created_and_one_archived_before_the_platform_heard_of_it_is_not_told() -> None:
    before = told(reference())
    added = before.model_copy(
        update={"accounts": [*before.accounts, account("477", "EXPENSE"), account("478", "EXPENSE", status="ARCHIVED")]}
    )
    assert said(added) == [("created", "account", "xero-acc-477", 1)]


def test_an_account_missing_from_a_complete_answer_is_deleted_but_never_from_a_partial_one() -> None:
    before = told(reference())
    without = before.model_copy(update={"accounts": [a for a in before.accounts if a.code != "404"]})
    assert said(without, complete=False) == []
    assert said(without, complete=True) == [("deleted", "account", "xero-acc-404", 2)]


def test_a_tracking_option_archived_is_an_update_as_its_deletions_are_not_synced_by_default() -> None:
    before = told(reference())
    (category,) = before.tracking_categories
    archived = XeroTrackingCategory(
        category_id=category.category_id,
        name=category.name,
        status="ARCHIVED",
        options=[XeroTrackingOption(option_id=o.option_id, name=o.name, status="ARCHIVED") for o in category.options],
    )
    changes = said(before.model_copy(update={"tracking_categories": [archived]}))
    assert changes == [("updated", "tracking_category", f"xero-{category.category_id}", 2)]


def test_a_kind_sent_to_xero_only_is_never_told() -> None:
    to_xero = InboundSettings(kinds={SyncedKind.ACCOUNT: InboundEntitySettings(direction=Direction.TO_XERO)})
    assert not [c for c in said(reference(), to_xero) if c[1] == "account"]


def test_the_same_change_read_twice_has_one_identity() -> None:
    before = told(reference())
    archived = with_account(before, "400", status="ARCHIVED")
    (first,), _ = reference_changes(TENANT, archived, DEFAULTS, AT, complete=True)
    (again,), _ = reference_changes(TENANT, archived, DEFAULTS, datetime(2026, 3, 2, 13, 0, tzinfo=UTC), complete=True)
    assert first.identity() == again.identity()
