"""PKCE S256 (RFC 7636), as the OAuth callback computes it."""

from __future__ import annotations

import re

from shared.domain.pkce import new_code_verifier, s256_challenge


def test_s256_challenge_matches_rfc7636_appendix_b() -> None:
    # Given the verifier of RFC 7636's worked example
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    # When its S256 challenge is computed
    # Then it is the RFC's
    assert s256_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_code_verifier_is_43_to_128_unreserved_characters() -> None:
    # Given fresh verifiers
    verifiers = {new_code_verifier() for _ in range(20)}
    # When they are checked against RFC 7636 §4.1
    # Then each is valid, and none repeats
    assert all(re.fullmatch(r"[A-Za-z0-9\-._~]{43,128}", v) for v in verifiers)
    assert len(verifiers) == 20
