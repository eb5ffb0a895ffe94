"""OpenID Connect discovery (FACTS.md §1.1: xero-node discovers `https://identity.xero.com`) and its JWKS.

The issuer is Xero's, as in the tokens' `iss` claim; the endpoints point at this simulator, which
serves login.xero.com, identity.xero.com and api.xero.com from one address. Only what the
simulator implements is advertised (no userinfo, end-session or introspection endpoints), and
only S256 for PKCE (FACTS.md §1.2).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from xero_simulator.identity.access import ISSUER
from xero_simulator.plain_routes import identity
from xero_simulator.scopes import KNOWN_SCOPES

if TYPE_CHECKING:
    from xero_simulator.server import Simulator

DISCOVERY_PATH = "/.well-known/openid-configuration"
JWKS_PATH = DISCOVERY_PATH + "/jwks"


def _json(body: object) -> Response:
    return Response(json.dumps(body), status=200, content_type="application/json")


@identity.route("GET", DISCOVERY_PATH)
def openid_configuration(sim: Simulator, _request: Request, _: dict[str, str]) -> Response:
    """The discovery document an OIDC client library reads before anything else."""
    base = sim.base_url
    return _json(
        {
            "issuer": ISSUER,
            "jwks_uri": base + JWKS_PATH,
            "authorization_endpoint": base + "/identity/connect/authorize",
            "token_endpoint": base + "/connect/token",
            "revocation_endpoint": base + "/connect/revocation",
            "scopes_supported": sorted(KNOWN_SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "sub",
                "xero_userid",
                "global_session_id",
                "email",
                "given_name",
                "family_name",
                "preferred_username",
                "nonce",
            ],
        }
    )


@identity.route("GET", JWKS_PATH)
def jwks(sim: Simulator, _request: Request, _: dict[str, str]) -> Response:
    """The public key that verifies access tokens and id_tokens (the `kid` in their headers)."""
    return _json({"keys": [sim.tokens.key.jwk()]})
