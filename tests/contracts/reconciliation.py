"""The contract every ReconcileStates keeps: a state reads back as put, and `due` finds the states
whose instant has come, of every tenant, the longest due first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.domain.inbound.reconcile_state import ReconcileState, fresh
from shared.domain.inbound.settings import SyncedKind

TENANT = "tenant-1"
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


class ReconcileStatesContract:
    def test_a_state_reads_back_as_put_and_a_later_put_replaces_it(self, states: Any) -> None:
        # Given a state stopped on page 3 / When put, then replaced by its success
        stopped = ReconcileState(
            tenant_id=TENANT, kind=SyncedKind.INVOICE, due_at=at(1), run_started=T0, page=3, note="minute limit"
        )
        states.put(stopped)
        assert states.get(TENANT, SyncedKind.INVOICE) == stopped
        done = stopped.model_copy(update={"last_success": T0, "page": None, "run_started": None, "due_at": at(15)})
        states.put(done)
        # Then the later one is read, and the tenant lists one state
        assert states.get(TENANT, SyncedKind.INVOICE) == done
        assert states.listing(TENANT) == [done]

    def test_an_unknown_kind_reads_as_none(self, states: Any) -> None:
        assert states.get(TENANT, SyncedKind.PAYMENT) is None
        assert states.listing(TENANT) == []

    def test_due_finds_every_tenant_s_due_states_the_longest_due_first(self, states: Any) -> None:
        # Given states due 5 and 1 minutes ago (two tenants), one due in a minute, one never scheduled
        states.put(fresh("tenant-2", SyncedKind.CONTACT, at(-1)))
        states.put(fresh(TENANT, SyncedKind.INVOICE, at(-5)))
        states.put(fresh(TENANT, SyncedKind.BILL, at(1)))
        states.put(ReconcileState(tenant_id=TENANT, kind=SyncedKind.ACCOUNT))
        # When asked at T0 / Then the two whose instant has come, oldest first
        assert [(s.tenant_id, s.kind) for s in states.due(T0)] == [
            (TENANT, SyncedKind.INVOICE),
            ("tenant-2", SyncedKind.CONTACT),
        ]

    def test_a_state_moved_later_or_unscheduled_is_no_longer_due(self, states: Any) -> None:
        # Given a due state / When moved an interval on, and another unscheduled
        states.put(fresh(TENANT, SyncedKind.INVOICE, at(-5)))
        states.put(fresh(TENANT, SyncedKind.ACCOUNT, at(-5)))
        states.put(fresh(TENANT, SyncedKind.INVOICE, at(-5)).model_copy(update={"due_at": at(15)}))
        states.put(fresh(TENANT, SyncedKind.ACCOUNT, at(-5)).model_copy(update={"due_at": None}))
        # Then nothing is due now, and the moved one is at its new instant
        assert list(states.due(T0)) == []
        assert [s.kind for s in states.due(at(15))] == [SyncedKind.INVOICE]

    def test_due_reads_page_after_page_and_never_hands_out_again_a_state_claimed_on_the_way(self, states: Any) -> None:
        # Given 250 due states, more than one page of the due index
        kinds = list(SyncedKind)
        for n in range(250):
            states.put(fresh(f"tenant-{n // len(kinds):03}", kinds[n % len(kinds)], at(-1 - n / 1000)))
        # When each is claimed (moved a quarter of an hour on) as it is handed out
        seen = []
        for state in states.due(T0):
            seen.append((state.tenant_id, state.kind))
            states.put(state.model_copy(update={"due_at": at(15)}))
        # Then every one was handed out once, and none is due any more
        assert (len(seen), len(set(seen))) == (250, 250)
        assert list(states.due(T0)) == []
