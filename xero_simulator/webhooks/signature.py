"""The `x-xero-signature` header: base64(HMAC-SHA256(webhook key as UTF-8, raw body bytes)) (FACTS.md §2.2)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def sign(webhook_key: str, body: bytes) -> str:
    """The signature Xero sends with `body` for an app whose webhook key is `webhook_key`."""
    digest = hmac.new(webhook_key.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def forged_signature(body: bytes) -> str:
    """A well-formed signature made with a key nobody holds: Intent to Receive's deliberately wrong one."""
    return sign(secrets.token_urlsafe(48), body)
