"""OpenID Connect id_tokens: returned with the access token when the `openid` scope was granted (FACTS.md §1.3).

Signed with the access tokens' key, so the discovery document's JWKS verifies both. The 5-minute
lifetime comes from NOTE-2026 only (FACTS.md §1.4, SECONDARY): a client that keeps an id_token
around as proof of identity finds out early.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import jwt

from xero_simulator.identity.access import ISSUER, AccessTokens
from xero_simulator.identity.grants import Grant
from xero_simulator.issued_secrets import remember
from xero_simulator.world import User

ID_TOKEN_LIFETIME = timedelta(minutes=5)


def issue_id_token(tokens: AccessTokens, grant: Grant, user: User, now: datetime) -> str:
    """An RS256 id_token for the grant's user, with email and profile claims only when those scopes were granted."""
    moment = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": grant.client_id,
        "sub": user.user_id,
        "nbf": moment,
        "iat": moment,
        "exp": int((now + ID_TOKEN_LIFETIME).timestamp()),
        "auth_time": moment,
        "xero_userid": user.user_id,
        "global_session_id": grant.grant_id,
    }
    if grant.nonce:
        claims["nonce"] = grant.nonce
    if "email" in grant.scopes:
        claims["email"] = user.email
    if "profile" in grant.scopes:
        claims["preferred_username"] = user.email
        claims["given_name"] = user.first_name
        claims["family_name"] = user.last_name
    return remember(jwt.encode(claims, tokens.private_key, algorithm="RS256", headers={"kid": tokens.key.kid}))
