"""The exact bytes Xero posts: its own JSON spacing, which a receiver must hash as received (FACTS.md §2.2).

Xero's bodies look like `{"events":[],"firstEventSequence": 0,"lastEventSequence": 0, "entropy": "..."}`:
no space after `"events":`, spaces elsewhere. Neither `json.dumps` with its defaults nor a compact
re-serialisation reproduces those bytes, so a receiver that verifies the signature over re-serialised
JSON fails here as it fails against Xero (`XeroAPI/xero-node#563`).
"""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

ENTROPY_LENGTH = 20  # as in OAS-WH's example "FXNGWLCCGVANWHKILRUB"


def new_entropy() -> str:
    """A random string of upper-case letters, like the `entropy` of Xero's examples."""
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(ENTROPY_LENGTH))


def delivery_body(events: list[dict[str, Any]], first_sequence: int, last_sequence: int, entropy: str) -> bytes:
    """A delivery's body in Xero's spacing; each event is written with `", "` and `": "` separators."""
    listed = json.dumps(events)
    return (
        f'{{"events":{listed},"firstEventSequence": {first_sequence},'
        f'"lastEventSequence": {last_sequence}, "entropy": {json.dumps(entropy)}}}'
    ).encode()


def intent_to_receive_body(entropy: str) -> bytes:
    """An Intent to Receive body, byte for byte the form FACTS.md §2.3 quotes (last before first, sequences 0)."""
    return (
        f'{{"events": [], "lastEventSequence": 0, "firstEventSequence": 0, "entropy": {json.dumps(entropy)}}}'.encode()
    )
