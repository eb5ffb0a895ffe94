"""The log audit: every log line written during the test suite, searched for every secret issued.

The simulator remembers each code, token, client secret and webhook key it hands out
(xero_simulator.issued_secrets). This module captures every log record of the process as it would
be written (xero-sync's records through their own redacting formatter, every other logger's
through a plain one) so that the suite can fail if any of those values reached a log line.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from shared.observability import SERVICE, logger

# Values shorter than this are ids or words, not secrets worth searching for (and would match by chance).
MIN_SECRET_LENGTH = 16


class CapturingHandler(logging.Handler):
    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(formatter)
        self._lock_lines = threading.Lock()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            line = f"{record.getMessage()} {record.args!r}"
        with self._lock_lines:
            self.lines.append(line)


def leaks(lines: Iterable[str], secrets: Iterable[str]) -> list[str]:
    """The captured lines that contain any of the secrets (shortened, so the report leaks nothing itself)."""
    searchable = [s for s in secrets if len(s) >= MIN_SECRET_LENGTH]
    found = []
    for line in lines:
        for secret in searchable:
            if secret in line:
                found.append(line.replace(secret, f"<secret {secret[:4]}...>")[:300])
                break
    return found


def install() -> tuple[CapturingHandler, CapturingHandler]:
    """Capture xero-sync's records with its own formatter, and every other record from the root logger."""
    service = CapturingHandler(logger.registered_formatter)
    everything = CapturingHandler(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    service_logger = logging.getLogger(SERVICE)
    service_logger.addHandler(service)
    service_logger.propagate = False  # its records are audited once, as written
    root = logging.getLogger()
    root.addHandler(everything)
    root.setLevel(logging.INFO)  # the level the functions run at
    return service, everything
