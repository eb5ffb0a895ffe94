"""The whole service in one thin stack: each capability is one construct (infra/cdk/capabilities/)."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from infra.cdk.access import GrantableResources
from infra.cdk.capabilities.connection import CALLBACK_PATH, Connection
from infra.cdk.capabilities.gateway import Gateway
from infra.cdk.capabilities.monitoring import Monitoring
from infra.cdk.capabilities.platform_api import PlatformApi
from infra.cdk.capabilities.platform_events import PlatformEvents
from infra.cdk.capabilities.schedules import Schedules
from infra.cdk.capabilities.service_function import DependenciesLayer, FunctionRuntime
from infra.cdk.capabilities.state import StageState
from infra.cdk.capabilities.sync_work import SyncWork
from infra.cdk.capabilities.webhook_intake import WEBHOOK_PATH, WebhookIntake
from infra.cdk.stage import StageConfig
from shared.resources import ResourceNames


class XeroSyncStack(Stack):
    """One stage of xero-sync, named after its resources' prefix (xero-sync-<stage>)."""

    def __init__(self, scope: Construct, *, config: StageConfig, **kwargs: Any) -> None:
        names = ResourceNames(config.stage)
        super().__init__(scope, names.prefix, description=f"xero-sync, stage {config.stage}", **kwargs)
        self.names, self.config = names, config
        self.state = StageState(self, "State", names=names, config=config)
        self.events = PlatformEvents(self, "Events", names=names)
        self.sync = SyncWork(self, "Sync", names=names)
        resources = GrantableResources(
            names=names,
            state_table=self.state.state_table,
            rate_budget_table=self.state.rate_budget_table,
            tokens_key=self.state.tokens_key,
            xero_app_secret=self.state.xero_app_secret,
            webhook_key_secret=self.state.webhook_key_secret,
            work_queue=self.sync.queue,
            tick_queue=self.sync.tick_queue,
            event_bus=self.events.bus,
        )
        runtime = FunctionRuntime(config, DependenciesLayer(self, "Dependencies"), resources)
        self.sync.start_worker(runtime)
        self.gateway = Gateway(self, "Gateway", names=names, config=config)
        self.platform_api = PlatformApi(self, "PlatformApi", gateway=self.gateway, runtime=runtime)
        self.connection = Connection(self, "Connection", gateway=self.gateway, runtime=runtime)
        self.webhook = WebhookIntake(self, "WebhookIntake", gateway=self.gateway, runtime=runtime)
        self.schedules = Schedules(self, "Schedules", names=names, runtime=runtime)
        assert self.sync.worker is not None  # noqa: S101 - start_worker ran above
        self.functions = {
            "api": self.platform_api.api,
            "oauth_callback": self.connection.oauth_callback,
            "webhook": self.webhook.webhook,
            "scheduled_sync": self.schedules.scheduled_sync,
            "sync_worker": self.sync.worker,
        }
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            names=names,
            config=config,
            functions=self.functions,
            queue=self.sync.queue,
            dead_letter_queue=self.sync.dead_letter_queue,
            api=self.gateway.api,
        )
        self._outputs()

    def _outputs(self) -> None:
        """What the operator needs next (README: Deploy): URLs for Xero's developer portal, names to fill."""
        base = self.gateway.base_url
        outputs = {
            "ApiUrl": (base, "The API's base URL: the platform calls <ApiUrl>/v1 with an API key"),
            "OAuthRedirectUri": (base + CALLBACK_PATH, "Paste into the Xero app's redirect URIs"),
            "WebhookUrl": (base + WEBHOOK_PATH, "Paste into the Xero app's webhook delivery URL"),
            "EventBusName": (self.events.bus.event_bus_name, "The bus the platform subscribes to (docs/events.md)"),
            "XeroAppSecretName": (self.names.xero_app_secret, 'Fill with {"client_id": ..., "client_secret": ...}'),
            "WebhookKeySecretName": (self.names.webhook_key_secret, "Fill with the Xero app's webhook key"),
            "AlarmTopicArn": (self.monitoring.topic.topic_arn, "Alarm notifications; subscribe to it"),
            "DashboardName": (self.names.prefix, "The CloudWatch dashboard"),
        }
        if self.gateway.domain is not None:
            outputs["CustomDomainTarget"] = (
                self.gateway.domain.regional_domain_name,
                "Point the custom domain's DNS (CNAME or alias) here",
            )
        for output_id, (value, description) in outputs.items():
            CfnOutput(self, output_id, value=value, description=description)
