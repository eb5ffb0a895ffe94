"""Xero's webhook signature: base64(HMAC-SHA256(webhook key as UTF-8, raw body bytes)) (FACTS.md §2.2).

The message is the body exactly as it arrived. Xero's bodies carry their own spacing
(`{"events":[],"firstEventSequence": 0, ...}`), so hashing a parsed and re-serialised body fails for
every real delivery (`XeroAPI/xero-node#563`); parse only after the signature has passed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def is_signed_by_xero(webhook_key: str, body: bytes, signature: str | None) -> bool:
    """Whether `signature` (the `x-xero-signature` header, None when absent) is Xero's signature of `body`.

    The comparison is constant-time (`hmac.compare_digest`) so that a forger cannot learn the
    expected signature byte by byte from response times; it runs over bytes, so a header with
    non-ASCII characters is simply unequal rather than an error.
    """
    if not signature:
        return False
    expected = base64.b64encode(hmac.new(webhook_key.encode("utf-8"), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.strip().encode("utf-8"))
