"""Control routes for the conditions Xero answers under: injected faults, rate limits, the clock."""

from __future__ import annotations

from dataclasses import asdict, replace
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
from xero_simulator.faults import Fault, FaultKind
from xero_simulator.msjson import naive_utc

if TYPE_CHECKING:
    from xero_simulator.server import Simulator


def _fault_json(fault: Fault) -> dict[str, Any]:
    return {**asdict(fault), "kind": fault.kind.value}


@control_route("POST", "/faults")
def add_fault(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/faults: inject a fault into Accounting API calls (xero_simulator.faults)."""
    body = request.body
    ratio = number(body, "ratio", 1.0, minimum=0)
    if ratio > 1:
        raise ControlError("'ratio' must be between 0 and 1")
    method = optional_text(body, "method")
    fault = Fault(
        kind=FaultKind(choice(body, "kind", [k.value for k in FaultKind])),
        ratio=ratio,
        count=optional_integer(body, "count", minimum=1),
        method=method.upper() if method else None,
        path_contains=optional_text(body, "path_contains"),
        tenant_id=optional_text(body, "tenant_id"),
        seconds=number(body, "seconds", 0.0, minimum=0),
    )
    sim.faults.add(fault)
    return 201, _fault_json(fault)


@control_route("GET", "/faults")
def list_faults(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/faults: the faults in force, counted ones with what is left of their count."""
    return {"faults": [_fault_json(fault) for fault in sim.faults.active()]}


@control_route("DELETE", "/faults")
def clear_faults(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """DELETE /_sim/faults[?seed=]: remove every fault, reseeding the random draws if asked."""
    sim.faults.clear(query_seed(request))
    return {"faults": []}


@control_route("GET", "/limits")
def read_limits(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/limits: the rate limits in force."""
    return asdict(sim.limiter.limits)


@control_route("PUT", "/limits")
def change_limits(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """Change some limits; the limiter reads the new ones from its next call (the object is swapped whole)."""
    body = request.body
    current = sim.limiter.limits
    unknown = set(body) - set(asdict(current))
    if unknown:
        raise ControlError(f"unknown limits: {', '.join(sorted(unknown))}")
    changes = {name: integer(body, name, minimum=1) for name in body}
    sim.limiter.limits = replace(current, **changes)
    return asdict(sim.limiter.limits)


@control_route("POST", "/limits/reset")
def reset_limits(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/limits/reset: forget every rate-limit window and in-flight count."""
    sim.limiter.reset()
    return asdict(sim.limiter.limits)


def _clock_json(sim: Simulator) -> dict[str, Any]:
    return {"now": naive_utc(sim.world.clock.now()), "scale": sim.world.clock.scale}


@control_route("GET", "/clock")
def read_clock(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """GET /_sim/clock: the simulated time (zoneless UTC) and its speed."""
    return _clock_json(sim)


@control_route("POST", "/clock/advance")
def advance_clock(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """POST /_sim/clock/advance: jump simulated time forward by `seconds`."""
    seconds = number(request.body, "seconds")
    if seconds < 0:
        raise ControlError("the simulated clock only moves forward: 'seconds' must not be negative")
    sim.world.clock.advance(seconds)
    return _clock_json(sim)


@control_route("PUT", "/clock/scale")
def set_clock_scale(sim: Simulator, request: ControlRequest, params: dict[str, str]) -> Any:
    """PUT /_sim/clock/scale: make simulated time run `scale` times as fast as wall time."""
    scale = number(request.body, "scale")
    if scale <= 0:
        raise ControlError("'scale' must be greater than 0")
    sim.world.clock.set_scale(scale)
    return _clock_json(sim)
