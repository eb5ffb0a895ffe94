"""API keys of the platform API: `xsk_<key id>_<secret>`, stored only as the SHA-256 of the secret.

The key id is public (it names the stored record); the secret is shown once, when the key is
created, and only its hash is kept, so a copy of the table grants nothing. Hashes are compared in
constant time (hmac.compare_digest). Why keys rather than IAM authorisation: docs/decisions.md.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from shared.ports.state import ApiKeyStore

KEY_PREFIX = "xsk_"
# Compared against when the key id is unknown, so an unknown id costs the same work as a wrong secret.
_NO_HASH = hashlib.sha256(b"no such key").hexdigest()


class ApiKeyRejectedError(Exception):
    """No API key, a malformed one, an unknown key id or a wrong secret (never says which)."""


@dataclass(frozen=True)
class IssuedApiKey:
    key_id: str
    key: str  # the full key, `xsk_<key id>_<secret>`: shown once, never stored


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(keys: ApiKeyStore, name: str, now: datetime) -> IssuedApiKey:
    """Create a key named `name` (who it is for); returns the full key, which cannot be shown again."""
    key_id = secrets.token_hex(8)  # hex: no "_" in it, so the key splits unambiguously
    secret = secrets.token_urlsafe(32)
    keys.put(key_id, _secret_hash(secret), name, now)
    return IssuedApiKey(key_id=key_id, key=f"{KEY_PREFIX}{key_id}_{secret}")


def authenticate_api_key(keys: ApiKeyStore, presented: str | None) -> str:
    """The key id of a valid presented key; raises ApiKeyRejectedError otherwise."""
    if not presented or not presented.startswith(KEY_PREFIX):
        raise ApiKeyRejectedError()
    key_id, separator, secret = presented[len(KEY_PREFIX) :].partition("_")
    if not separator or not key_id or not secret:
        raise ApiKeyRejectedError()
    stored = keys.secret_hash(key_id)
    if not hmac.compare_digest(stored or _NO_HASH, _secret_hash(secret)) or stored is None:
        raise ApiKeyRejectedError()
    return key_id
