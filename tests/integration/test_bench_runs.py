"""The webhook benchmark runs and writes its figures (how fast is for `make bench` to say, never a test)."""

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
