"""cdk-nag is a gate: an unacknowledged finding fails synthesis; every acknowledgement says why, for
this service, and is listed in infra/cdk/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_sqs as sqs

from infra.cdk import nag
from tests.infra.conftest import Synthesised

README = Path(__file__).resolve().parents[2] / "infra" / "cdk" / "README.md"


def test_an_unacknowledged_finding_fails_synthesis() -> None:
    app = App()
    sqs.Queue(Stack(app, "Gate"), "QueueWithoutItsRules")
    nag.add_checks(app)

    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()


def test_both_stages_synthesise_with_every_finding_acknowledged(dev: Synthesised, prod: Synthesised) -> None:
    for synthesised in (dev, prod):
        report = synthesised.outdir / "validation-report.json"

        assert not report.exists() or "failure" not in report.read_text()
        assert synthesised.acknowledgements


def test_every_acknowledgement_gives_a_reason_of_this_service(dev: Synthesised) -> None:
    for acknowledgement in dev.acknowledgements:
        assert len(acknowledgement.reason) >= 60, acknowledgement


def test_acknowledgements_sit_on_constructs_not_on_the_stack(dev: Synthesised) -> None:
    for acknowledgement in dev.acknowledgements:
        assert "/" in acknowledgement.path, f"{acknowledgement.rule} is acknowledged for the whole stack"


def test_the_readme_lists_every_acknowledged_rule(dev: Synthesised) -> None:
    readme = README.read_text()
    for acknowledgement in dev.acknowledgements:
        listed = acknowledgement.rule.replace("xero-sync-dev", "xero-sync-<stage>")
        assert listed in readme, f"infra/cdk/README.md does not list {listed}"
