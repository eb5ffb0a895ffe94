"""Control routes over the simulator's whole state: what it counted, and starting afresh.

Reset forgets users, organisations (and so every record), connections, injected faults, rate-limit
windows, idempotency keys, counters and webhook traffic (events, deliveries, delivery faults, pause).
Apps stay by default, with their secrets, webhook keys and webhook subscriptions, so a running client
keeps its configuration; `{"keep_apps": false}` removes them too. The clock never runs back, access
tokens stay signed but name no connection (403), and identity grants are left to the identity service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xero_simulator.control.bodies import ControlRequest, boolean, control_route

if TYPE_CHECKING:
    from xero_simulator.server import Simulator


@control_route("GET", "/counters")
def read_counters(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/counters: calls, 429s, replays, token grants and deliveries, plus webhook stats."""
    return {**sim.counters.snapshot(), "webhooks": sim.webhooks.stats()}


@control_route("POST", "/counters/reset")
def reset_counters(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/counters/reset: start counting from zero."""
    sim.counters.reset()
    return sim.counters.snapshot()


@control_route("POST", "/reset")
def reset(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/reset: forget the world but the apps (unless `keep_apps` is false); see the module docstring."""
    keep_apps = boolean(request.body, "keep_apps", default=True)
    world = sim.world
    with world.lock:
        world.users.clear()
        world.organisations.clear()
        world.connections.clear()
        if not keep_apps:
            world.apps.clear()
    sim.faults.clear()
    sim.limiter.reset()
    sim.idempotency.reset()
    sim.counters.reset()
    sim.webhooks.reset(keep_subscriptions=keep_apps)
    return {"apps": len(world.apps), "organisations": 0, "users": 0, "connections": 0}
