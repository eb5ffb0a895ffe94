"""Connecting Xero: the tenant's browser opens the hosted authorise URL, Xero redirects to the OAuth
callback, and a tenant with several organisations picks one; all three routes go to oauth_callback."""

from __future__ import annotations

from aws_cdk import aws_apigatewayv2 as apigwv2
from constructs import Construct

from infra.cdk.capabilities.gateway import Gateway
from infra.cdk.capabilities.platform_api import GATEWAY_TIMEOUT, SYNCHRONOUS, hosted_pages_environment
from infra.cdk.capabilities.service_function import FunctionRuntime, FunctionSpec, ServiceFunction

CALLBACK_PATH = "/oauth/callback"
CONNECT_ROUTES = (
    (apigwv2.HttpMethod.GET, "/oauth/authorize"),
    (apigwv2.HttpMethod.GET, CALLBACK_PATH),
    (apigwv2.HttpMethod.POST, "/oauth/pick"),
)


class Connection(Construct):
    """`oauth_callback`: the function behind /oauth."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        gateway: Gateway,
        runtime: FunctionRuntime,
    ) -> None:
        super().__init__(scope, construct_id)
        environment = hosted_pages_environment(gateway, runtime.config)
        if runtime.config.xero_scopes:
            environment["XERO_SCOPES"] = runtime.config.xero_scopes
        spec = FunctionSpec(
            name="oauth_callback",
            description="xero-sync: the connect pages (/oauth/authorize, /oauth/callback, /oauth/pick)",
            memory_mb=512,
            timeout=GATEWAY_TIMEOUT,
            failures_kept_by=SYNCHRONOUS,
            environment=environment,
        )
        self.oauth_callback = ServiceFunction(self, "OAuthCallback", spec=spec, runtime=runtime)
        gateway.route(
            "Connection",
            self.oauth_callback.function,
            CONNECT_ROUTES,
            authorised_in_function_by=(
                "opened by the tenant's browser and by Xero's redirect, which carry no credentials: each request is "
                "authorised by a single-use, expiring token the function checks (connect session, OAuth state "
                "bound to a PKCE verifier, pick token)"
            ),
        )
