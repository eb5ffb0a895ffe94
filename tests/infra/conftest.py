"""The CDK app synthesised offline, once per test session for each stage, with cdk-nag's gate on.

Synthesis runs the AwsSolutions and Serverless packs: an unacknowledged finding fails the fixture,
and so every test here. Under pytest-xdist the first worker to need a stage synthesises it and
leaves the template (and the acknowledgements) in the session's shared temporary directory; the
other worker waits for it and reads it, so each stage is synthesised once per session.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Before the first aws_cdk import starts jsii's Node process: Node 20 is what this machine has.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# The dev stage is synthesised environment-agnostic, as in CI, whatever the developer's shell says.
for _variable in ("CDK_DEFAULT_ACCOUNT", "CDK_DEFAULT_REGION"):
    os.environ.pop(_variable, None)

from aws_cdk import Validations  # noqa: E402 - after the environment above
from aws_cdk.assertions import Template  # noqa: E402
from constructs import IConstruct  # noqa: E402

from infra.cdk.app import build_app  # noqa: E402

PROD_ACCOUNT = "123456789012"
PROD_REGION = "eu-west-1"


@dataclass(frozen=True)
class Acknowledgement:
    path: str
    rule: str
    reason: str


@dataclass(frozen=True)
class Synthesised:
    """One stage's synthesised stack: its CloudFormation template, its cloud assembly's directory,
    and the cdk-nag acknowledgements of its constructs."""

    stage: str
    template: dict[str, Any]
    outdir: Path
    acknowledgements: tuple[Acknowledgement, ...]

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        resources: dict[str, dict[str, Any]] = self.template["Resources"]
        return resources

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.resources.items() if r["Type"] == resource_type}

    def function_id(self, function: str) -> str:
        """The logical id of functions/<function>'s Lambda function."""
        name = f"xero-sync-{self.stage}-{function.replace('_', '-')}"
        return next(
            logical
            for logical, r in self.of_type("AWS::Lambda::Function").items()
            if r["Properties"]["FunctionName"] == name
        )

    def role_statements(self, function: str) -> list[dict[str, Any]]:
        """Every statement of the policies attached to the function's role."""
        role = self.resources[self.function_id(function)]["Properties"]["Role"]["Fn::GetAtt"][0]
        statements: list[dict[str, Any]] = []
        for policy in self.of_type("AWS::IAM::Policy").values():
            if {"Ref": role} in policy["Properties"]["Roles"]:
                statements += policy["Properties"]["PolicyDocument"]["Statement"]
        return statements


def acknowledgements_of(root: IConstruct) -> Iterator[Acknowledgement]:
    """Every cdk-nag acknowledgement made on `root` and the constructs under it."""
    for construct in root.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
                for rule, reason in entry.data.items():
                    yield Acknowledgement(construct.node.path, rule.removeprefix("Annotation::"), reason)


def _synthesise(stage: str, outdir: Path, **env: str) -> Synthesised:
    _, stack = build_app({"stage": stage}, outdir=str(outdir), **env)
    template = dict(Template.from_stack(stack).to_json())
    return Synthesised(stage, template, outdir, tuple(acknowledgements_of(stack)))


def _once_per_session(tmp_path_factory: pytest.TempPathFactory, stage: str, **env: str) -> Synthesised:
    """`stage` synthesised by whichever worker of the session gets here first, read by the others."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's directory, above each worker's own
    outdir, saved = shared / f"cdk-{stage}", shared / f"cdk-{stage}.json"
    with (shared / f"cdk-{stage}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if saved.exists():
            data = json.loads(saved.read_text())
            acknowledgements = tuple(Acknowledgement(**a) for a in data["acknowledgements"])
            return Synthesised(stage, data["template"], outdir, acknowledgements)
        synthesised = _synthesise(stage, outdir, **env)
        acknowledged = [a.__dict__ for a in synthesised.acknowledgements]
        saved.write_text(json.dumps({"template": synthesised.template, "acknowledgements": acknowledged}))
        return synthesised


@pytest.fixture(scope="session")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Synthesised:
    """The dev stage, environment-agnostic (as `cdk synth` without credentials makes it)."""
    return _once_per_session(tmp_path_factory, "dev")


@pytest.fixture(scope="session")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Synthesised:
    """The prod stage, for a known account and region (as `cdk deploy` makes it)."""
    return _once_per_session(tmp_path_factory, "prod", account=PROD_ACCOUNT, region=PROD_REGION)


@pytest.fixture(params=["dev", "prod"])
def either(request: pytest.FixtureRequest) -> Synthesised:
    """Each stage in turn, for what must hold in both."""
    synthesised: Synthesised = request.getfixturevalue(request.param)
    return synthesised
