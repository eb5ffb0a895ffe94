"""From record changes to POSTs: per-app subscriptions, batching, sequence numbers, retries and faults.

Every change an organisation announces becomes one event for each app that has a webhook URL, a
connection to that organisation and an enabled subscription (Xero enables a webhook only once Intent
to Receive has passed, FACTS.md §2.3). Events wait a short batching window of wall time, then up to
`max_batch_size` of them, from any of the app's tenants, form one delivery (FACTS.md §2.4: one POST
may carry several tenants' events; the exact batching rule was NOT FOUND). Each event takes the app's
next sequence number, so `firstEventSequence`..`lastEventSequence` of a delivery are consecutive and
a dropped delivery leaves a gap.

A background thread sends each app's deliveries one at a time and in order; a failing delivery holds
back the ones behind it until it succeeds or the webhook is disabled (FACTS.md §2.1, 24 hours of
simulated time). Events of an app whose webhook is not enabled are not kept: Xero's 31-day replay
is secondary (NOTE-2026), and losing them is the conservative choice that a client must reconcile.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from xero_simulator import conformance
from xero_simulator.webhooks.delivery import Attempt, Delivery, DeliveryState
from xero_simulator.webhooks.delivery_faults import DeliveryFaultKind, DeliveryFaultPlan
from xero_simulator.webhooks.events import webhook_event
from xero_simulator.webhooks.intent_to_receive import IntentToReceive, run_intent_to_receive
from xero_simulator.webhooks.payload import delivery_body, new_entropy
from xero_simulator.webhooks.posting import RESPONSE_TIME_LIMIT, post_signed
from xero_simulator.webhooks.signature import sign
from xero_simulator.world import ChangeEvent

if TYPE_CHECKING:
    from xero_simulator.server import Simulator

POLL_SECONDS = 0.05  # how often the delivery thread looks at the simulated clock for due retries
HISTORY_LIMIT = 10_000  # finished deliveries kept for the control API
FLUSH_LIMIT_SECONDS = 60.0
DISABLED_AFTER_FAILURES = "Webhook disabled: deliveries failed for 24 hours"


class SubscriptionStatus(StrEnum):
    UNVERIFIED = "unverified"  # Intent to Receive has not passed for the current URL: nothing is sent
    ENABLED = "enabled"
    DISABLED = "disabled"  # failed Intent to Receive, or 24 hours of failed deliveries


@dataclass
class WebhookSettings:
    batch_window_seconds: float = 0.2  # wall time an event waits for others to join its delivery
    max_batch_size: int = 100
    timeout_seconds: float = RESPONSE_TIME_LIMIT


@dataclass(frozen=True)
class WaitingEvent:
    heard_at: float  # time.monotonic() when the change was announced
    sequence: int
    event: dict[str, Any]


@dataclass
class Subscription:
    """An app's webhook as Xero tracks it: status, last sequence number used, events and deliveries pending."""

    client_id: str
    status: SubscriptionStatus = SubscriptionStatus.UNVERIFIED
    reason: str = ""
    last_sequence: int = 0
    waiting: list[WaitingEvent] = field(default_factory=list)
    queue: list[Delivery] = field(default_factory=list)
    intent_to_receive: IntentToReceive | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "status": self.status.value,
            "reason": self.reason,
            "last_event_sequence": self.last_sequence,
            "waiting_events": len(self.waiting),
            "queued_deliveries": len(self.queue),
            "intent_to_receive": self.intent_to_receive.as_json() if self.intent_to_receive else None,
        }


class WebhookDispatcher:
    """Hears every change in the world and delivers it to the apps that subscribe; see the module docstring."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.settings = WebhookSettings()
        self.faults = DeliveryFaultPlan()
        self._cond = threading.Condition()
        self._subscriptions: dict[str, Subscription] = {}
        self._history: deque[Delivery] = deque(maxlen=HISTORY_LIMIT)
        self._paused = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        sim.world.change_listeners.append(self.hear)

    # --- hearing changes -------------------------------------------------------------------------

    def hear(self, change: ChangeEvent) -> None:
        """Give the change a sequence number in every enabled subscription of an app connected to its tenant."""
        recipients = self._apps_connected_to(change.tenant_id)
        if not recipients:
            return
        event = webhook_event(change, self.sim.base_url)
        heard_at = time.monotonic()
        with self._cond:
            for client_id in recipients:
                subscription = self._subscriptions.get(client_id)
                if subscription is None or subscription.status is not SubscriptionStatus.ENABLED:
                    continue
                subscription.last_sequence += 1
                subscription.waiting.append(WaitingEvent(heard_at, subscription.last_sequence, event))
            self._cond.notify_all()

    def _apps_connected_to(self, tenant_id: str) -> list[str]:
        world = self.sim.world
        with world.lock:
            connected = {c.client_id for c in world.connections.values() if c.tenant_id == tenant_id}
            return [
                app.client_id
                for app in world.apps.values()
                if app.webhook_url and (app.client_id in connected or app.custom_connection_tenant_id == tenant_id)
            ]

    # --- the delivery thread ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the delivery thread (idempotent)."""
        with self._cond:
            if self._thread is not None:
                return
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="xero-simulator-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the delivery thread, waiting for a POST in flight."""
        with self._cond:
            thread, self._thread = self._thread, None
            self._stopping = True
            self._cond.notify_all()
        if thread is not None:
            thread.join(timeout=self.settings.timeout_seconds + 1)

    def _run(self) -> None:
        while True:
            try:
                with self._cond:
                    if self._stopping:
                        return
                    delivery = None
                    if not self._paused:
                        self._form_deliveries(force=False)
                        delivery = self._next_delivery()
                    if delivery is None:
                        self._cond.wait(POLL_SECONDS)
                        continue
                self._send(delivery)
            except Exception:  # a simulator bug must fail the test that caused it, not kill deliveries silently
                self.sim.internal_errors.append(traceback.format_exc())
                time.sleep(POLL_SECONDS)

    def pause(self) -> None:
        """Stop the thread from forming and sending deliveries; `flush` still sends."""
        with self._cond:
            self._paused = True

    def resume(self) -> None:
        """Let the delivery thread form and send deliveries again."""
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def flush(self) -> int:
        """Form every waiting event into deliveries now and send every delivery that is due; returns POSTs made.

        Due means by the simulated clock: a delivery waiting for its next retry or held by a `delay` fault
        stays queued until the clock reaches it. Works while paused, which makes tests deterministic.
        """
        deadline = time.monotonic() + FLUSH_LIMIT_SECONDS
        sent = 0
        while time.monotonic() < deadline:
            with self._cond:
                self._form_deliveries(force=True)
                delivery = self._next_delivery()
                if delivery is None:
                    if not self._any_in_flight():
                        return sent
                    self._cond.wait(POLL_SECONDS)
                    continue
            self._send(delivery)
            sent += 1
        return sent

    # --- forming and choosing deliveries (callers hold self._cond) -------------------------------

    def _form_deliveries(self, *, force: bool) -> None:
        now_wall = time.monotonic()
        for subscription in self._subscriptions.values():
            waiting = subscription.waiting
            while waiting and (
                force
                or len(waiting) >= self.settings.max_batch_size
                or now_wall - waiting[0].heard_at >= self.settings.batch_window_seconds
            ):
                batch = waiting[: self.settings.max_batch_size]
                del waiting[: self.settings.max_batch_size]
                self._enqueue(subscription, batch)

    def _enqueue(self, subscription: Subscription, batch: list[WaitingEvent]) -> None:
        app = self.sim.world.apps.get(subscription.client_id)
        if app is None:
            return
        now = self.sim.world.clock.now()
        events = [waiting.event for waiting in batch]
        body = delivery_body(events, batch[0].sequence, batch[-1].sequence, new_entropy())
        delivery = Delivery(
            client_id=subscription.client_id,
            events=events,
            first_sequence=batch[0].sequence,
            last_sequence=batch[-1].sequence,
            body=body,
            signature=sign(app.webhook_key, body),
            formed_at=now,
            due_at=now,
        )
        self._check_conformance(delivery)
        client_id = subscription.client_id
        if self.faults.strike(DeliveryFaultKind.DROP, client_id):
            self._finish(delivery, DeliveryState.DROPPED)
            return
        delay = self.faults.strike(DeliveryFaultKind.DELAY, client_id)
        if delay is not None:
            delivery.due_at = now + timedelta(seconds=delay.seconds)
        subscription.queue.append(delivery)
        if self.faults.strike(DeliveryFaultKind.DUPLICATE, client_id):
            subscription.queue.append(delivery.duplicate())

    def _check_conformance(self, delivery: Delivery) -> None:
        """In strict mode, a delivery that OAS-WH does not allow is recorded as a conformance failure."""
        if not self.sim.strict:
            return
        payload = json.loads(delivery.body)
        credit_notes = [e for e in payload["events"] if e["eventCategory"] == "CREDITNOTE"]
        try:
            conformance.check_webhook_payload(payload)
            if credit_notes:
                conformance.check_webhook_payload({**payload, "events": credit_notes}, "CreditNoteWebhookEvent")
        except conformance.ConformanceError as exc:
            self.sim.conformance_failures.append(str(exc))

    def _next_delivery(self) -> Delivery | None:
        now = self.sim.world.clock.now()
        for subscription in self._subscriptions.values():
            if subscription.status is not SubscriptionStatus.ENABLED:
                continue
            queue = subscription.queue
            index = _first_due(queue, now)
            if index is None:
                continue
            behind = index + 1
            if (
                behind < len(queue)
                and not queue[index].attempts
                and queue[behind].due_at <= now
                and self.faults.strike(DeliveryFaultKind.REORDER, subscription.client_id)
            ):
                queue[index], queue[behind] = queue[behind], queue[index]
            queue[index].in_flight = True
            return queue[index]
        return None

    def _any_in_flight(self) -> bool:
        return any(d.in_flight for s in self._subscriptions.values() for d in s.queue)

    # --- sending ---------------------------------------------------------------------------------

    def _send(self, delivery: Delivery) -> None:
        """POST one delivery outside every lock, then record the attempt and schedule a retry or finish it."""
        app = self.sim.world.apps.get(delivery.client_id)
        url = app.webhook_url if app is not None else None
        timeout = self.settings.timeout_seconds
        if url:
            answer = post_signed(url, delivery.body, delivery.signature, timeout)
            problem = answer.problem(200, timeout)
            status, body, latency = answer.status, answer.body, answer.latency_ms
        else:
            problem, status, body, latency = "The app has no webhook URL", None, "", 0.0
        with self._cond:
            now = self.sim.world.clock.now()
            attempt = Attempt(len(delivery.attempts) + 1, now, problem is None, status, body, latency, problem)
            delivery.attempts.append(attempt)
            delivery.in_flight = False
            self.sim.counters.count_delivery("delivered" if problem is None else "failed")
            subscription = self._subscriptions.get(delivery.client_id)
            if subscription is not None and delivery in subscription.queue:
                if problem is None:
                    subscription.queue.remove(delivery)
                    self._finish(delivery, DeliveryState.DELIVERED)
                else:
                    retry_at = delivery.next_attempt_after_failure(now)
                    if retry_at is None:
                        self._disable(subscription, DISABLED_AFTER_FAILURES)
                    else:
                        delivery.due_at = retry_at
            self._cond.notify_all()

    def _finish(self, delivery: Delivery, state: DeliveryState) -> None:
        delivery.state = state
        self._history.append(delivery)
        if state is not DeliveryState.DELIVERED:  # delivered ones were counted per attempt
            self.sim.counters.count_delivery(state.value)

    def _disable(self, subscription: Subscription, reason: str) -> None:
        subscription.status = SubscriptionStatus.DISABLED
        subscription.reason = reason
        self._discard_pending(subscription)

    def _discard_pending(self, subscription: Subscription) -> None:
        for delivery in subscription.queue:
            self._finish(delivery, DeliveryState.DISCARDED)
        subscription.queue.clear()
        subscription.waiting.clear()

    # --- subscriptions: URL and Intent to Receive -------------------------------------------------

    def _subscription(self, client_id: str) -> Subscription:
        return self._subscriptions.setdefault(client_id, Subscription(client_id))

    def intent_to_receive(self, client_id: str) -> IntentToReceive:
        """Run Intent to Receive against the app's webhook URL; the webhook is enabled only if every check passed.

        Raises KeyError for an unknown app and ValueError for an app without a webhook URL.
        """
        with self.sim.world.lock:
            app = self.sim.world.apps[client_id]
            url, key = app.webhook_url, app.webhook_key
        if not url:
            raise ValueError("the app has no webhook URL")
        result = run_intent_to_receive(url, key, self.sim.world.clock.now(), self.settings.timeout_seconds)
        with self._cond:
            subscription = self._subscription(client_id)
            subscription.intent_to_receive = result
            if result.passed:
                subscription.status = SubscriptionStatus.ENABLED
                subscription.reason = ""
            else:
                self._disable(subscription, result.reason)
            self._cond.notify_all()
        return result

    def change_url(self, client_id: str, url: str | None) -> None:
        """Give the app a new webhook URL: Xero runs Intent to Receive again, so nothing is sent until it passes."""
        with self.sim.world.lock:
            self.sim.world.apps[client_id].webhook_url = url
        with self._cond:
            subscription = self._subscription(client_id)
            self._discard_pending(subscription)
            subscription.status = SubscriptionStatus.UNVERIFIED
            subscription.reason = "Intent to Receive has not run for this URL"

    # --- reading and resetting --------------------------------------------------------------------

    def subscription_json(self, client_id: str) -> dict[str, Any]:
        """The app's webhook subscription as the control API shows it."""
        with self._cond:
            return self._subscription(client_id).as_json()

    def deliveries(self, client_id: str | None = None) -> list[dict[str, Any]]:
        """Every delivery still known, oldest first: finished ones (up to HISTORY_LIMIT) and pending ones."""
        with self._cond:
            known = list(self._history) + [d for s in self._subscriptions.values() for d in s.queue]
            chosen = [d for d in known if client_id is None or d.client_id == client_id]
            return [d.as_json() for d in sorted(chosen, key=lambda d: d.ordinal)]

    def stats(self) -> dict[str, Any]:
        """Settings, pause state, every subscription, delivery faults and finished deliveries by state."""
        with self._cond:
            finished: dict[str, int] = {}
            for delivery in self._history:
                finished[delivery.state.value] = finished.get(delivery.state.value, 0) + 1
            return {
                "paused": self._paused,
                "settings": asdict(self.settings),
                "finished_deliveries": finished,
                "subscriptions": [s.as_json() for s in self._subscriptions.values()],
                "faults": [f.as_json() for f in self.faults.active()],
            }

    def reset(self, *, keep_subscriptions: bool) -> None:
        """Forget every event, delivery and fault; keep the apps' subscriptions (status, sequence) if asked."""
        with self._cond:
            for subscription in self._subscriptions.values():
                subscription.queue.clear()
                subscription.waiting.clear()
            if not keep_subscriptions:
                self._subscriptions.clear()
            self._history.clear()
            self._paused = False
            self.faults.clear()
            self._cond.notify_all()


def _first_due(queue: list[Delivery], now: datetime) -> int | None:
    """The index of the app's next delivery to send, keeping an app's deliveries in order."""
    for index, delivery in enumerate(queue):
        if delivery.in_flight:
            return None  # one POST at a time per app
        if delivery.due_at <= now:
            return index
        if delivery.attempts:
            return None  # a failing delivery holds back the ones behind it until it succeeds
    return None
