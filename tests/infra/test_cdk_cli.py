"""The pinned CDK command line synthesises the app as cdk.json tells it to, offline and without
credentials, and understands the cloud assembly this aws-cdk-lib writes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

CDK_DIR = Path(__file__).resolve().parents[2] / "infra" / "cdk"
CLI = CDK_DIR / "node_modules" / ".bin" / "cdk"


def test_cdk_synth_writes_the_stage_template(tmp_path: Path) -> None:
    assert CLI.exists(), "the CDK CLI is not installed: run `make cdk-cli` (npm ci in infra/cdk)"
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "CDK_DEFAULT_"))} | {
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        # No credentials and no instance metadata: synth must not need AWS.
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "CDK_DISABLE_CLI_TELEMETRY": "true",
    }

    done = subprocess.run(  # noqa: S603 - the pinned CLI from package-lock.json
        [str(CLI), "synth", "--quiet", "--no-notices", "--output", str(tmp_path), "-c", "stage=ci"],
        cwd=CDK_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    template = json.loads((tmp_path / "xero-sync-ci.template.json").read_text())
    functions = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    assert len(functions) == 5
