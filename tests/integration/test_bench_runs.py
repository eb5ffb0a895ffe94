"""The benchmarks run and write their figures (how fast is for `make bench` to say, never a test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_webhook_benchmark_writes_latency_and_import_figures(tmp_path: Path) -> None:
    # Given a tiny run of the benchmark, importing only the webhook handler
    command = [
        sys.executable,
        "-m",
        "bench.webhook_latency",
        *("--iterations", "3", "--import-repeats", "1"),
        *("--modules", "functions.webhook.handler", "--results-dir", str(tmp_path)),
    ]
    # When it runs in its own interpreter (it starts its own moto and sets its own environment)
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    # Then it succeeds and saves p50 and p99 per delivery size, and the handler's import time
    assert run.returncode == 0, run.stderr[-2000:]
    latency = json.loads((tmp_path / "webhook_latency.json").read_text())
    assert {size: sorted(figures) for size, figures in latency["deliveries"].items()} == {
        size: ["calls", "max_ms", "mean_ms", "p50_ms", "p99_ms"] for size in ("1", "10")
    }
    imports = json.loads((tmp_path / "import_times.json").read_text())
    assert "median_ms" in imports["modules"]["functions.webhook.handler"], imports


# Each figure of a scenario, and what the benchmark reports beside it.
BESIDE = {
    "xero_calls_per_record": ["measured", "minimum"],
    "rate_limited_429": ["measured", "minimum"],
    "share_of_xero_minute_limit": ["ideal", "measured"],
    "share_of_backfill_allowance": ["ideal", "measured"],
    "simulated_minutes_to_finish": ["measured", "minimum"],
    "fairness_jain_index": ["ideal", "measured"],
    "finish_time_ratio_first_to_last": ["ideal", "measured"],
}


def test_sync_push_benchmark_writes_its_figures_and_finds_xero_and_the_platform_agree(tmp_path: Path) -> None:
    # Given a tiny run of the push benchmark: a few records, two tenants, a fast clock
    command = [
        sys.executable,
        "-m",
        "bench.sync_push",
        *("--contacts", "20", "--invoices", "30", "--credit-notes", "2"),
        *("--tenants", "2", "--tenant-contacts", "20", "--tenant-invoices", "30"),
        *("--scale", "60", "--tenants-scale", "60", "--results-dir", str(tmp_path)),
    ]
    # When it runs in its own interpreter (it serves its own simulator)
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    # Then it succeeds, saves each scenario's figures beside their minimums or ideals, draws the chart,
    # and finds that Xero and the platform agree record for record
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    results = json.loads((tmp_path / "sync_push.json").read_text())
    reported = {
        scenario: {name: sorted(set(outcome["figures"][name]) & {"measured", "minimum", "ideal"}) for name in BESIDE}
        for scenario, outcome in results["scenarios"].items()
    }
    assert reported == {"one_tenant": BESIDE, "tenants_backfilling": BESIDE}
    assert results["xero_and_platform_agree"] is True
    assert (tmp_path / "sync_push.png").stat().st_size > 0


def test_sync_pull_benchmark_writes_each_figure_beside_its_minimum(tmp_path: Path) -> None:
    # Given a tiny run of the pull benchmark: a small organisation, a few webhook events, two idle hours,
    # a fast clock, and no local stack (the end-to-end tests time edits on it)
    command = [
        sys.executable,
        "-m",
        "bench.sync_pull",
        *("--contacts", "20", "--invoices", "60", "--events", "25", "--idle-hours", "2", "--edits", "0"),
        *("--scale", "60", "--results-dir", str(tmp_path)),
    ]
    # When it runs in its own interpreter (it serves its own simulator)
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    # Then it succeeds and saves each figure beside its minimum
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    results = json.loads((tmp_path / "sync_pull.json").read_text())
    figures = {
        "import": results["import"]["xero_calls"],
        "paced": results["webhooks"]["batches_of_10_paced"]["fetch_calls"],
        "kept": results["webhooks"]["kept_and_read_together"]["fetch_calls"],
        "idle": results["idle_tenant"]["calls_per_hour"],
    }
    assert all(sorted(figure) == ["measured", "minimum"] for figure in figures.values()), figures
    # And the import reads every contact and invoice; the 25 events, a message per delivery, come to the
    # worker in one batch and are fetched in one call, as are the kept fetches: both at the minimum
    assert results["import"]["platform_records"]["invoice"]["synced"] == 60, results["import"]
    assert figures["paced"] == {"measured": 1, "minimum": 1}, figures
    assert figures["kept"] == {"measured": 1, "minimum": 1}, figures
