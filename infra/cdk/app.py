"""The CDK app: `cdk synth` / `cdk deploy` run this (infra/cdk/cdk.json), as do the infra tests.

The stack is deployed to the account and region of the caller's AWS credentials (CDK_DEFAULT_*);
offline (no credentials, as in CI) it is synthesised environment-agnostic.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment

from infra.cdk import nag
from infra.cdk.stack import XeroSyncStack
from infra.cdk.stage import StageConfig

CDK_JSON = Path(__file__).with_name("cdk.json")


def build_app(
    context: Mapping[str, Any] | None = None,
    outdir: str | None = None,
    *,
    account: str | None = None,
    region: str | None = None,
) -> tuple[App, XeroSyncStack]:
    """The app with cdk.json's context (feature flags) plus `context`, its one stack, and cdk-nag's gate.

    The stack's account and region are `account` and `region`, else the CLI's (CDK_DEFAULT_*), else unknown."""
    defaults: dict[str, Any] = json.loads(CDK_JSON.read_text())["context"]
    app = App(context={**defaults, **(context or {})}, outdir=outdir)
    config = StageConfig.from_context(app.node)
    account = account or os.environ.get("CDK_DEFAULT_ACCOUNT")
    region = region or os.environ.get("CDK_DEFAULT_REGION")
    env = Environment(account=account, region=region) if account and region else None
    stack = XeroSyncStack(app, config=config, env=env)
    nag.add_checks(app)
    return app, stack


def main() -> None:
    app, _ = build_app()
    app.synth()


if __name__ == "__main__":
    main()
