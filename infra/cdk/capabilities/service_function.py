"""One of the service's Lambda functions, the same way for all five.

Python 3.13 on x86_64 (what the code and its locked wheels are tested on), the dependencies layer and
the function's own code asset (infra/cdk/assets.py), JSON logs into an explicit log group with
retention, memory and timeout set, active tracing, and a role of its own holding exactly the grants
of infra/cdk/access.py: no managed policy, no permission the function's code does not use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aws_cdk import AssetHashType, Aws, Duration, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.cdk import nag
from infra.cdk.access import FUNCTION_ACCESS, GrantableResources, grant
from infra.cdk.assets import PLATFORM, dependencies_layer, function_code
from infra.cdk.stage import StageConfig

RUNTIME = lambda_.Runtime.PYTHON_3_13
ARCHITECTURE = lambda_.Architecture.X86_64 if PLATFORM.architecture == "x86_64" else lambda_.Architecture.ARM_64


@dataclass(frozen=True)
class FunctionSpec:
    """What differs between functions; `name` is the package under functions/."""

    name: str
    description: str
    memory_mb: int
    timeout: Duration
    # Why the function needs no dead-letter queue (Serverless-LambdaDLQ): how its failures are kept.
    failures_kept_by: str
    environment: Mapping[str, str] = field(default_factory=dict)

    @property
    def short_name(self) -> str:
        return self.name.replace("_", "-")


class DependenciesLayer(Construct):
    """The runtime packages of uv.lock as one layer, shared by every function."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        built = dependencies_layer()
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=lambda_.Code.from_asset(str(built.path), asset_hash=built.key, asset_hash_type=AssetHashType.CUSTOM),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description=f"xero-sync runtime packages from uv.lock ({PLATFORM.wheel_platform}, {PLATFORM.abi_tag})",
        )


@dataclass(frozen=True)
class FunctionRuntime:
    """What every function is built with: the stage's settings, the dependencies layer and the
    resources it may be granted access to."""

    config: StageConfig
    layer: DependenciesLayer
    resources: GrantableResources


class ServiceFunction(Construct):
    """A function with its log group and role; `function`, `role` and `log_group` are its parts."""

    def __init__(self, scope: Construct, construct_id: str, *, spec: FunctionSpec, runtime: FunctionRuntime) -> None:
        super().__init__(scope, construct_id)
        config, layer, resources = runtime.config, runtime.layer, runtime.resources
        function_name = f"{resources.names.prefix}-{spec.short_name}"
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            log_group_name=f"/aws/lambda/{function_name}",
            retention=config.log_retention,
            removal_policy=config.removal_policy,
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{function_name}: only the calls functions/{spec.name} makes",
        )
        self.log_group.grant_write(self.role)
        grant(self.role, FUNCTION_ACCESS[spec.name], resources, self)
        code = function_code(spec.name)
        self.function = lambda_.Function(
            self,
            "Function",
            function_name=function_name,
            description=spec.description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=f"functions.{spec.name}.handler.lambda_handler",
            code=lambda_.Code.from_asset(str(code.path), asset_hash=code.key, asset_hash_type=AssetHashType.CUSTOM),
            layers=[layer.layer],
            role=self.role,
            memory_size=spec.memory_mb,
            timeout=spec.timeout,
            tracing=lambda_.Tracing.ACTIVE,
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            log_group=self.log_group,
            environment={"STAGE": config.stage, **spec.environment},
        )
        self._acknowledge(spec, resources)

    def _acknowledge(self, spec: FunctionSpec, resources: GrantableResources) -> None:
        for rule in ("AwsSolutions-L1", "Serverless-LambdaLatestVersion"):
            nag.acknowledge(
                self.function,
                rule,
                "python3.13 is the interpreter the code, its tests and its locked wheels run on "
                "(docs/decisions.md); the runtime moves with the lock, not ahead of it",
            )
        nag.acknowledge(self.function, "Serverless-LambdaDLQ", spec.failures_kept_by)
        nag.acknowledge(
            self.role,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray's PutTraceSegments and PutTelemetryRecords take no resource; active tracing adds them",
        )
        if FUNCTION_ACCESS[spec.name].token_secrets:
            nag.acknowledge(
                self.role,
                f"AwsSolutions-IAM5[Resource::{_as_nag_prints(resources.token_secrets_arn(self))}]",
                "one token secret per connection, created at run time as <prefix>/tokens/<tenant id>: the name "
                "prefix is the narrowest ARN that covers them; KMS use is limited to the same ARNs",
            )


def _as_nag_prints(arn: str) -> str:
    """`arn` as cdk-nag prints it in a finding's id: pseudo parameters as <AWS::Name>, literals as they are
    (a stack deployed to a known account and region has them as literals)."""
    tokens = {Aws.PARTITION: "<AWS::Partition>", Aws.REGION: "<AWS::Region>", Aws.ACCOUNT_ID: "<AWS::AccountId>"}
    resolved = arn
    for token, printed in tokens.items():
        resolved = resolved.replace(token, printed)
    if Token.is_unresolved(resolved):
        raise ValueError(f"cannot tell how cdk-nag prints {arn}")
    return resolved
