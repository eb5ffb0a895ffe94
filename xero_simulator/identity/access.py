"""Access tokens: RS256 JWTs the simulator signs, and the check every Accounting API call makes.

Claims follow FACTS.md §1.4: `authentication_event_id` ties a token to the connections its consent
created, `xero_userid` names the user, `scope` lists the granted scopes. Tokens are also recorded
server-side so that revocation and disconnection take effect before expiry.
"""

from __future__ import annotations

import base64
import functools
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from xero_simulator.errors import UnauthorizedError
from xero_simulator.issued_secrets import remember

ACCESS_TOKEN_LIFETIME = timedelta(minutes=30)
ISSUER = "https://identity.xero.com"
AUDIENCE = "https://identity.xero.com/resources"


@dataclass(frozen=True)
class Principal:
    """Who an access token speaks for: an app, a user (None for custom connections), a consent."""

    client_id: str
    user_id: str | None
    scopes: frozenset[str]
    auth_event_id: str
    grant_id: str


@functools.cache
def _process_key() -> rsa.RSAPrivateKey:
    """One RSA key per process: generating one costs ~0.5 s, and test suites start hundreds of simulators."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class SigningKey:
    kid: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    private: rsa.RSAPrivateKey = field(default_factory=_process_key)

    def jwk(self) -> dict[str, str]:
        numbers = self.private.public_key().public_numbers()

        def b64(value: int) -> str:
            raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        return {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": self.kid,
            "n": b64(numbers.n),
            "e": b64(numbers.e),
        }

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


class AccessTokens:
    """Issues and checks access tokens; revoking a grant kills every token issued under it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.key = SigningKey()
        self._revoked_grants: set[str] = set()
        self._revoked_tokens: set[str] = set()  # jti of single tokens revoked before their grant

    def issue(self, principal: Principal, now: datetime, lifetime: timedelta = ACCESS_TOKEN_LIFETIME) -> str:
        claims: dict[str, Any] = {
            "nbf": int(now.timestamp()),
            "exp": int((now + lifetime).timestamp()),
            "iss": ISSUER,
            "aud": AUDIENCE,
            "client_id": principal.client_id,
            "sub": principal.user_id or principal.client_id,
            "auth_time": int(now.timestamp()),
            "xero_userid": principal.user_id,
            "global_session_id": principal.grant_id,
            "jti": uuid.uuid4().hex,
            "authentication_event_id": principal.auth_event_id,
            "scope": sorted(principal.scopes),
        }
        return remember(jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.key.kid}))

    @property
    def private_key(self) -> rsa.RSAPrivateKey:
        return self.key.private

    def revoke_grant(self, grant_id: str) -> None:
        with self._lock:
            self._revoked_grants.add(grant_id)

    def revoke_token(self, token: str) -> None:
        """Revoke one access token (by its jti) while others of its grant stay valid: a superseded refresh pair."""
        claims = jwt.decode(
            token,
            self.key.public_pem(),
            algorithms=["RS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"verify_exp": False, "verify_nbf": False},  # the simulated clock, not the wall clock, rules
        )
        with self._lock:
            self._revoked_tokens.add(claims["jti"])

    def authenticate(self, authorization: str | None, now: datetime) -> Principal:
        """The principal of a `Bearer` header, or UnauthorizedError as Xero words it."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise UnauthorizedError("AuthenticationUnsuccessful")
        token = authorization[7:].strip()
        try:
            # Expiry is checked against the simulated clock below, not the wall clock.
            claims = jwt.decode(
                token,
                self.key.public_pem(),
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"verify_exp": False, "verify_nbf": False},
            )
        except jwt.PyJWTError as exc:
            raise UnauthorizedError("AuthenticationUnsuccessful") from exc
        expires = datetime.fromtimestamp(claims["exp"], tz=now.tzinfo)
        if now >= expires:
            raise UnauthorizedError(f"TokenExpired: token expired at {expires.strftime('%m/%d/%Y %H:%M:%S')}")
        with self._lock:
            if claims["global_session_id"] in self._revoked_grants or claims["jti"] in self._revoked_tokens:
                raise UnauthorizedError("AuthenticationUnsuccessful")
        return Principal(
            client_id=claims["client_id"],
            user_id=claims.get("xero_userid"),
            scopes=frozenset(claims["scope"]),
            auth_event_id=claims["authentication_event_id"],
            grant_id=claims["global_session_id"],
        )
