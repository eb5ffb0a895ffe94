"""Every secret the simulators of this process handed out: codes, tokens, client secrets, webhook keys.

Tests use it to prove that no secret the service received ever reached a log line: the log audit
in tests/log_audit.py searches every captured line for every value remembered here.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_issued: set[str] = set()


def remember(value: str) -> str:
    """Record a secret as it is issued, and return it unchanged."""
    with _lock:
        _issued.add(value)
    return value


def issued() -> frozenset[str]:
    with _lock:
        return frozenset(_issued)
