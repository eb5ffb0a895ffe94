"""Figures for the webhook function: latency in process, and the import time of every handler module.

Not a test: `make bench` runs it and prints the figures, and writes them as JSON to bench/results/
(git-ignored). The webhook function is called as API Gateway calls it, with signed deliveries of 1
and of 10 events for a connected tenant, against moto in server mode on loopback (DynamoDB, SQS and
Secrets Manager over HTTP, as in the local stack); every delivery carries new events, so each call
does the full work: verify, look up the tenants, record receipts, enqueue. The first call (clients
made, webhook key fetched) is reported apart from the warm ones. Xero wants an answer within 5
seconds (FACTS.md §2.1). Import times are measured in fresh interpreters, as at a Lambda cold start.

    .venv/bin/python -m bench.webhook_latency [--iterations 2000] [--import-repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3

from functions.webhook.dependencies import build_dependencies
from functions.webhook.handler import lambda_handler
from functions.webhook.settings import WebhookSettings
from local_stack.events import LocalLambdaContext, http_api_event
from local_stack.moto_server import FAKE_CREDENTIALS, MotoServer
from local_stack.resources import create_resources
from shared.adapters.dynamodb_state import DynamoDbState
from shared.domain.connections import Connection, ConnectionStatus
from shared.domain.webhook_events import XeroWebhookEvent
from shared.resources import ResourceNames
from shared.usecases.webhook_intake import notice_key
from xero_simulator.msjson import naive_utc
from xero_simulator.webhooks.payload import delivery_body, new_entropy
from xero_simulator.webhooks.signature import sign

HANDLER_MODULES = (
    "functions.api.handler",
    "functions.oauth_callback.handler",
    "functions.webhook.handler",
    "functions.scheduled_sync.handler",
)
DELIVERY_SIZES = (1, 10)
STAGE = "bench"
REGION = "eu-west-1"
WEBHOOK_KEY = "bench-webhook-key"
TENANT_ID = "bench-tenant"
XERO_TENANT_ID = "0c0a5c1e-8a52-4f0e-9b56-3b1d4c6e7f80"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = ROOT / "bench" / "results"


def main(argv: list[str] | None = None) -> int:
    options = _options(argv)
    options.results_dir.mkdir(parents=True, exist_ok=True)
    latency = measure_latency(options.iterations)
    _save(options.results_dir / "webhook_latency.json", latency)
    imports = measure_import_times(options.import_repeats, options.modules)
    _save(options.results_dir / "import_times.json", imports)
    _print_figures(latency, imports)
    return 0


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=2000, help="calls per delivery size (default 2000)")
    parser.add_argument("--import-repeats", type=int, default=5, help="fresh interpreters per module (default 5)")
    parser.add_argument("--modules", nargs="+", default=list(HANDLER_MODULES), help="handler modules to import")
    parser.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS)
    return parser.parse_args(argv)


# --- webhook latency --------------------------------------------------------------------------------


def measure_latency(iterations: int) -> dict[str, Any]:
    """p50/p99 of the webhook function's answer time per delivery size, against moto on loopback."""
    moto = MotoServer(port=0)
    endpoint = moto.start()
    try:
        with _environment(AWS_ENDPOINT_URL=endpoint):
            stage = BenchStage()
            sizes = {}
            with _stdout_discarded():  # the function's log and metric lines, one set per call
                first_ms = stage.call(Delivery(1))
                for size in DELIVERY_SIZES:
                    sizes[str(size)] = _summary([stage.call(Delivery(size)) for _ in range(iterations)])
    finally:
        moto.stop()
    return {
        "what": "functions.webhook.handler.lambda_handler called in process with signed API Gateway v2 events",
        "aws": "moto server mode on loopback, in its own process; queue and receipts emptied between calls",
        "iterations_per_size": iterations,
        "first_call_ms": round(first_ms, 3),
        "deliveries": sizes,
        **_machine(),
    }


class Delivery:
    """A signed delivery of `size` new CONTACT events of the connected organisation, in Xero's spacing,
    as the API Gateway event that carries it; built before the timing starts (Xero's side of the wire)."""

    def __init__(self, size: int) -> None:
        now = naive_utc(datetime.now(UTC))
        self.events = [_contact_event(now) for _ in range(size)]
        body = delivery_body(self.events, 1, size, new_entropy())
        headers = {"content-type": "application/json", "x-xero-signature": sign(WEBHOOK_KEY, body)}
        self.api_event = http_api_event("POST", "/webhooks/xero", headers=headers, body=body)

    def receipt_keys(self) -> list[str]:
        return [notice_key(TENANT_ID, XeroWebhookEvent.model_validate(event)) for event in self.events]


def _contact_event(event_date_utc: str) -> dict[str, Any]:
    resource_id = str(uuid.uuid4())
    return {
        "resourceUrl": f"https://api.xero.com/api.xro/2.0/Contacts/{resource_id}",
        "resourceId": resource_id,
        "eventDateUtc": event_date_utc,
        "eventType": "UPDATE",
        "eventCategory": "CONTACT",
        "tenantId": XERO_TENANT_ID,
        "tenantType": "ORGANISATION",
    }


class BenchStage:
    """The bench stage on moto with one connected tenant, and the webhook function over it.

    moto's FIFO SendMessage scans every message on the queue and its GSI query every item of the
    table, so their latency grows with each call (8 ms to 44 ms per send after 1,000 messages); SQS
    and DynamoDB do not. The queue and the receipts are emptied after each call, outside the timing,
    so that every call meets the same small state.
    """

    def __init__(self) -> None:
        self.names = ResourceNames(STAGE)
        # The Xero app secret stays empty: the webhook never reads it.
        resources = create_resources(self.names, xero_client_id="", xero_client_secret="", webhook_key=WEBHOOK_KEY)
        self._queue_url = resources.work_queue_url
        DynamoDbState.for_table(self.names.state_table).connections.put(
            Connection(
                tenant_id=TENANT_ID,
                status=ConnectionStatus.CONNECTED,
                xero_tenant_id=XERO_TENANT_ID,
                updated_at=datetime.now(UTC),
            )
        )
        self._deps = build_dependencies(WebhookSettings())
        self._sqs = boto3.client("sqs")
        self._dynamodb = boto3.client("dynamodb")

    def call(self, delivery: Delivery) -> float:
        """Milliseconds the function took to answer the delivery (which it must take with 200)."""
        context = LocalLambdaContext("xero-sync-bench-webhook")
        started = time.perf_counter()
        answer = lambda_handler(delivery.api_event, context, deps=self._deps)
        elapsed_ms = (time.perf_counter() - started) * 1000
        if answer.get("statusCode") != 200:
            raise RuntimeError(f"the webhook function did not take a benchmark delivery: {answer}")
        self._empty(delivery)
        return elapsed_ms

    def _empty(self, delivery: Delivery) -> None:
        # Receipt items as the state table keys them (RECEIPT#<key>/RECEIPT, docs/decisions.md).
        keys = delivery.receipt_keys()
        for start in range(0, len(keys), 25):  # BatchWriteItem takes 25 requests at most
            deletes = [
                {"DeleteRequest": {"Key": {"pk": {"S": f"RECEIPT#{key}"}, "sk": {"S": "RECEIPT"}}}}
                for key in keys[start : start + 25]
            ]
            self._dynamodb.batch_write_item(RequestItems={self.names.state_table: deletes})
        while messages := self._sqs.receive_message(QueueUrl=self._queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        ):
            self._sqs.delete_message_batch(
                QueueUrl=self._queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
            )


def _summary(timings_ms: list[float]) -> dict[str, Any]:
    ordered = sorted(timings_ms)
    # statistics.quantiles needs two points; with one the percentiles are that point.
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return {
        "calls": len(ordered),
        "p50_ms": round(statistics.median(ordered), 3),
        "p99_ms": round(cuts[98], 3),
        "mean_ms": round(statistics.fmean(ordered), 3),
        "max_ms": round(ordered[-1], 3),
    }


@contextmanager
def _environment(**extra: str) -> Iterator[None]:
    """The environment a function has locally: moto's endpoint, fake credentials, the bench stage."""
    values = {
        **FAKE_CREDENTIALS,
        "STAGE": STAGE,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "AWS_CONFIG_FILE": "/nonexistent/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        **extra,
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _stdout_discarded() -> Iterator[None]:
    """Send file descriptor 1 to /dev/null: the lines are still formatted and written, as in Lambda."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


# --- import times -----------------------------------------------------------------------------------

_IMPORT_PROBE = """
import importlib, sys, time
started = time.perf_counter()
importlib.import_module(sys.argv[1])
print((time.perf_counter() - started) * 1000)
"""


def measure_import_times(repeats: int, modules_to_import: Sequence[str] = HANDLER_MODULES) -> dict[str, Any]:
    """Each handler module imported in `repeats` fresh interpreters (median and best), and where one more
    import's time goes, by top-level package (python -X importtime, not counted in the figures)."""
    modules = {}
    for module in modules_to_import:
        runs = [_import_once(module) for _ in range(repeats)]
        failed = next((run for run in runs if "error" in run), None)
        if failed is not None:
            modules[module] = {"error": failed["error"]}
            continue
        times = [run["ms"] for run in runs]
        modules[module] = {
            "median_ms": round(statistics.median(times), 1),
            "min_ms": round(min(times), 1),
            "self_time_by_package_ms": _import_once(module, importtime=True)["by_package"],
        }
    return {
        "what": "time.perf_counter() around importlib.import_module in a fresh interpreter per run",
        "repeats": repeats,
        "modules": modules,
        **_machine(),
    }


def _import_once(module: str, *, importtime: bool = False) -> dict[str, Any]:
    flags = ["-X", "importtime"] if importtime else []
    run = subprocess.run(  # noqa: S603 - our own interpreter and probe, a module name of our own
        [sys.executable, *flags, "-c", _IMPORT_PROBE, module],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if run.returncode != 0:
        last_line = (run.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": last_line}
    return {"ms": float(run.stdout.strip().splitlines()[-1]), "by_package": _by_package(run.stderr)}


def _by_package(importtime_report: str, count: int = 8) -> dict[str, float]:
    """The top-level packages whose modules took the most time of their own in a -X importtime report."""
    totals: dict[str, float] = {}
    for line in importtime_report.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not line.startswith("import time:") or "self [us]" in line:
            continue
        package = parts[2].strip().split(".")[0]
        self_us = int(parts[0].removeprefix("import time:"))
        totals[package] = totals.get(package, 0) + self_us / 1000
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)[:count]
    return {package: round(ms, 1) for package, ms in ranked}


# --- output -----------------------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _save(path: Path, figures: dict[str, Any]) -> None:
    path.write_text(json.dumps(figures, indent=2) + "\n")


def _print_figures(latency: dict[str, Any], imports: dict[str, Any]) -> None:
    print(f"webhook function, in process against moto on loopback ({latency['iterations_per_size']} calls each):")
    print(f"  first call: {latency['first_call_ms']:.1f} ms")
    for size, figures in latency["deliveries"].items():
        print(f"  {size:>2} event(s): p50 {figures['p50_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms")
    print(f"import time of each handler module (fresh interpreter, median of {imports['repeats']}):")
    for module, figures in imports["modules"].items():
        shown = f"{figures['median_ms']:.0f} ms" if "median_ms" in figures else f"failed: {figures['error']}"
        print(f"  {module}: {shown}")


if __name__ == "__main__":
    sys.exit(main())
