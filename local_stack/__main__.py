"""Run the whole service locally: `python -m local_stack` (the README's `make run`).

Starts moto, creates the stage's resources, starts the Xero simulator with its demo world, the
gateway, the SQS poller and the scheduler, runs the scripted demo, then prints the API key and a
fresh hosted authorise URL for a person to click through, and stays up until Ctrl+C or SIGTERM.
Exits non-zero, saying what failed, if the stack cannot start or the demo fails.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

import httpx

from local_stack.demo import DemoStepFailedError, create_connect_session, run_demo
from local_stack.stack import LocalStack, StackSettings, StackStartError

# Stopping every part takes about a second; this much means one of them hangs.
STOP_TIMEOUT_SECONDS = 20


def say(line: str) -> None:
    print(line, flush=True)


def _port(variable: str, default: int) -> int:
    return int(os.environ.get(variable, default))


def parse_args(argv: Sequence[str] | None = None) -> StackSettings:
    defaults = StackSettings()
    parser = argparse.ArgumentParser(prog="python -m local_stack", description=__doc__)
    parser.add_argument(
        "--gateway-port",
        type=int,
        default=_port("LOCAL_GATEWAY_PORT", defaults.gateway_port),
        help="the gateway's port; 0 picks a free one (env LOCAL_GATEWAY_PORT, default %(default)s)",
    )
    parser.add_argument(
        "--moto-port",
        type=int,
        default=_port("LOCAL_MOTO_PORT", defaults.moto_port),
        help="moto's port (env LOCAL_MOTO_PORT, default %(default)s)",
    )
    parser.add_argument(
        "--simulator-port",
        type=int,
        default=_port("LOCAL_SIMULATOR_PORT", defaults.simulator_port),
        help="the Xero simulator's port (env LOCAL_SIMULATOR_PORT, default %(default)s)",
    )
    parser.add_argument("--stage", default=defaults.stage, help="the stage whose resources are created")
    parser.add_argument(
        "--sync-due-seconds",
        type=float,
        default=defaults.sync_due_seconds,
        help="how often the sync-due rule fires scheduled_sync (default %(default)g, every minute as in AWS)",
    )
    parser.add_argument(
        "--keep-alive-seconds",
        type=float,
        default=defaults.keep_alive_seconds,
        help="how often the keep-alive rule fires scheduled_sync (default %(default)g, daily as in AWS)",
    )
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size, help="the SQS poller's batch size")
    parser.add_argument(
        "--max-concurrency", type=int, default=defaults.maximum_concurrency, help="the SQS poller's maximum concurrency"
    )
    parser.add_argument(
        "--log-level", default=defaults.functions_log_level, help="the functions' log level (default %(default)s)"
    )
    args = parser.parse_args(argv)
    return StackSettings(
        stage=args.stage,
        gateway_port=args.gateway_port,
        moto_port=args.moto_port,
        simulator_port=args.simulator_port,
        sync_due_seconds=args.sync_due_seconds,
        keep_alive_seconds=args.keep_alive_seconds,
        batch_size=args.batch_size,
        maximum_concurrency=args.max_concurrency,
        functions_log_level=args.log_level.upper(),
    )


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stack = LocalStack(settings, say)
    try:
        stack.start()
        say("Demo: a platform connects a tenant to Xero")
        outcome = run_demo(stack, say)
        say(f"Demo passed: tenant {outcome.tenant_id} is connected to {outcome.organisation_name}.")
        with httpx.Client(
            base_url=f"{stack.gateway_url}/v1", headers={"x-api-key": outcome.api_key}, timeout=30
        ) as api:
            tenant = api.post("/tenants", json={"name": "Your tenant"})
            if not tenant.is_success:
                raise DemoStepFailedError(f"create a tenant: HTTP {tenant.status_code} {tenant.text[:300]}")
            url = create_connect_session(api, tenant.json()["tenant_id"], stack.return_url)
        say("")
        say(f"Platform API:  {stack.gateway_url}/v1   (header x-api-key: {outcome.api_key})")
        say(f"Connect a tenant in your browser (single use, 15 minutes): {url}")
        say(f"Xero simulator: {stack.simulator_url}   AWS (moto): {stack.aws_endpoint}")
        say("Press Ctrl+C to stop.")
        stopped.wait()
        say("Stopping...")
        return 0
    except (StackStartError, DemoStepFailedError) as failure:
        say(f"FAILED: {failure}")
        return 1
    except Exception as failure:
        say(f"FAILED: {type(failure).__name__}: {failure}")
        logging.getLogger(__name__).exception("the local stack failed")
        return 1
    finally:
        # If stopping hangs, say where every thread is and give up, rather than hang the terminal.
        faulthandler.dump_traceback_later(STOP_TIMEOUT_SECONDS, exit=True)
        stack.stop()
        faulthandler.cancel_dump_traceback_later()


def exit_now(code: int) -> NoReturn:
    """Leave as soon as our parts have stopped.

    Interpreter teardown joins every non-daemon thread that libraries started (botocore, moto,
    executors); under load one of them has held the exit for more than 30 s after everything of
    ours had stopped. Nothing is left to flush but our own output.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
