"""API Gateway in front of the functions: one HTTP API (payload 2.0, as the local gateway emulates,
local_stack/gateway.py) with stage throttling, JSON access logs and an optional custom domain.

An HTTP API rather than a REST API (docs/decisions.md): the handlers read payload 2.0 events, and
no route needs what only REST gives (WAF attaches to a REST stage or to CloudFront; put CloudFront
with WAF in front if a review asks for it). The routes authenticate in their functions: API keys on
/v1, single-use session and state tokens on /oauth, Xero's HMAC signature on the webhook.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import jsii
from aws_cdk import Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from constructs import Construct

from infra.cdk import nag
from infra.cdk.stage import StageConfig
from shared.resources import ResourceNames

# What an access log line holds. Never the query string: the OAuth callback's carries Xero's code
# and our state. Never headers: they carry API keys and Xero's signature.
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTime",
    "ip": "$context.identity.sourceIp",
    "userAgent": "$context.identity.userAgent",
    "httpMethod": "$context.httpMethod",
    "routeKey": "$context.routeKey",
    "path": "$context.path",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationStatus": "$context.integrationStatus",
    "integrationLatency": "$context.integrationLatency",
    "integrationError": "$context.integrationErrorMessage",
}


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogSettings:
    """HTTP API stages take their access log settings as this interface (no ready-made class in CDK)."""

    def __init__(self, log_group: logs.ILogGroup) -> None:
        self._destination = apigwv2.LogGroupLogDestination(log_group)
        self._format = apigw.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS))

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw.AccessLogFormat:
        return self._format


class Gateway(Construct):
    """`api`, its `$default` stage, and `base_url`: the public URL every route hangs from."""

    def __init__(self, scope: Construct, construct_id: str, *, names: ResourceNames, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.api = apigwv2.HttpApi(
            self,
            "HttpApi",
            api_name=f"{names.prefix}-api",
            description="xero-sync: the platform API (/v1), the connect pages (/oauth) and Xero's webhook",
            create_default_stage=False,
        )
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            log_group_name=f"/aws/apigateway/{names.prefix}-api",
            retention=config.log_retention,
            removal_policy=config.removal_policy,
        )
        self.domain: apigwv2.DomainName | None = None
        mapping = None
        if config.domain_name and config.certificate_arn:
            self.domain = apigwv2.DomainName(
                self,
                "Domain",
                domain_name=config.domain_name,
                certificate=acm.Certificate.from_certificate_arn(self, "Certificate", config.certificate_arn),
            )
            mapping = apigwv2.DomainMappingOptions(domain_name=self.domain)
        self.stage = apigwv2.HttpStage(
            self,
            "Stage",
            http_api=self.api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(rate_limit=config.api_rate_limit, burst_limit=config.api_burst_limit),
            access_log_settings=_AccessLogSettings(self.access_logs),
            detailed_metrics_enabled=True,
            domain_mapping=mapping,
        )
        stack = Stack.of(self)
        default_url = f"https://{self.api.api_id}.execute-api.{stack.region}.{stack.url_suffix}"
        self.base_url = f"https://{config.domain_name}" if config.domain_name else default_url

    def route(
        self,
        construct_id: str,
        function: lambda_.IFunction,
        routes: Sequence[tuple[apigwv2.HttpMethod, str]],
        *,
        authorised_in_function_by: str,
    ) -> list[apigwv2.HttpRoute]:
        """Send `routes` (method, path) to `function`; they have no gateway authoriser, for the reason given."""
        integration = HttpLambdaIntegration(f"{construct_id}Integration", function)
        added: list[apigwv2.HttpRoute] = []
        for method, path in routes:
            added += self.api.add_routes(path=path, methods=[method], integration=integration)
        for route in added:
            nag.acknowledge(route, "AwsSolutions-APIG4", authorised_in_function_by)
        return added
