"""Webhook deliveries: payload, signature, batching, sequence numbers, retries and disabling (FACTS.md §2)."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.simulator.conftest import Tenant
from tests.simulator.webhook_receiver import (
    WebhookReceiver,
    announce,
    subscribe,
    xero_signature,
)
from xero_simulator.builders import create_app, create_organisation, direct_principal
from xero_simulator.world import Organisation


@pytest.fixture
def subscribed(tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver) -> Tenant:
    """The tenant's app with its webhook enabled at `receiver`, deliveries paused until a test flushes."""
    subscribe(control, tenant.app, receiver)
    control.post("/webhooks/pause").raise_for_status()
    return tenant


def flush(control: httpx.Client) -> int:
    posts: int = control.post("/webhooks/flush").json()["posts"]
    return posts


def second_organisation(tenant: Tenant) -> Organisation:
    """Another organisation of the same user, connected to the same app."""
    org = create_organisation(tenant.sim.world, "Second Company", "AU", [tenant.user])
    direct_principal(tenant.sim.world, tenant.app, tenant.user, [org.organisation_id], ["accounting.contacts"])
    return org


def test_delivery_signature_is_hmac_sha256_of_the_raw_body_with_the_webhook_key(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a change in a subscribed tenant, and the webhook key as the developer portal shows it
    announce(subscribed.org)
    key = control.get(f"/apps/{subscribed.app.client_id}").json()["webhook_key"]
    # When the delivery is sent
    flush(control)
    # Then its x-xero-signature is base64(HMAC-SHA256(key, raw body))
    [delivery] = receiver.deliveries()
    assert delivery.signature == xero_signature(key, delivery.body)


def test_delivery_body_has_xero_spacing_so_a_reserialised_body_fails_verification(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a delivered change
    announce(subscribed.org)
    flush(control)
    [delivery] = receiver.deliveries()
    # When a careless receiver hashes re-serialised JSON instead of the raw bytes
    reserialised = [
        json.dumps(json.loads(delivery.body)).encode(),
        json.dumps(json.loads(delivery.body), separators=(",", ":")).encode(),
    ]
    # Then the body has Xero's spaces and no re-serialisation verifies
    assert delivery.body.startswith(b'{"events":[{')
    assert b'"firstEventSequence": 1,"lastEventSequence": 1, "entropy": "' in delivery.body
    for body in reserialised:
        assert xero_signature(receiver.key, body) != delivery.signature


def test_event_names_the_resource_its_tenant_and_a_zoneless_utc_time(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a contact created in the tenant
    contact_id = announce(subscribed.org, "CONTACT")
    # When it is delivered
    flush(control)
    # Then the event points at the contact in the API and carries no record body
    [event] = receiver.deliveries()[0].payload["events"]
    assert event == {
        "resourceUrl": f"{subscribed.sim.base_url}/api.xro/2.0/Contacts/{contact_id}",
        "resourceId": contact_id,
        "eventDateUtc": event["eventDateUtc"],
        "eventType": "CREATE",
        "eventCategory": "CONTACT",
        "tenantId": subscribed.org.organisation_id,
        "tenantType": "ORGANISATION",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+", event["eventDateUtc"])


def test_credit_note_event_carries_its_type_and_status(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a credit note change (the only category with `data`, OAS-WH CreditNoteWebhookEvent)
    announce(subscribed.org, "CREDITNOTE", {"Type": "ACCRECCREDIT", "Status": "AUTHORISED"})
    # When it is delivered
    flush(control)
    # Then the event says which credit note type and status
    [event] = receiver.deliveries()[0].payload["events"]
    assert event["resourceUrl"].endswith(f"/CreditNotes/{event['resourceId']}")
    assert event["data"] == {"Type": "ACCRECCREDIT", "Status": "AUTHORISED"}


def test_one_delivery_batches_events_from_several_tenants(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given changes in two organisations connected to the same app, within one batching window
    other = second_organisation(subscribed)
    announce(subscribed.org)
    announce(other)
    # When deliveries go out
    flush(control)
    # Then one POST carries both tenants' events
    [delivery] = receiver.deliveries()
    tenants = {event["tenantId"] for event in delivery.payload["events"]}
    assert tenants == {subscribed.org.organisation_id, other.organisation_id}


def test_sequence_numbers_continue_across_deliveries(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given three changes delivered together, then two more
    for _ in range(3):
        announce(subscribed.org)
    flush(control)
    for _ in range(2):
        announce(subscribed.org)
    # When the second delivery goes out
    flush(control)
    # Then each delivery's first..last sequence follows on from the previous one
    assert [d.sequences for d in receiver.deliveries()] == [(1, 3), (4, 5)]


def test_each_app_numbers_its_own_events(subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver) -> None:
    # Given a second app connected to the same tenant, with its own receiver, after the first app saw events
    announce(subscribed.org)
    flush(control)
    other_app = create_app(subscribed.sim.world, "Other App", ["http://localhost/cb"])
    direct_principal(subscribed.sim.world, other_app, subscribed.user, [subscribed.org.organisation_id], [])
    other_receiver = WebhookReceiver().start()
    try:
        subscribe(control, other_app, other_receiver)
        # When a change is delivered to both apps
        announce(subscribed.org)
        flush(control)
        # Then the second app's sequence starts at 1 while the first app's goes on
        assert other_receiver.deliveries()[0].sequences == (1, 1)
        assert receiver.deliveries()[-1].sequences == (2, 2)
    finally:
        other_receiver.stop()


def test_a_delivery_holds_at_most_the_maximum_batch_size(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a maximum batch of two events and five changes
    control.put("/webhooks/settings", json={"max_batch_size": 2}).raise_for_status()
    for _ in range(5):
        announce(subscribed.org)
    # When deliveries go out
    flush(control)
    # Then they carry 2, 2 and 1 events
    assert [len(d.payload["events"]) for d in receiver.deliveries()] == [2, 2, 1]


def test_background_thread_delivers_after_the_batching_window(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a subscribed app whose deliveries are not paused
    subscribe(control, tenant.app, receiver)
    # When two changes happen within the batching window
    announce(tenant.org)
    announce(tenant.org)
    # Then one delivery with both arrives without any flush
    arrived = receiver.wait_for(1)
    assert [d.sequences for d in arrived] == [(1, 2)]


def test_apps_not_connected_to_the_tenant_hear_nothing(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given an organisation the subscribed app is not connected to
    stranger = create_organisation(subscribed.sim.world, "Unconnected Ltd", "AU", [])
    # When it changes
    announce(stranger)
    # Then nothing is sent
    assert flush(control) == 0
    assert receiver.deliveries() == []


def test_nothing_is_sent_before_intent_to_receive_passes(
    tenant: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given an app with a webhook URL but no Intent to Receive run
    receiver.key = tenant.app.webhook_key
    control.put(f"/apps/{tenant.app.client_id}/webhook", json={"url": receiver.url}).raise_for_status()
    # When its tenant changes
    announce(tenant.org)
    # Then Xero sends nothing
    assert flush(control) == 0
    assert receiver.received == []


def test_failed_delivery_is_retried_at_once_with_the_same_bytes(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a receiver that fails once with a 500
    receiver.statuses.extend([500])
    announce(subscribed.org)
    # When the delivery goes out
    flush(control)
    # Then it is retried immediately, byte for byte, and the retry succeeds
    first, retry = receiver.deliveries()
    assert (retry.body, retry.signature) == (first.body, first.signature)
    [record] = control.get("/webhooks/deliveries").json()["deliveries"]
    assert [a["outcome"] for a in record["attempts"]] == ["failed", "delivered"]
    assert record["attempts"][0]["status"] == 500


def test_after_two_failures_the_next_retry_waits_fifteen_minutes_of_simulated_time(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a delivery that failed twice (the first try and the immediate retry)
    receiver.statuses.extend([500, 500])
    announce(subscribed.org)
    flush(control)
    # When 14 minutes pass, then one more
    control.post("/clock/advance", json={"seconds": 14 * 60})
    early = flush(control)
    control.post("/clock/advance", json={"seconds": 60})
    on_time = flush(control)
    # Then the third attempt goes out only at 15 minutes, and succeeds
    assert (early, on_time) == (0, 1)
    [record] = control.get("/webhooks/deliveries").json()["deliveries"]
    assert record["state"] == "delivered"
    assert len(record["attempts"]) == 3


def test_failed_delivery_holds_back_later_ones_until_it_succeeds(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a delivery waiting for its retry, and a later change
    receiver.statuses.extend([500, 500])
    announce(subscribed.org)
    flush(control)
    announce(subscribed.org)
    flush(control)
    # When the retry comes due
    control.post("/clock/advance", json={"seconds": 15 * 60})
    flush(control)
    # Then the events arrive in order: the failed delivery first, then the later one
    delivered = [d.sequences for d in receiver.deliveries()]
    assert delivered == [(1, 1), (1, 1), (1, 1), (2, 2)]


def test_retries_go_on_for_up_to_24_hours(subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver) -> None:
    # Given a receiver that keeps failing
    receiver.statuses.extend([503] * 10)
    announce(subscribed.org)
    flush(control)
    # When 23 hours 45 minutes of simulated time pass
    control.post("/clock/advance", json={"seconds": 23 * 3600 + 45 * 60})
    flush(control)
    # Then Xero tried again and the webhook is still enabled
    assert len(receiver.deliveries()) == 3
    assert control.get(f"/apps/{subscribed.app.client_id}").json()["webhook"]["status"] == "enabled"


def test_webhook_is_disabled_after_24_hours_of_failed_deliveries(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a receiver that keeps failing
    receiver.statuses.extend([500] * 10)
    announce(subscribed.org)
    flush(control)
    # When it still fails 24 hours of simulated time after the first failure
    control.post("/clock/advance", json={"seconds": 24 * 3600})
    flush(control)
    # Then the webhook is disabled and the delivery is given up
    webhook = control.get(f"/apps/{subscribed.app.client_id}").json()["webhook"]
    assert (webhook["status"], webhook["reason"]) == ("disabled", "Webhook disabled: deliveries failed for 24 hours")
    [record] = control.get("/webhooks/deliveries").json()["deliveries"]
    assert record["state"] == "discarded"


def test_disabled_webhook_receives_no_new_events(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a webhook disabled after 24 hours of failures, and a receiver that has recovered
    receiver.statuses.extend([500] * 3)
    announce(subscribed.org)
    flush(control)
    control.post("/clock/advance", json={"seconds": 24 * 3600})
    flush(control)
    sent_before = len(receiver.deliveries())
    # When the tenant changes again
    announce(subscribed.org)
    # Then nothing more is sent until the webhook is re-enabled
    assert flush(control) == 0
    assert len(receiver.deliveries()) == sent_before


def test_receiver_answering_with_a_body_fails_the_delivery(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a receiver that answers 200 with a body (FACTS.md §2.1: no body)
    receiver.answer_body = b"OK"
    announce(subscribed.org)
    # When the delivery goes out
    flush(control)
    # Then Xero counts it as failed
    [record] = control.get("/webhooks/deliveries").json()["deliveries"]
    assert record["attempts"][0]["problem"] == "Response contained a body"
    assert record["state"] == "pending"


def test_receiver_slower_than_the_time_limit_fails_the_delivery(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a time limit of 0.1 s (Xero's is 5 s) and a receiver that takes 0.3 s
    control.put("/webhooks/settings", json={"timeout_seconds": 0.1}).raise_for_status()
    receiver.delay = 0.3
    announce(subscribed.org)
    # When the delivery goes out (both the try and the immediate retry time out)
    flush(control)
    # Then it failed for taking too long
    [record] = control.get("/webhooks/deliveries").json()["deliveries"]
    assert record["attempts"][0]["problem"] == "Response timed out"


def test_receiver_that_is_down_fails_the_delivery(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a receiver that has gone away after Intent to Receive
    receiver.stop()
    announce(subscribed.org)
    # When the delivery goes out
    flush(control)
    # Then the attempts failed with no status and the delivery waits for its next retry
    [record] = control.get("/webhooks/deliveries").json()["deliveries"]
    assert [a["status"] for a in record["attempts"]] == [None, None]
    assert record["attempts"][0]["problem"].startswith("Delivery failed: ConnectError")
    assert record["state"] == "pending"


def test_every_attempt_is_counted_by_outcome(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a receiver that fails once and then accepts
    receiver.statuses.extend([500])
    announce(subscribed.org)
    # When the delivery goes out
    flush(control)
    # Then the counters show one failed and one delivered attempt
    assert control.get("/counters").json()["webhookDeliveries"] == {"failed": 1, "delivered": 1}


def test_disconnected_tenant_changes_are_not_delivered(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given the user disconnects the app from Xero's side
    [connection] = control.get("/connections", params={"client_id": subscribed.app.client_id}).json()["connections"]
    control.delete(f"/connections/{connection['id']}").raise_for_status()
    # When the organisation changes
    announce(subscribed.org)
    # Then the app hears nothing about it
    assert flush(control) == 0


def test_reset_forgets_pending_deliveries(subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver) -> None:
    # Given a change waiting to be delivered
    announce(subscribed.org)
    # When the simulator is reset
    control.post("/reset").raise_for_status()
    # Then nothing is left to send
    assert flush(control) == 0
    assert control.get("/webhooks/deliveries").json()["deliveries"] == []


def test_paused_deliveries_go_out_once_resumed(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given a change held while deliveries are paused
    announce(subscribed.org)
    assert receiver.wait_for(1, timeout=0.3) == []
    # When deliveries are resumed
    control.post("/webhooks/resume").raise_for_status()
    # Then the delivery thread sends it without a flush
    assert len(receiver.wait_for(1)) == 1


def test_webhook_stats_show_each_subscription(
    subscribed: Tenant, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    # Given two delivered changes
    announce(subscribed.org)
    announce(subscribed.org)
    flush(control)
    # When the webhook stats are read
    stats = control.get("/webhooks").json()
    # Then they show the app's subscription, its last sequence number, and the finished delivery
    [subscription] = stats["subscriptions"]
    assert (subscription["client_id"], subscription["status"], subscription["last_event_sequence"]) == (
        subscribed.app.client_id,
        "enabled",
        2,
    )
    assert (stats["paused"], stats["finished_deliveries"]) == (True, {"delivered": 1})
