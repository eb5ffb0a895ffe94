"""The CDK app synthesised offline: resources, permissions, alarms, retention, assets and cdk-nag."""
