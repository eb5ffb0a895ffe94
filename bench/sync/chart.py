"""The benchmark's chart (PNG): each scenario's calls in the trailing simulated minute, per tenant,
against Xero's 60 and the backfill's 48, and a table of the figures beside their minimums."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")  # no display: the chart is a file (set before pyplot is imported)

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from bench.sync.figures import BACKFILL_PER_MINUTE, XERO_PER_MINUTE

Timeline = Sequence[tuple[float, int]]  # (simulated seconds since the start, calls in the minute before)

_ROWS = (
    ("xero_calls_per_record", "Xero calls per record", "minimum"),
    ("rate_limited_429", "429s received", "minimum"),
    ("share_of_xero_minute_limit", "share of Xero's 60/min", "ideal"),
    ("share_of_backfill_allowance", "share of backfill's 48/min", "ideal"),
    ("busiest_60s_calls", "calls in the busiest 60 s", "allowed"),
    ("simulated_minutes_to_finish", "simulated minutes to finish", "minimum"),
    ("fairness_jain_index", "fairness (Jain's index)", "ideal"),
    ("finish_time_ratio_first_to_last", "first / last finish", "ideal"),
)


def draw(path: Path, scenarios: Sequence[tuple[str, Mapping[str, Timeline], dict[str, Any]]]) -> None:
    """Draw each scenario (title, timelines by tenant, figures) and save the chart at `path`."""
    figure, axes = plt.subplots(2, len(scenarios), figsize=(7 * len(scenarios), 9), height_ratios=(3, 2), squeeze=False)
    for column, (title, timelines, figures) in enumerate(scenarios):
        _timelines(axes[0][column], title, timelines)
        _table(axes[1][column], figures)
    figure.suptitle("Pushing to the Xero simulator with Xero's limits: calls per simulated minute")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _timelines(ax: Axes, title: str, timelines: Mapping[str, Timeline]) -> None:
    for tenant_id, points in timelines.items():
        minutes = [at / 60 for at, _ in points]
        ax.plot(minutes, [count for _, count in points], linewidth=1, label=tenant_id if len(timelines) == 1 else None)
    ax.axhline(XERO_PER_MINUTE, color="crimson", linestyle="--", label=f"Xero's limit, {XERO_PER_MINUTE}/min")
    ax.axhline(BACKFILL_PER_MINUTE, color="darkorange", linestyle=":", label=f"backfill's {BACKFILL_PER_MINUTE}/min")
    ax.set_ylim(0, XERO_PER_MINUTE * 1.15)
    ax.set_xlabel("simulated minutes since the push started")
    ax.set_ylabel("calls in the trailing 60 s, per tenant")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize="small")


def _table(ax: Axes, figures: dict[str, Any]) -> None:
    ax.axis("off")
    rows = [
        [label, _shown(figures[key]["measured"]), f"{_shown(figures[key][beside])} ({beside})"]
        for key, label, beside in _ROWS
    ]
    table = ax.table(cellText=rows, colLabels=["figure", "measured", "beside"], loc="center", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1, 1.4)


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
