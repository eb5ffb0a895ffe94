"""The contract every Watches keeps: a tenant's watch reads back as put, a later put replaces it, and
one tenant's watch is never another's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.domain.inbound.watch import begun, ticked

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class WatchesContract:
    def test_a_watch_reads_back_as_put_and_a_later_put_replaces_it(self, watches: Any) -> None:
        started, _ = begun(None, "tenant-1", T0, "chain-1")
        watches.put(started)
        assert watches.get("tenant-1") == started
        later = ticked(started, T0 + timedelta(seconds=2), looked=T0 + timedelta(seconds=2), called=True)
        watches.put(later)
        assert watches.get("tenant-1") == later

    def test_a_tenant_never_watched_reads_as_none_and_never_as_another_s(self, watches: Any) -> None:
        watches.put(begun(None, "tenant-1", T0, "chain-1")[0])
        assert watches.get("tenant-2") is None
