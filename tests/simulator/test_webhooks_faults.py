"""Delivery faults a client must survive: duplicates, reordering, delays and lost deliveries (FACTS.md §2.4)."""

from __future__ import annotations

import httpx
import pytest

from tests.simulator.conftest import Tenant
from tests.simulator.webhook_receiver import WebhookReceiver, announce, subscribe


@pytest.fixture
def subscribed(tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver) -> Tenant:
    """A subscribed tenant whose deliveries hold one event each and wait for a flush."""
    subscribe(control, tenant.app, receiver)
    control.post("/webhooks/pause").raise_for_status()
    control.put("/webhooks/settings", json={"max_batch_size": 1}).raise_for_status()
    return tenant


def add_fault(control: httpx.Client, **fault: object) -> None:
    control.post("/webhooks/faults", json=fault).raise_for_status()


def test_duplicate_fault_sends_the_same_delivery_twice(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a duplicate fault for the next delivery
    add_fault(control, kind="duplicate", count=1)
    announce(subscribed.org)
    # When it goes out
    control.post("/webhooks/flush")
    # Then the receiver gets the same bytes and signature twice
    first, second = receiver.deliveries()
    assert (first.body, first.signature) == (second.body, second.signature)


def test_reorder_fault_sends_a_later_delivery_first(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given two pending deliveries and a reorder fault
    announce(subscribed.org)
    announce(subscribed.org)
    add_fault(control, kind="reorder", count=1)
    # When they go out
    control.post("/webhooks/flush")
    # Then the second arrives before the first
    assert [d.sequences for d in receiver.deliveries()] == [(2, 2), (1, 1)]


def test_delay_fault_holds_a_delivery_for_simulated_seconds(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a 10-minute delay on the next delivery
    add_fault(control, kind="delay", seconds=600, count=1)
    announce(subscribed.org)
    # When deliveries are flushed before and after the delay has passed
    before = control.post("/webhooks/flush").json()["posts"]
    control.post("/clock/advance", json={"seconds": 600})
    after = control.post("/webhooks/flush").json()["posts"]
    # Then nothing went out until 10 minutes had passed
    assert (before, after) == (0, 1)
    assert len(receiver.deliveries()) == 1


def test_delayed_delivery_is_overtaken_by_later_ones(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given the first of two deliveries delayed by a minute
    add_fault(control, kind="delay", seconds=60, count=1)
    announce(subscribed.org)
    announce(subscribed.org)
    control.post("/webhooks/flush")
    # When the minute passes
    control.post("/clock/advance", json={"seconds": 60})
    control.post("/webhooks/flush")
    # Then the receiver saw them out of order
    assert [d.sequences for d in receiver.deliveries()] == [(2, 2), (1, 1)]


def test_drop_fault_loses_a_delivery_and_leaves_a_sequence_gap(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a drop fault for the next delivery and two changes
    add_fault(control, kind="drop", count=1)
    announce(subscribed.org)
    announce(subscribed.org)
    # When deliveries go out
    control.post("/webhooks/flush")
    # Then only the second arrives, and the first is recorded as dropped
    assert [d.sequences for d in receiver.deliveries()] == [(2, 2)]
    states = [d["state"] for d in control.get("/webhooks/deliveries").json()["deliveries"]]
    assert states == ["dropped", "delivered"]


def test_fault_for_one_app_spares_the_others(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a drop fault limited to another app
    other = control.post("/apps", json={"name": "Other"}).json()
    add_fault(control, kind="drop", client_id=other["client_id"])
    announce(subscribed.org)
    # When deliveries go out
    control.post("/webhooks/flush")
    # Then the subscribed app's delivery arrives
    assert len(receiver.deliveries()) == 1


def test_counted_fault_is_used_up(subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver) -> None:
    # Given a drop fault for one delivery, which then strikes
    add_fault(control, kind="drop", count=1)
    announce(subscribed.org)
    control.post("/webhooks/flush")
    # When the faults are listed
    faults = control.get("/webhooks/faults").json()["faults"]
    # Then it is gone
    assert faults == []


def test_cleared_faults_no_longer_strike(subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver) -> None:
    # Given a standing drop fault, then cleared
    add_fault(control, kind="drop")
    control.delete("/webhooks/faults").raise_for_status()
    announce(subscribed.org)
    # When deliveries go out
    control.post("/webhooks/flush")
    # Then they arrive
    assert len(receiver.deliveries()) == 1


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"kind": "explode"}, "'kind' must be one of duplicate, reorder, delay, drop"),
        ({"kind": "delay"}, "a delay fault needs 'seconds' of simulated time greater than 0"),
        ({"kind": "drop", "ratio": 2}, "'ratio' must be between 0 and 1"),
        ({"kind": "drop", "count": 0}, "'count' must be at least 1"),
    ],
)
def test_bad_delivery_fault_is_refused_with_a_reason(
    control: httpx.Client, fault: dict[str, object], message: str
) -> None:
    # Given a fault the simulator cannot apply
    # When it is added
    answer = control.post("/webhooks/faults", json=fault)
    # Then the control API says why
    assert (answer.status_code, answer.json()) == (400, {"message": message})
