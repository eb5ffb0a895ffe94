"""Reading a ReportWithRows answer in tests: fetch one report, flatten its rows to (label, values)."""

from __future__ import annotations

from typing import Any

from tests.simulator.conftest import Tenant


def fetch_report(tenant: Tenant, name: str, **params: str) -> dict[str, Any]:
    """GET /Reports/<name> and return its single report; fails the test on anything but 200."""
    answer = tenant.api.get(f"/Reports/{name}", params=params)
    assert answer.status_code == 200, answer.text
    reports = answer.json()["Reports"]
    assert len(reports) == 1
    report: dict[str, Any] = reports[0]
    return report


def layout(report: dict[str, Any]) -> list[tuple[str, ...]]:
    """The report as lines: ("Header", cells...), ("Section", title), then (label, values...) per row."""
    lines: list[tuple[str, ...]] = []
    for top in report["Rows"]:
        if top["RowType"] == "Header":
            lines.append(("Header", *(c["Value"] for c in top["Cells"])))
            continue
        if top["Title"]:
            lines.append(("Section", top["Title"]))
        for inner in top["Rows"]:
            lines.append(tuple(c["Value"] for c in inner["Cells"]))
    return lines


def line(report: dict[str, Any], label: str) -> tuple[str, ...]:
    """The values of the row whose first cell is `label`."""
    found = [entry[1:] for entry in layout(report) if entry[0] == label]
    assert len(found) == 1, f"{label!r} appears {len(found)} times in {layout(report)}"
    return found[0]


def row_cells(report: dict[str, Any], label: str) -> list[dict[str, Any]]:
    """The cells of the row whose first cell is `label`, attributes included."""
    for top in report["Rows"]:
        for inner in top.get("Rows", []):
            if inner["Cells"][0]["Value"] == label:
                cells: list[dict[str, Any]] = inner["Cells"]
                return cells
    raise AssertionError(f"no row {label!r}")
