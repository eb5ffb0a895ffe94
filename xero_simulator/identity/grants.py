"""Consents turned into tokens: authorization codes, grants and their rotating refresh tokens.

The rules, from FACTS.md:
- §1.2: a code may be exchanged once and expires 5 minutes after issue. A second exchange of a
  code revokes the tokens the first one returned (RFC 6749 §4.1.2 "SHOULD"; Xero's behaviour is
  not documented, and revoking is the choice that exposes a client replaying codes). Any attempt
  spends the code, even a refused one, so a client cannot retry an exchange with corrected values.
- §1.4: a refresh token expires 60 days after issue if unused; every use returns a new pair; the
  used token may be retried for 30 minutes after its first use. Whether a retry returns the same
  pair was NOT FOUND: here it returns a new pair and invalidates the pair the earlier use returned,
  and everything refreshed from it, so two workers refreshing one token cannot both carry on.
- §1.4: scopes are additive across re-consents and are only removed by revoking.
- §1.5: a refresh token of a user with no connection left to the app is `invalid_grant`.

Callers hold `world.lock`: a token request reads and changes grants and connections together.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from xero_simulator.identity import pkce
from xero_simulator.identity.access import AccessTokens, Principal
from xero_simulator.identity.token_errors import TokenError
from xero_simulator.issued_secrets import remember
from xero_simulator.world import World, new_id

CODE_LIFETIME = timedelta(minutes=5)
REFRESH_TOKEN_LIFETIME = timedelta(days=60)
REFRESH_GRACE = timedelta(minutes=30)
OFFLINE_ACCESS = "offline_access"


@dataclass(frozen=True)
class Consent:
    """What a user allowed an app on the consent page; an authorization code carries it to the token endpoint."""

    client_id: str
    user_id: str
    scopes: tuple[str, ...]
    auth_event_id: str
    redirect_uri: str
    code_challenge: str | None
    nonce: str | None


@dataclass
class Grant:
    """The tokens one code exchange (or one client-credentials request) started, and everything refreshed from it."""

    grant_id: str
    client_id: str
    user_id: str | None  # None for a custom connection: the token speaks for the app itself
    scopes: tuple[str, ...]
    auth_event_id: str
    nonce: str | None = None
    refresh_ended: bool = False


@dataclass(frozen=True)
class TokenSet:
    grant: Grant
    access_token: str
    refresh_token: str | None


@dataclass
class _Code:
    consent: Consent
    issued: datetime
    spent: bool = False
    grant_id: str | None = None  # the grant its exchange started


@dataclass
class _RefreshToken:
    grant_id: str
    issued: datetime
    access_token: str  # issued with it: a superseded pair dies as a whole
    first_used: datetime | None = None
    successor: str | None = None  # the refresh token the latest use returned
    superseded: bool = False


class Grants:
    """Codes, grants and refresh tokens of every app; access tokens are signed and revoked by `AccessTokens`."""

    def __init__(self, world: World, tokens: AccessTokens) -> None:
        self._world = world
        self._tokens = tokens
        self._codes: dict[str, _Code] = {}
        self._grants: dict[str, Grant] = {}
        self._refresh_tokens: dict[str, _RefreshToken] = {}
        self._consented: dict[tuple[str, str], tuple[str, ...]] = {}

    def remember_consent(self, client_id: str, user_id: str, scopes: Iterable[str]) -> tuple[str, ...]:
        """Add this consent's scopes to what the user already allowed the app; returns all of them (§1.4)."""
        key = (client_id, user_id)
        merged = tuple(dict.fromkeys((*self._consented.get(key, ()), *scopes)))
        self._consented[key] = merged
        return merged

    def issue_code(self, consent: Consent, now: datetime) -> str:
        """A single-use authorization code carrying this consent to the token endpoint."""
        code = remember(secrets.token_urlsafe(32))
        self._codes[code] = _Code(consent, now)
        return code

    def exchange_code(
        self, code: str, client_id: str, redirect_uri: str | None, code_verifier: str | None, now: datetime
    ) -> TokenSet:
        """Redeem an authorization code for the first token pair of a new grant, or raise `invalid_grant`."""
        found = self._codes.get(code)
        if found is None:
            raise TokenError("invalid_grant", "unknown authorization code")
        if found.spent:
            if found.grant_id is not None:
                self._end(self._grants[found.grant_id], access_tokens=True)
            raise TokenError("invalid_grant", "authorization code already used")
        found.spent = True
        consent = found.consent
        if consent.client_id != client_id:
            raise TokenError("invalid_grant", "authorization code issued to another client")
        if now >= found.issued + CODE_LIFETIME:
            raise TokenError("invalid_grant", "authorization code expired")
        if redirect_uri != consent.redirect_uri:
            raise TokenError("invalid_grant", "redirect_uri differs from the authorize request's")
        if consent.user_id not in self._world.users:
            raise TokenError("invalid_grant", "the user who consented no longer exists")
        if consent.code_challenge is not None:
            if not pkce.verifier_matches(code_verifier, consent.code_challenge):
                raise TokenError("invalid_grant", "code_verifier does not match the code_challenge")
        elif code_verifier is not None:
            raise TokenError("invalid_grant", "code_verifier sent but no code_challenge was")
        grant = Grant(
            grant_id=new_id(),
            client_id=client_id,
            user_id=consent.user_id,
            scopes=consent.scopes,
            auth_event_id=consent.auth_event_id,
            nonce=consent.nonce,
        )
        self._grants[grant.grant_id] = grant
        found.grant_id = grant.grant_id
        return self._issue(grant, now)

    def refresh(self, refresh_token: str, client_id: str, now: datetime) -> TokenSet:
        """Rotate a refresh token: a new pair, within the 60-day life or the 30-minute grace, or `invalid_grant`."""
        token, grant = self._live(refresh_token, now)
        if grant.client_id != client_id:
            raise TokenError("invalid_grant", "refresh token issued to another client")
        if grant.user_id is not None and not self._world.connections_of(grant.client_id, grant.user_id):
            self._end(grant, access_tokens=False)
            raise TokenError("invalid_grant", "the user has no connection left to this app")
        if token.first_used is None:
            token.first_used = now
        else:
            self._supersede(token.successor)
        issued = self._issue(grant, now)
        token.successor = issued.refresh_token
        return issued

    def live_grant(self, refresh_token: str, now: datetime) -> Grant | None:
        """The grant of a refresh token that `refresh` would still accept, else None (for revocation)."""
        try:
            return self._live(refresh_token, now)[1]
        except TokenError:
            return None

    def _live(self, refresh_token: str, now: datetime) -> tuple[_RefreshToken, Grant]:
        token = self._refresh_tokens.get(refresh_token)
        if token is None or token.superseded:
            raise TokenError("invalid_grant", "unknown or superseded refresh token")
        grant = self._grants[token.grant_id]
        if grant.refresh_ended:
            raise TokenError("invalid_grant", "refresh token revoked")
        if token.first_used is None and now >= token.issued + REFRESH_TOKEN_LIFETIME:
            raise TokenError("invalid_grant", "refresh token expired: unused for 60 days")
        if token.first_used is not None and now >= token.first_used + REFRESH_GRACE:
            raise TokenError("invalid_grant", "refresh token already used and its 30-minute grace is over")
        return token, grant

    def issue_app_token(self, client_id: str, scopes: tuple[str, ...], auth_event_id: str, now: datetime) -> TokenSet:
        """An access token for a custom connection (client credentials): no user, no refresh token."""
        grant = Grant(grant_id=new_id(), client_id=client_id, user_id=None, scopes=scopes, auth_event_id=auth_event_id)
        self._grants[grant.grant_id] = grant
        return self._issue(grant, now)

    def revoke_user(self, client_id: str, user_id: str) -> None:
        """Kill every token the user's grants to this app issued, and forget the scopes they consented to."""
        for grant in self._grants_of(client_id, user_id):
            self._end(grant, access_tokens=True)
        self._consented.pop((client_id, user_id), None)

    def end_refreshing(self, client_id: str, user_id: str) -> None:
        """Refuse the user's refresh tokens for this app from now on; their access tokens live out their 30 minutes."""
        for grant in self._grants_of(client_id, user_id):
            self._end(grant, access_tokens=False)

    def _grants_of(self, client_id: str, user_id: str) -> list[Grant]:
        return [g for g in self._grants.values() if g.client_id == client_id and g.user_id == user_id]

    def _issue(self, grant: Grant, now: datetime) -> TokenSet:
        principal = Principal(
            client_id=grant.client_id,
            user_id=grant.user_id,
            scopes=frozenset(grant.scopes),
            auth_event_id=grant.auth_event_id,
            grant_id=grant.grant_id,
        )
        access_token = self._tokens.issue(principal, now)
        refresh_token = None
        # FACTS.md §1.3: a refresh token only with offline_access; never for client credentials (RFC 6749 §4.4.3).
        if OFFLINE_ACCESS in grant.scopes and grant.user_id is not None:
            refresh_token = remember(secrets.token_hex(32))
            self._refresh_tokens[refresh_token] = _RefreshToken(grant.grant_id, now, access_token)
        return TokenSet(grant, access_token, refresh_token)

    def _supersede(self, refresh_token: str | None) -> None:
        while refresh_token is not None:
            token = self._refresh_tokens[refresh_token]
            token.superseded = True
            self._tokens.revoke_token(token.access_token)
            refresh_token = token.successor

    def _end(self, grant: Grant, *, access_tokens: bool) -> None:
        grant.refresh_ended = True
        if access_tokens:
            self._tokens.revoke_grant(grant.grant_id)
