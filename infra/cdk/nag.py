"""cdk-nag as a gate: the AwsSolutions and Serverless packs validate the app when it is synthesised.

cdk-nag v3 runs as CDK policy-validation plugins (shared/notes/aws.md §3): any finding that is not
acknowledged fails `cdk synth`, and so every infra test that synthesises. Acknowledgements sit on the
narrowest construct the finding is about (a role, a route, a queue), each with this service's reason;
infra/cdk/README.md lists them all.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Validations
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import IConstruct


def add_checks(app: App) -> None:
    """Validate everything `app` synthesises against both packs."""
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True), ServerlessChecks(app, verbose=True))


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    """Accept finding `rule` on `scope` and its children, for `reason`."""
    Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))
