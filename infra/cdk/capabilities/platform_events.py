"""The EventBridge bus the platform subscribes to (docs/events.md); the functions publish on it."""

from __future__ import annotations

from aws_cdk import aws_events as events
from constructs import Construct

from shared.resources import ResourceNames


class PlatformEvents(Construct):
    """`bus`: no resource policy, so only this account's principals with events:PutEvents on it publish."""

    def __init__(self, scope: Construct, construct_id: str, *, names: ResourceNames) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(
            self,
            "Bus",
            event_bus_name=names.event_bus,
            description="xero-sync platform events: connection.*, record.*, sync.paused",
        )
