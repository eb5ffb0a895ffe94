"""The log audit finds a secret in a captured line, and only real secrets."""

from __future__ import annotations

import logging

from tests import log_audit


def test_a_line_containing_an_issued_secret_is_reported_without_repeating_the_secret() -> None:
    secret = "refresh-4f1c9a7e2b5d8c3f6a1e"
    found = log_audit.leaks(["ok line", f"refreshing with {secret} now"], [secret])
    assert len(found) == 1
    assert secret not in found[0]


def test_short_values_are_not_searched_for() -> None:
    assert log_audit.leaks(["tenant abc"], ["abc"]) == []


def test_the_capturing_handler_records_formatted_lines() -> None:
    handler = log_audit.CapturingHandler(logging.Formatter("%(message)s"))
    probe = logging.getLogger("log-audit-probe")
    probe.addHandler(handler)
    try:
        probe.warning("hello %s", "world")
    finally:
        probe.removeHandler(handler)
    assert handler.lines == ["hello world"]
