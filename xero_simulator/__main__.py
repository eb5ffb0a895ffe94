"""Run the Xero simulator from the command line: `python -m xero_simulator --host 127.0.0.1 --port 8790`.

With --demo it registers a demo app, a user and two organisations with seeded records, and prints
what a developer needs to point a client at it.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from xero_simulator.clock import SimClock
from xero_simulator.demo import seed_demo
from xero_simulator.rate_limits import Limits
from xero_simulator.server import Simulator, SimulatorServer


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m xero_simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: loopback only)")
    parser.add_argument("--port", type=int, default=8790, help="port to bind; 0 picks a free one (default 8790)")
    parser.add_argument("--demo", action="store_true", help="register a demo app, user and seeded organisations")
    parser.add_argument("--scale", type=float, default=1.0, help="simulated seconds per wall second (default 1)")
    parser.add_argument("--per-minute", type=int, default=Limits.per_minute, help="calls per tenant per minute")
    parser.add_argument("--per-day", type=int, default=Limits.per_day, help="calls per tenant per day")
    parser.add_argument("--lenient", action="store_true", help="do not check answers against Xero's OpenAPI spec")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    limits = Limits(per_minute=args.per_minute, per_day=args.per_day)
    simulator = Simulator(SimClock(scale=args.scale), limits, strict=not args.lenient)
    server = SimulatorServer(simulator, args.host, args.port, access_log=args.access_log)
    server.start()
    print(f"Xero simulator listening on {server.base_url}", flush=True)
    print(f"  control API: {server.base_url}/_sim   (see docs/simulator.md)", flush=True)
    if args.demo:
        print(seed_demo(simulator).describe(server.base_url), flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    print("Press Ctrl+C to stop.", flush=True)
    stopped.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
