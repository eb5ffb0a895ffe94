"""The metrics a handler emitted: Powertools prints them to stdout as CloudWatch EMF JSON lines."""

from __future__ import annotations

import json


def emitted_metrics(captured: str) -> dict[str, float]:
    """The metric totals of the EMF lines in `captured` (a value is a number or a list of numbers)."""
    totals: dict[str, float] = {}
    for line in captured.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            document = json.loads(line)
            for definition in document["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
                value = document[definition["Name"]]
                totals[definition["Name"]] = totals.get(definition["Name"], 0) + sum(
                    value if isinstance(value, list) else [value]
                )
    return totals
