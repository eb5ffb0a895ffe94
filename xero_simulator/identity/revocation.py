"""POST /connect/revocation: a refresh token revokes the user's tokens and removes their connections.

FACTS.md §1.1: revocation "revoke[s] access tokens and remove[s] all a user's connections"; the
200 with an empty body is from NOTE-2026 only. Every grant the user gave the app ends, not only
the one the token belongs to: revoking is how a user's access ends, and it is the only way to
drop consented scopes (FACTS.md §1.4). A token that is unknown, expired or already superseded
changes nothing and still gets 200 (RFC 7009 §2.2); a token of another app is `invalid_grant`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from xero_simulator.identity.client_auth import authenticate_client
from xero_simulator.identity.connections import disconnect
from xero_simulator.identity.state import identity_state
from xero_simulator.identity.token_errors import NO_STORE, TokenError
from xero_simulator.plain_routes import identity

if TYPE_CHECKING:
    from xero_simulator.server import Simulator


@identity.route("POST", "/connect/revocation")
def revoke(sim: Simulator, request: Request, _: dict[str, str]) -> Response:
    """Revoke a user's grants to the calling app and remove their connections: 200 with an empty body."""
    world = sim.world
    try:
        with world.lock:
            app = authenticate_client(world, request)
            token = request.form.get("token")
            if not token:
                raise TokenError("invalid_request", "token is required")
            grants = identity_state(sim).grants
            grant = grants.live_grant(token, world.clock.now())
            if grant is not None and grant.user_id is not None:
                if grant.client_id != app.client_id:
                    raise TokenError("invalid_grant", "token issued to another client")
                grants.revoke_user(app.client_id, grant.user_id)
                for connection in world.connections_of(app.client_id, grant.user_id):
                    disconnect(sim, connection.id)
    except TokenError as refused:
        return refused.response()
    return Response(b"", status=200, headers=NO_STORE)
