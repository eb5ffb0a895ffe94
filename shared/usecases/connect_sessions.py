"""Connect sessions: the hosted authorise URL the platform hands to a tenant's browser.

A session is random (it is the only credential the browser carries), single use (the OAuth
callback function takes it when the browser opens the URL), lives 15 minutes and is bound to one
tenant and one return URL from the operator's allow-list, so a leaked or forged link can neither
connect another tenant nor send the browser somewhere the platform did not choose.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from shared.domain.oauth import CONNECT_SESSION_LIFETIME, ConnectSession
from shared.domain.return_urls import return_url_allowed
from shared.ports.state import ConnectSessionStore, TenantRepository
from shared.usecases.tenants import get_tenant

AUTHORIZE_PATH = "/oauth/authorize"


class ReturnUrlNotAllowedError(Exception):
    """The return URL is not covered by any prefix of the allow-list (shared/domain/return_urls.py)."""

    def __init__(self, allowlist: Sequence[str]) -> None:
        super().__init__("the return URL is not on the allow-list")
        self.allowlist = tuple(allowlist)


@dataclass(frozen=True)
class IssuedConnectSession:
    authorize_url: str
    expires_at: datetime


def create_connect_session(
    tenants: TenantRepository,
    sessions: ConnectSessionStore,
    tenant_id: str,
    return_url: str,
    *,
    allowlist: Sequence[str],
    public_base_url: str,
    now: datetime,
) -> IssuedConnectSession:
    """Issue a connect session for an existing tenant and return its hosted authorise URL.

    Raises TenantNotFoundError for an unknown tenant and ReturnUrlNotAllowedError when the return
    URL is off the allow-list; nothing is stored in either case.
    """
    get_tenant(tenants, tenant_id)
    if not return_url_allowed(return_url, allowlist):
        raise ReturnUrlNotAllowedError(allowlist)
    session = ConnectSession(
        session_id=secrets.token_urlsafe(32),
        tenant_id=tenant_id,
        return_url=return_url,
        expires_at=now + CONNECT_SESSION_LIFETIME,
    )
    sessions.put(session)
    query = urlencode({"session": session.session_id})
    return IssuedConnectSession(
        authorize_url=f"{public_base_url.rstrip('/')}{AUTHORIZE_PATH}?{query}", expires_at=session.expires_at
    )
