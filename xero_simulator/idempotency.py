"""Xero's Idempotency-Key: a replay within the retention window gets the first answer back.

Keys are per app and at most 128 characters (OAS-ACC `idempotencyKey`). The 6-minute retention,
error answers being cached too, and the 400 for a key reused with another request come from a
secondary source (FACTS.md §4.5) and are modelled as stated there.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from xero_simulator.errors import ValidationError

RETENTION = timedelta(minutes=6)
MAX_KEY_LENGTH = 128


@dataclass(frozen=True)
class StoredAnswer:
    fingerprint: str
    status: int
    headers: dict[str, str]
    body: bytes
    stored_at: datetime


def fingerprint(method: str, path: str, query: dict[str, str], body: Any) -> str:
    canonical = json.dumps([method, path.lower(), sorted(query.items()), body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[tuple[str, str], StoredAnswer] = {}

    def reset(self) -> None:
        with self._lock:
            self._answers.clear()

    def lookup(self, client_id: str, key: str, print_: str, now: datetime) -> StoredAnswer | None:
        """The stored answer to replay, None for a fresh key, or a 400 for a key reused with another request."""
        if len(key) > MAX_KEY_LENGTH:
            raise ValidationError([f"Idempotency-Key must be {MAX_KEY_LENGTH} characters or fewer"])
        with self._lock:
            stored = self._answers.get((client_id, key))
            if stored is None or now - stored.stored_at > RETENTION:
                return None
            if stored.fingerprint != print_:
                raise ValidationError([f"Idempotency-Key '{key}' is used with a different request"])
            return stored

    def store(self, client_id: str, key: str, answer: StoredAnswer) -> None:
        with self._lock:
            self._answers[(client_id, key)] = answer
