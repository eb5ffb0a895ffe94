"""The identity service's state inside a simulator: grants and tokens, and users mid-sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from xero_simulator.identity.grants import Grants
from xero_simulator.identity.sign_ins import SignIns

if TYPE_CHECKING:
    from xero_simulator.server import Simulator

_KEY = "xero_simulator.identity"


@dataclass
class IdentityState:
    grants: Grants
    sign_ins: SignIns


def identity_state(sim: Simulator) -> IdentityState:
    """This simulator's identity state, created on first use in `sim.extensions`."""
    with sim.world.lock:
        state: IdentityState | None = sim.extensions.get(_KEY)
        if state is None:
            state = IdentityState(Grants(sim.world, sim.tokens), SignIns())
            sim.extensions[_KEY] = state
        return state
