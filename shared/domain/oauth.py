"""The two short-lived records of a connect flow: the connect session and the OAuth state.

A connect session is what the platform hands to the tenant's browser (the hosted authorise URL);
opening it creates an OAuth state, bound to the tenant and carrying the PKCE verifier, whose value
travels through Xero and back to the callback. Both are single use and expire; DynamoDB's TTL only
tidies them up (it may lag by days), so expiry is always checked in code.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, SecretStr

CONNECT_SESSION_LIFETIME = timedelta(minutes=15)
OAUTH_STATE_LIFETIME = timedelta(minutes=10)


class ConnectSession(BaseModel):
    session_id: str  # opaque, random; appears in the hosted authorise URL
    tenant_id: str
    return_url: str
    expires_at: datetime


class OAuthState(BaseModel):
    state: str  # opaque, random; Xero sends it back to the callback
    tenant_id: str
    return_url: str
    code_verifier: SecretStr  # PKCE S256 verifier (RFC 7636), never logged
    expires_at: datetime
