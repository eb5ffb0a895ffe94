"""PKCE (RFC 7636) with the S256 method: a fresh code verifier per authorise, and its challenge.

Xero accepts a verifier of 43 to 128 characters from `A-Z a-z 0-9 - . _ ~` (FACTS.md §1.2). The
verifier stays server-side in the OAuth state; only the challenge travels through the browser.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

# 64 random bytes become 86 URL-safe base64 characters: inside RFC 7636's 43..128, and far more
# entropy than the 32 bytes the RFC asks for.
_VERIFIER_BYTES = 64


def new_code_verifier() -> str:
    """A random PKCE code verifier of 86 characters, all from RFC 7636's unreserved alphabet."""
    return secrets.token_urlsafe(_VERIFIER_BYTES)


def s256_challenge(verifier: str) -> str:
    """BASE64URL(SHA256(ASCII(verifier))) without padding: the `code_challenge` for method S256."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
