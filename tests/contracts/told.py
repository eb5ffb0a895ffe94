"""The contract every ToldElements keeps: what was told reads back by Xero id, a later put replaces it,
an id never told is absent, one tenant's or kind's entries are never another's, and many at once
(more than a batch of DynamoDB's: 100 reads, 25 writes) read back whole."""

from __future__ import annotations

from typing import Any

from shared.domain.inbound.settings import SyncedKind
from shared.domain.reference_data import ToldElement

BANK = SyncedKind.BANK_TRANSACTION


def told(version: int, *, deleted: bool = False) -> ToldElement:
    return ToldElement(version=version, digest=f"digest-{version}", deleted=deleted)


class ToldElementsContract:
    def test_what_was_told_reads_back_by_xero_id_and_an_id_never_told_is_absent(self, store: Any) -> None:
        store.put_many("tenant-1", BANK, {"bt-1": told(1), "bt-2": told(3, deleted=True)})
        assert store.get_many("tenant-1", BANK, ["bt-1", "bt-2", "bt-3"]) == {
            "bt-1": told(1),
            "bt-2": told(3, deleted=True),
        }

    def test_a_later_put_replaces_what_was_kept_of_its_ids_only(self, store: Any) -> None:
        store.put_many("tenant-1", BANK, {"bt-1": told(1), "bt-2": told(1)})
        store.put_many("tenant-1", BANK, {"bt-1": told(2)})
        assert store.get_many("tenant-1", BANK, ["bt-1", "bt-2"]) == {"bt-1": told(2), "bt-2": told(1)}

    def test_one_tenant_s_or_kind_s_entries_are_never_another_s(self, store: Any) -> None:
        store.put_many("tenant-1", BANK, {"id-1": told(1)})
        assert store.get_many("tenant-2", BANK, ["id-1"]) == {}
        assert store.get_many("tenant-1", SyncedKind.ACCOUNT, ["id-1"]) == {}

    def test_more_than_a_batch_reads_back_whole_and_asking_twice_for_an_id_is_harmless(self, store: Any) -> None:
        many = {f"bt-{n:03d}": told(n + 1) for n in range(250)}
        store.put_many("tenant-1", BANK, many)
        assert store.get_many("tenant-1", BANK, [*many, "bt-000"]) == many

    def test_nothing_asked_reads_nothing_and_nothing_put_writes_nothing(self, store: Any) -> None:
        store.put_many("tenant-1", BANK, {})
        assert store.get_many("tenant-1", BANK, []) == {}
