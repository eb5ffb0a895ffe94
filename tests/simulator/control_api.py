"""The simulator's control API as tests call it: an httpx client at /_sim."""

from __future__ import annotations

import httpx

from xero_simulator.server import Simulator


def control_client(sim: Simulator) -> httpx.Client:
    """A client for the control routes (seeding a slow organisation may take a while)."""
    return httpx.Client(base_url=f"{sim.base_url}/_sim", timeout=30)
