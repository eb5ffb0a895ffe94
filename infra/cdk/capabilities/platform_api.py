"""The platform API: every /v1 route to the api function, which checks the API key itself
(functions/api/authentication.py; docs/decisions.md: API keys, not IAM)."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigwv2
from constructs import Construct

from infra.cdk.capabilities.gateway import Gateway
from infra.cdk.capabilities.service_function import FunctionRuntime, FunctionSpec, ServiceFunction
from infra.cdk.stage import StageConfig

API_ROUTES = ((apigwv2.HttpMethod.ANY, "/v1/{proxy+}"),)
# API Gateway waits 30 s at most for an integration; an export waits up to 20 s for records to settle.
GATEWAY_TIMEOUT = Duration.seconds(29)
SYNCHRONOUS = "invoked synchronously by API Gateway: a failure is the caller's HTTP answer, there is no event to keep"


def hosted_pages_environment(gateway: Gateway, config: StageConfig) -> dict[str, str]:
    """Where hosted authorise URLs and the OAuth redirect point, and which return URLs are allowed."""
    return {"PUBLIC_BASE_URL": gateway.base_url, "RETURN_URL_ALLOWLIST": ",".join(config.return_url_allowlist)}


class PlatformApi(Construct):
    """`api`: the function behind /v1."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        gateway: Gateway,
        runtime: FunctionRuntime,
    ) -> None:
        super().__init__(scope, construct_id)
        spec = FunctionSpec(
            name="api",
            description="xero-sync: the platform API (/v1), behind API keys",
            memory_mb=1024,
            timeout=GATEWAY_TIMEOUT,
            failures_kept_by=SYNCHRONOUS,
            environment=hosted_pages_environment(gateway, runtime.config),
        )
        self.api = ServiceFunction(self, "Api", spec=spec, runtime=runtime)
        gateway.route(
            "PlatformApi",
            self.api.function,
            API_ROUTES,
            authorised_in_function_by=(
                "the platform API authenticates every request by API key in its own middleware "
                "(functions/api/authentication.py, docs/decisions.md): the platform's backend may run outside AWS"
            ),
        )
