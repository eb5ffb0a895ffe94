"""Registers the identity service's routes: each module adds its own to `plain_routes.identity` on import."""

from xero_simulator.identity import authorize, connections, discovery, revocation, token_endpoint

__all__ = ["authorize", "connections", "discovery", "revocation", "token_endpoint"]
