"""Proof Key for Code Exchange (RFC 7636) as Xero's "Auth Code with PKCE" apps use it: S256 only.

FACTS.md §1.2: PKCE apps send `code_challenge` and `code_challenge_method=S256`; the verifier is
43-128 characters of `A-Z a-z 0-9 - . _ ~`. The `plain` method is refused: Xero documents S256
alone, and a client that falls back to `plain` sends its secret in the clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

SUPPORTED_METHOD = "S256"
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
# BASE64URL(SHA256(verifier)) without padding is always 43 characters.
_S256_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def s256_challenge(verifier: str) -> str:
    """The S256 code challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def challenge_problem(challenge: str | None, method: str | None) -> str | None:
    """Why an authorize request's challenge is unacceptable, or None when it is a well-formed S256 challenge."""
    if not challenge:
        return "code_challenge is required"
    if method != SUPPORTED_METHOD:
        return "code_challenge_method must be S256"
    if not _S256_CHALLENGE.match(challenge):
        return "code_challenge is not a base64url SHA-256 digest"
    return None


def verifier_matches(verifier: str | None, challenge: str) -> bool:
    """True when the token request's code_verifier is well formed and hashes to the stored challenge."""
    if verifier is None or not _VERIFIER.match(verifier):
        return False
    return hmac.compare_digest(s256_challenge(verifier), challenge)
