"""The service's state: the two tables, the customer managed key of the secrets, and the two secrets
the operator fills (the Xero app's client id and secret, the webhook key).

Names, keys, the index and the TTL attribute are those of local_stack/resources.py, which creates
the same on moto. A stage that keeps its data (prod) keeps all of these when the stack is deleted.
"""

from __future__ import annotations

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.cdk import nag
from infra.cdk.stage import StageConfig
from shared.resources import STATE_TABLE_INDEX, ResourceNames

# The attribute DynamoDB's TTL reads (epoch seconds); every expiry is also checked in code.
TTL_ATTRIBUTE = "expires_at_epoch"
_KEY = dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING)
_SORT = dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.STRING)


class StageState(Construct):
    """`state_table`, `rate_budget_table`, `tokens_key`, `xero_app_secret` and `webhook_key_secret`."""

    def __init__(self, scope: Construct, construct_id: str, *, names: ResourceNames, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        removal = config.removal_policy
        recovery = dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True)
        self.state_table = dynamodb.Table(
            self,
            "StateTable",
            table_name=names.state_table,
            partition_key=_KEY,
            sort_key=_SORT,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            time_to_live_attribute=TTL_ATTRIBUTE,
            point_in_time_recovery_specification=recovery,
            deletion_protection=config.retain_data,
            removal_policy=removal,
        )
        self.state_table.add_global_secondary_index(
            index_name=STATE_TABLE_INDEX,
            partition_key=dynamodb.Attribute(name="gsi1pk", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="gsi1sk", type=dynamodb.AttributeType.STRING),
            projection_type=dynamodb.ProjectionType.ALL,
        )
        self.rate_budget_table = dynamodb.Table(
            self,
            "RateBudgetTable",
            table_name=names.rate_budget_table,
            partition_key=_KEY,
            sort_key=_SORT,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            time_to_live_attribute=TTL_ATTRIBUTE,
            deletion_protection=config.retain_data,
            removal_policy=removal,
        )
        nag.acknowledge(
            self.rate_budget_table,
            "AwsSolutions-DDB3",
            "the rate budget holds counters of calls made in the last day, which expire by TTL; restoring an "
            "old copy would only give back budget Xero has already counted, so it has no point-in-time recovery",
        )
        self.tokens_key = kms.Key(
            self,
            "TokensKey",
            alias=names.tokens_key_alias,
            description=f"{names.prefix}: the Xero token secrets and the app secrets",
            enable_key_rotation=True,
            pending_window=config.key_pending_window,
            removal_policy=removal,
        )
        self.xero_app_secret = self._operator_secret(
            "XeroAppSecret",
            names.xero_app_secret,
            'The Xero app: JSON {"client_id": "...", "client_secret": "..."}; filled by the operator',
            config,
        )
        self.webhook_key_secret = self._operator_secret(
            "WebhookKeySecret",
            names.webhook_key_secret,
            "The Xero webhook signing key, as plain text; filled by the operator",
            config,
        )

    def _operator_secret(
        self, construct_id: str, name: str, description: str, config: StageConfig
    ) -> secretsmanager.Secret:
        """A secret the operator fills after deployment, under the tokens key. CloudFormation cannot create
        a secret without a value, so it starts as a random placeholder, which the functions read as not
        configured (not JSON with a client id; a webhook key no delivery is signed with)."""
        secret = secretsmanager.Secret(
            self,
            construct_id,
            secret_name=name,
            description=description,
            encryption_key=self.tokens_key,
            generate_secret_string=secretsmanager.SecretStringGenerator(exclude_punctuation=True, password_length=32),
            removal_policy=config.removal_policy,
        )
        nag.acknowledge(
            secret,
            "AwsSolutions-SMG4",
            "issued by Xero's developer portal, not by us: rotated there by the operator, then pasted here "
            "(README: Deploy); no rotation function could obtain a new value",
        )
        return secret
