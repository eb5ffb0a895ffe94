"""The local stack's progress command (local_stack/progress.py): a bar per kind, the budget and the
estimate, drawn from the API's answer."""

from __future__ import annotations

from typing import Any

from local_stack.progress import bar, duration, render


def kind(name: str, state: str, records: int, *counts: int | None) -> dict[str, Any]:
    total, pages, page_count = counts
    return {"kind": name, "state": state, "records": records, "total": total, "pages": pages, "page_count": page_count}


def test_a_bar_fills_with_the_share_read_and_is_empty_while_the_total_is_unknown() -> None:
    assert bar(500, 1000, "running") == "[" + "#" * 15 + "." * 15 + "]"
    assert bar(3, None, "running") == "[" + "." * 30 + "]"
    assert bar(0, 0, "done") == "[" + "#" * 30 + "]"


def test_the_drawing_shows_each_kind_the_calls_the_budget_the_estimate_and_the_push() -> None:
    progress = {
        "done": False,
        "from_xero": [
            kind("contact", "done", 2400, 2400, 3, 3),
            kind("invoice", "running", 1000, 4000, 1, 4),
            kind("bill", "waiting", 0, None, 0, None),
        ],
        "calls": 4,
        "calls_left": 4,
        "day_calls_left": 4990,
        "estimated_seconds": 125.0,
        "to_xero": [{"counts": {"pending": 2, "in_flight": 1}}],
    }
    lines = render(progress).splitlines()
    assert lines[0] == "Initial sync from Xero"
    assert "2400/2400" in lines[1]
    assert "#" * 30 in lines[1]
    assert "1000/4000" in lines[2]
    assert "pages 1/4" in lines[2]
    assert "pages 0/?" in lines[3]
    assert "4990 of 5000 left" in lines[4]
    assert "2m05s" in lines[4]
    assert lines[5] == "To Xero: 3 platform records pending"
    assert duration(3725) == "1h02m"
