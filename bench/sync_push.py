"""Figures for the push to Xero (issue 4 §5): a tenant's 1,000 contacts and 5,000 paid invoices, then
ten tenants backfilling at once, against the Xero simulator with Xero's real limits on a fast clock.

Not a test: `make bench` runs it, prints the figures, and writes them as JSON and as a chart (PNG) to
bench/results/ (sync_push.json, sync_push.png). Each figure is reported beside its theoretical
minimum (bench/sync/figures.py says how each is figured). Everything runs in this process: the
simulator served on loopback, tenants connected through its OAuth flow, the real push over the
budgeted Xero client and the in-memory stores (bench/sync/world.py); per tenant, a thread runs the
push and sleeps out each wait the rate budget asks for (bench/sync/driver.py). At the end, Xero and
the platform are compared record for record (bench/sync/agreement.py); any disagreement makes the
benchmark exit with status 1.

The clock runs `--scale` times faster than wall time for the first scenario and `--tenants-scale`
for the second. The work xero-sync does between calls (mapping, the in-memory ledger, the
simulator's own request checks) takes real time, which the scaled clock turns into simulated time
(at 10x, ~50 ms of work between calls is half a simulated second, a real Xero call's latency). The
default scales are low enough that the rate budget, not that work, sets the pace for most of each
push: the chart shows where it does not (the ten tenants' first half minute, sharing one
interpreter, hence their lower scale), and the JSON's `simulated_seconds_waiting_for_the_budget`
how long each push waited for the budget.

    .venv/bin/python -m bench.sync_push [--contacts 1000 --invoices 5000 --credit-notes 100]
        [--tenants 10 --tenant-contacts 200 --tenant-invoices 500] [--scale 10 --tenants-scale 2]
        [--results-dir bench/results]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.sync.agreement import Agreement, compare
from bench.sync.books import SETTINGS, Books, tenant_books
from bench.sync.chart import Timeline, draw
from bench.sync.driver import TenantRun, drive
from bench.sync.figures import scenario_figures, tenant_figures, trailing_counts
from bench.sync.world import ConnectedTenant, SyncWorld
from shared.domain.rate_limits import Priority
from shared.observability import logger

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = ROOT / "bench" / "results"
# A bulk push is a backfill: the records API's bulk writes enqueue it at this priority.
PRIORITY = Priority.BACKFILL
CREDITED_EVERY = 50  # by default one invoice in 50 has a credit note (100 of the single tenant's 5,000)
TIMELINE_POINTS = 400


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    tenants: int
    contacts: int
    invoices: int
    credit_notes: int
    scale: float


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    report: dict[str, Any]  # what the JSON holds for the scenario
    timelines: Mapping[str, Timeline]
    agreements: list[Agreement]

    @property
    def agree(self) -> bool:
        return all(agreement.agree for agreement in self.agreements)


def main(argv: list[str] | None = None) -> int:
    options = _options(argv)
    options.results_dir.mkdir(parents=True, exist_ok=True)
    # The push logs a line per run; the figures are what this prints. Warnings and errors still show.
    logger.setLevel("WARNING")
    started = time.perf_counter()
    results = [run(scenario) for scenario in _scenarios(options)]
    wall = time.perf_counter() - started
    agree = all(result.agree for result in results)
    saved = {
        "what": "the real push (shared/usecases/push/) against the Xero simulator in process, Xero's real limits",
        "priority": PRIORITY.name,
        "scenarios": {result.scenario.key: result.report for result in results},
        "xero_and_platform_agree": agree,
        "wall_seconds": round(wall, 1),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (options.results_dir / "sync_push.json").write_text(json.dumps(saved, indent=2) + "\n")
    chart = [(result.report["title"], result.timelines, result.report["figures"]) for result in results]
    draw(options.results_dir / "sync_push.png", chart)
    for result in results:
        _print(result.report)
    print(f"wall time {wall:.0f} s; figures in {options.results_dir / 'sync_push.json'} and sync_push.png")
    return 0 if agree else 1


def run(scenario: Scenario) -> ScenarioResult:
    """Connect the scenario's tenants, write their books, push them all at once, and compare."""
    wall_started = time.perf_counter()
    with SyncWorld(scenario.scale) as world:
        tenants = [world.connect(f"tenant-{n:02d}", SETTINGS) for n in range(scenario.tenants)]
        books = {tenant: _write_books(world, tenant, scenario) for tenant in tenants}
        start = world.clock.timestamp()
        runs = _push_at_once(world, tenants)
        end = world.clock.timestamp()
        per_tenant = [
            tenant_figures(tenant.tenant_id, books[tenant], world.calls.of(tenant.xero_tenant_id), runs[tenant])
            for tenant in books
        ]
        agreements = [
            compare(
                tenant.tenant_id,
                books[tenant],
                world.records.store,
                world.simulator.world,
                world.organisation(tenant.xero_tenant_id),
            )
            for tenant in books
        ]
        step = max(1.0, (end - start) / TIMELINE_POINTS)
        timelines = {
            tenant.tenant_id: trailing_counts(
                sorted(c.at for c in world.calls.of(tenant.xero_tenant_id)), start, end, step
            )
            for tenant in books
        }
        counters = world.calls.snapshot()
        internal_errors = len(world.simulator.internal_errors)
        margin = world.budget.limits.arrival_margin
    example = next(iter(books.values()))
    report = {
        "title": f"{scenario.title} (clock {scenario.scale:g}x)",
        "tenants": scenario.tenants,
        "records_per_tenant": {
            "contacts": scenario.contacts,
            "invoices": scenario.invoices,
            "credit_notes": scenario.credit_notes,
            "payments": scenario.invoices,
            "with_discount": example.discounts,
            "with_fee": example.fees,
        },
        "clock_scale": scenario.scale,
        "budget_arrival_margin_seconds": margin,
        "figures": scenario_figures(per_tenant, sum(counters["rateLimited"].values())),
        "rate_limited_by_limit": counters["rateLimited"],
        "token_grants": counters["tokenGrants"],
        "simulator_internal_errors": internal_errors,
        "xero_and_platform_agree": all(agreement.agree for agreement in agreements),
        "agreement": [agreement.summary() for agreement in agreements],
        "tenants_detail": [figures.summary() for figures in per_tenant],
        "wall_seconds": round(time.perf_counter() - wall_started, 1),
    }
    return ScenarioResult(scenario, report, timelines, agreements)


def _write_books(world: SyncWorld, tenant: ConnectedTenant, scenario: Scenario) -> Books:
    """The platform writes the tenant's books (as the records API's bulk upsert would), all pending."""
    now = world.clock.now()
    books = tenant_books(scenario.contacts, scenario.invoices, scenario.credit_notes, now.date())
    for entity, platform_id, body in books.records:
        world.records.store.write(tenant.tenant_id, entity, platform_id, body, now)
    return books


def _push_at_once(world: SyncWorld, tenants: list[ConnectedTenant]) -> dict[ConnectedTenant, TenantRun]:
    """Every tenant's backfill at the same time, one thread each, until none has anything pending."""
    push = world.push()

    def backfill(tenant: ConnectedTenant) -> TenantRun:
        return drive(push, world.records.store, world.clock, tenant.tenant_id, PRIORITY)

    # The budgeted client adds a metric per call, and Powertools prints them (EMF, on stdout) a hundred at a
    # time; they are not the figures.
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), ThreadPoolExecutor(len(tenants)) as pool:
        return dict(zip(tenants, pool.map(backfill, tenants), strict=True))


def _scenarios(options: argparse.Namespace) -> list[Scenario]:
    one = Scenario(
        key="one_tenant",
        title="one tenant",
        tenants=1,
        contacts=options.contacts,
        invoices=options.invoices,
        credit_notes=_credit_notes(options.credit_notes, options.invoices),
        scale=options.scale,
    )
    many = Scenario(
        key="tenants_backfilling",
        title=f"{options.tenants} tenants backfilling at once",
        tenants=options.tenants,
        contacts=options.tenant_contacts,
        invoices=options.tenant_invoices,
        credit_notes=_credit_notes(options.tenant_credit_notes, options.tenant_invoices),
        scale=options.tenants_scale,
    )
    return [one, many]


def _credit_notes(asked: int | None, invoices: int) -> int:
    return asked if asked is not None else invoices // CREDITED_EVERY


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=1000, help="the single tenant's contacts (default 1000)")
    parser.add_argument("--invoices", type=int, default=5000, help="its invoices, each paid (default 5000)")
    parser.add_argument("--credit-notes", type=int, default=None, help="its credit notes (default 2%% of invoices)")
    parser.add_argument("--tenants", type=int, default=10, help="tenants backfilling at once (default 10)")
    parser.add_argument("--tenant-contacts", type=int, default=200, help="each one's contacts (default 200)")
    parser.add_argument("--tenant-invoices", type=int, default=500, help="each one's invoices (default 500)")
    parser.add_argument("--tenant-credit-notes", type=int, default=None, help="each one's (default 2%% of invoices)")
    parser.add_argument("--scale", type=float, default=10.0, help="simulated seconds a second, one tenant (10)")
    parser.add_argument("--tenants-scale", type=float, default=2.0, help="the same, tenants at once (2)")
    parser.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS)
    return parser.parse_args(argv)


def _print(report: dict[str, Any]) -> None:
    figures, shape = report["figures"], report["records_per_tenant"]
    print(
        f"{report['title']}: {report['tenants']} x ({shape['contacts']} contacts, {shape['invoices']} invoices "
        f"and their payments, {shape['with_discount']} with a discount and {shape['with_fee']} with a fee, "
        f"{shape['credit_notes']} credit notes), {report['wall_seconds']:.0f} s of wall time"
    )
    _line("Xero calls", figures["xero_calls"], "minimum")
    _line("Xero calls per record pushed", figures["xero_calls_per_record"], "minimum")
    _line("429s received", figures["rate_limited_429"], "minimum")
    share, allowance = figures["share_of_xero_minute_limit"], figures["share_of_backfill_allowance"]
    print(
        f"  {'calls per simulated minute':<32} {share['calls_per_simulated_minute']!s:<9} = {share['measured']:.0%} "
        f"of Xero's {share['limit']} (ideal {share['ideal']:.0%}), {allowance['measured']:.0%} of the backfill's "
        f"{allowance['allowance']}; busiest 60 s: {figures['busiest_60s_calls']['measured']} calls"
    )
    finish = figures["simulated_minutes_to_finish"]
    _line(
        "simulated minutes to finish",
        finish,
        "minimum",
        f"; {finish['at_the_steady_allowance']} at a steady {allowance['allowance']} a minute",
    )
    _line("fairness, Jain's index", figures["fairness_jain_index"], "ideal")
    _line("first finish / last finish", figures["finish_time_ratio_first_to_last"], "ideal")
    first = report["tenants_detail"][0]
    beyond = [
        f"{endpoint} {counts['measured']} ({counts['minimum']})"
        for endpoint, counts in first["calls_by_endpoint"].items()
        if counts["measured"] != counts["minimum"]
    ]
    if beyond:
        print(f"  calls beyond the minimum, {first['tenant_id']}: {', '.join(beyond)}")
    problems = sum(agreement["problem_count"] for agreement in report["agreement"])
    verdict = "yes" if report["xero_and_platform_agree"] else f"NO, {problems} disagreements (see the JSON)"
    print(f"  Xero and the platform agree record for record: {verdict}")


def _line(label: str, figure: dict[str, Any], beside: str, more: str = "") -> None:
    print(f"  {label:<32} {figure['measured']!s:<9} ({beside} {figure[beside]}{more})")


if __name__ == "__main__":
    sys.exit(main())
