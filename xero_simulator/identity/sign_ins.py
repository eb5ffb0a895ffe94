"""Users signed in on the authorize pages, between the sign-in form and their consent.

The consent form carries an opaque sign-in id rather than the user's id, so a script cannot
consent on behalf of a user it never signed in as.
"""

from __future__ import annotations

import secrets
import threading


class SignIns:
    """Sign-in id -> user id; an id ends with the user's decision (allow or deny)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users: dict[str, str] = {}

    def start(self, user_id: str) -> str:
        """A new opaque sign-in id for this user, for the consent form to carry."""
        sign_in = secrets.token_urlsafe(24)
        with self._lock:
            self._users[sign_in] = user_id
        return sign_in

    def user_of(self, sign_in: str) -> str | None:
        with self._lock:
            return self._users.get(sign_in)

    def end(self, sign_in: str) -> None:
        with self._lock:
            self._users.pop(sign_in, None)
