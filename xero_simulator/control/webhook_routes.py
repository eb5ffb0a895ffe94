"""Control routes for webhooks: an app's URL and Intent to Receive, delivery settings, faults and records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xero_simulator.control.bodies import (
    ControlError,
    ControlRequest,
    choice,
    control_route,
    integer,
    number,
    optional_integer,
    optional_text,
    query_seed,
)
from xero_simulator.control.setup import find_app, webhook_url_of
from xero_simulator.webhooks.delivery_faults import DeliveryFault, DeliveryFaultKind

if TYPE_CHECKING:
    from xero_simulator.server import Simulator


@control_route("PUT", "/apps/{client_id}/webhook")
def set_webhook_url(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """PUT /_sim/apps/{client_id}/webhook: a new URL (null removes it); Intent to Receive must pass again."""
    app = find_app(sim, params["client_id"])
    url = webhook_url_of({"webhook_url": request.body.get("url")})
    sim.webhooks.change_url(app.client_id, url)
    return sim.webhooks.subscription_json(app.client_id)


@control_route("POST", "/apps/{client_id}/webhook/intent-to-receive")
def intent_to_receive(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/apps/{client_id}/webhook/intent-to-receive: run ITR against the app's URL."""
    app = find_app(sim, params["client_id"])
    try:
        result = sim.webhooks.intent_to_receive(app.client_id)
    except ValueError as exc:
        raise ControlError(str(exc)) from exc
    return {**result.as_json(), "webhook": sim.webhooks.subscription_json(app.client_id)}


@control_route("GET", "/webhooks")
def webhook_stats(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/webhooks: settings, pause state, subscriptions, delivery faults and finished counts."""
    return sim.webhooks.stats()


@control_route("PUT", "/webhooks/settings")
def change_settings(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """PUT /_sim/webhooks/settings: batching window, maximum batch size, receiver time limit."""
    body = request.body
    settings = sim.webhooks.settings
    unknown = set(body) - set(vars(settings))
    if unknown:
        raise ControlError(f"unknown settings: {', '.join(sorted(unknown))}")
    window = number(body, "batch_window_seconds", settings.batch_window_seconds, minimum=0)
    size = integer(body, "max_batch_size", settings.max_batch_size, minimum=1)
    timeout = number(body, "timeout_seconds", settings.timeout_seconds, minimum=0.01)
    settings.batch_window_seconds, settings.max_batch_size, settings.timeout_seconds = window, size, timeout
    return sim.webhooks.stats()["settings"]


@control_route("GET", "/webhooks/deliveries")
def deliveries(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/webhooks/deliveries[?client_id=]: every known delivery with its attempts."""
    return {"deliveries": sim.webhooks.deliveries(request.query.get("client_id"))}


@control_route("POST", "/webhooks/pause")
def pause(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/webhooks/pause: the delivery thread stops sending; flush still sends."""
    sim.webhooks.pause()
    return {"paused": True}


@control_route("POST", "/webhooks/resume")
def resume(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/webhooks/resume: the delivery thread sends again."""
    sim.webhooks.resume()
    return {"paused": False}


@control_route("POST", "/webhooks/flush")
def flush(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/webhooks/flush: send everything due now, ignoring the batching window."""
    return {"posts": sim.webhooks.flush()}


@control_route("POST", "/webhooks/faults")
def add_delivery_fault(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/webhooks/faults: a duplicate, reorder, delay or drop fault for deliveries."""
    body = request.body
    kind = DeliveryFaultKind(choice(body, "kind", [k.value for k in DeliveryFaultKind]))
    ratio = number(body, "ratio", 1.0, minimum=0)
    if ratio > 1:
        raise ControlError("'ratio' must be between 0 and 1")
    client_id = optional_text(body, "client_id")
    if client_id is not None:
        find_app(sim, client_id)
    seconds = number(body, "seconds", 0.0, minimum=0)
    if kind is DeliveryFaultKind.DELAY and seconds == 0:
        raise ControlError("a delay fault needs 'seconds' of simulated time greater than 0")
    fault = DeliveryFault(kind, ratio, optional_integer(body, "count", minimum=1), client_id, seconds)
    sim.webhooks.faults.add(fault)
    return 201, fault.as_json()


@control_route("GET", "/webhooks/faults")
def list_delivery_faults(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/webhooks/faults: the delivery faults in force."""
    return {"faults": [fault.as_json() for fault in sim.webhooks.faults.active()]}


@control_route("DELETE", "/webhooks/faults")
def clear_delivery_faults(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """DELETE /_sim/webhooks/faults[?seed=]: remove every delivery fault."""
    sim.webhooks.faults.clear(query_seed(request))
    return {"faults": []}
