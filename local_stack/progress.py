"""The initial sync's progress on the command line (issue 5, §4): a bar per kind read from Xero,
redrawn until the backfill is done.

    python -m local_stack.progress --tenant <tenant id> --key <API key>

It reads GET /v1/tenants/{tenant_id}/sync/initial through the local stack's gateway (the key and the
URL `make run` prints), every `--every` seconds, and ends when the backfill is done (or after one
drawing with --once). Plain text, no dependency: on a terminal each drawing replaces the last.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

import httpx

from local_stack.stack import StackSettings

WIDTH = 30
CLEAR = "\x1b[H\x1b[J"  # cursor home, clear to the end: the next drawing replaces this one


def bar(done: int, total: int | None, state: str) -> str:
    """`[#####.....]` for `done` of `total`; full when done, empty while the total is not known."""
    if state in {"done", "skipped"}:
        filled = WIDTH if state == "done" else 0
    elif not total:
        filled = 0
    else:
        filled = min(WIDTH, done * WIDTH // total)
    return "[" + "#" * filled + "." * (WIDTH - filled) + "]"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def render(progress: dict[str, Any]) -> str:
    """The drawing of one answer of GET .../sync/initial."""
    lines = ["Initial sync from Xero" + (" - done" if progress["done"] else "")]
    for kind in progress["from_xero"]:
        total = kind["total"]
        counted = f"{kind['records']}/{total}" if total is not None else f"{kind['records']}"
        lines.append(
            f"  {kind['kind']:<18} {bar(kind['records'], total, kind['state'])} {counted:>11}  {kind['state']:<8}"
            f" pages {kind['pages']}/{kind['page_count'] if kind['page_count'] is not None else '?'}"
        )
    lines.append(
        f"  Xero calls: {progress['calls']} made, at least {progress['calls_left']} to go;"
        f" today's budget: {progress['day_calls_left']} of 5000 left;"
        f" estimated time to finish: {duration(progress['estimated_seconds'])}"
    )
    waiting = sum(entity["counts"]["pending"] + entity["counts"]["in_flight"] for entity in progress["to_xero"])
    lines.append(f"To Xero: {waiting} platform records pending")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local_stack.progress", description=__doc__)
    parser.add_argument("--tenant", required=True, help="the tenant's id")
    parser.add_argument("--key", default=os.environ.get("XERO_SYNC_API_KEY"), help="an API key (env XERO_SYNC_API_KEY)")
    port = int(os.environ.get("LOCAL_GATEWAY_PORT", StackSettings().gateway_port))
    parser.add_argument("--api", default=f"http://127.0.0.1:{port}/v1", help="the API's base URL (%(default)s)")
    parser.add_argument("--every", type=float, default=2.0, help="seconds between drawings (%(default)s)")
    parser.add_argument("--once", action="store_true", help="draw once and end")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("an API key is needed: --key or XERO_SYNC_API_KEY (make run prints one)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    tty = sys.stdout.isatty()
    with httpx.Client(base_url=args.api, headers={"x-api-key": args.key}, timeout=30) as api:
        while True:
            answer = api.get(f"/tenants/{args.tenant}/sync/initial")
            if not answer.is_success:
                print(f"GET sync/initial: HTTP {answer.status_code} {answer.text[:300]}", file=sys.stderr)
                return 1
            progress = answer.json()
            print((CLEAR if tty else "") + render(progress), flush=True)
            if args.once or progress["done"]:
                return 0
            time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
