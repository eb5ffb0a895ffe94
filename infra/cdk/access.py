"""What each function may do, in one table: the AWS calls its composed adapters make, and nothing else.

Derived from functions/<name>/dependencies.py and the adapters in shared/adapters/ (which call
which operation), and checked against the operations the integration and end-to-end tests saw
each handler make. Every statement names its resource: the two tables (and the state table's one
index), the work queue, the bus, the two app secrets by ARN, and the per-tenant token secrets by
their name prefix (they are created at run time, one per connection, so a prefix is the narrowest
ARN there is). KMS use of the tokens key is allowed only through Secrets Manager and only for the
secrets the statement already names (Secrets Manager puts the secret's ARN in the encryption
context of every data key it asks for).

When a function starts calling a new operation, add it here: tests/infra checks that every
operation the adapters can make is granted to some function.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from shared.resources import STATE_TABLE_INDEX, ResourceNames

# Item-level DynamoDB actions by what they serve (TransactWriteItems is authorised per item, as PutItem).
GET, PUT, UPDATE, DELETE = "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"
QUERY, SCAN = "dynamodb:Query", "dynamodb:Scan"
BATCH_GET, BATCH_WRITE = "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"
# Secrets Manager: read a value, a new version, the first version (connect), delete (disconnect).
READ_SECRET, WRITE_SECRET = "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"
CREATE_SECRET, DELETE_SECRET = "secretsmanager:CreateSecret", "secretsmanager:DeleteSecret"


@dataclass(frozen=True)
class Access:
    """One function's grants; each field is one kind of resource."""

    state_table: tuple[str, ...] = ()
    # Query on the index gsi1 (connections of a Xero organisation, tenants by creation, due tenants, ledgers).
    state_index: bool = False
    rate_budget_table: tuple[str, ...] = ()
    token_secrets: tuple[str, ...] = ()
    xero_app_secret: bool = False
    webhook_key_secret: bool = False
    send_work: bool = False
    send_ticks: bool = False  # the accounts watch's delayed ticks
    publish_events: bool = False


FUNCTION_ACCESS: dict[str, Access] = {
    # Tenants, API keys, connect sessions, connections (test, disconnect: revoke and delete the tokens),
    # records (one and bulk writes, reads, ledgers) and the export, which is the sync worker's push.
    "api": Access(
        state_table=(GET, PUT, UPDATE, DELETE, QUERY, BATCH_GET, BATCH_WRITE),
        state_index=True,
        rate_budget_table=(GET, PUT),
        token_secrets=(READ_SECRET, WRITE_SECRET, DELETE_SECRET),
        xero_app_secret=True,
        send_work=True,
        publish_events=True,
    ),
    # Takes sessions and states (a delete that returns the item), stores the connection, creates the
    # tenant's token secret (the only function that may), announces the connection and queues its first sync.
    "oauth_callback": Access(
        state_table=(GET, PUT, DELETE),
        token_secrets=(READ_SECRET, WRITE_SECRET, CREATE_SECRET),
        xero_app_secret=True,
        send_work=True,
        publish_events=True,
    ),
    # Finds the connections of the organisation (index), records receipts (and forgets one whose enqueue failed).
    "webhook": Access(
        state_table=(PUT, DELETE),
        state_index=True,
        webhook_key_secret=True,
        send_work=True,
    ),
    # Keep-alive (a Scan for idle connections, refreshes under the lease, needs_reauth events), the
    # due tenants (index) nudged through the queue, the due reconciliations (index, read again and claimed
    # in batches) enqueued, and the reconciliation states connected tenants lack (a query of each).
    "scheduled_sync": Access(
        state_table=(GET, PUT, UPDATE, QUERY, SCAN, BATCH_GET, BATCH_WRITE),
        state_index=True,
        token_secrets=(READ_SECRET, WRITE_SECRET),
        xero_app_secret=True,
        send_work=True,
        publish_events=True,
    ),
    # The push: records and ledgers (a call's answer settled in batches), in-flight batches, the schedule
    # and its lease, token refreshes, the rate budget (a transaction of conditional puts), record events,
    # and a request for the rest. The sync from Xero: the change feed and the fetches kept for later, and
    # the accounts watch (its item, its next tick).
    "sync_worker": Access(
        state_table=(GET, PUT, UPDATE, DELETE, QUERY, BATCH_GET, BATCH_WRITE),
        state_index=True,
        rate_budget_table=(GET, PUT),
        token_secrets=(READ_SECRET, WRITE_SECRET),
        xero_app_secret=True,
        send_work=True,
        send_ticks=True,
        publish_events=True,
    ),
}


@dataclass(frozen=True)
class GrantableResources:
    """The stage's resources that functions are granted access to."""

    names: ResourceNames
    state_table: dynamodb.ITable
    rate_budget_table: dynamodb.ITable
    tokens_key: kms.IKey
    xero_app_secret: secretsmanager.ISecret
    webhook_key_secret: secretsmanager.ISecret
    work_queue: sqs.IQueue
    tick_queue: sqs.IQueue
    event_bus: events.IEventBus

    def token_secrets_arn(self, scope: Construct) -> str:
        """Every token secret of the stage: `<prefix>/tokens/<tenant id>` plus Secrets Manager's random suffix."""
        return Stack.of(scope).format_arn(
            service="secretsmanager",
            resource="secret",
            resource_name=self.names.token_secret("*"),
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )


def grant(role: iam.IRole, access: Access, resources: GrantableResources, scope: Construct) -> None:
    """Add `access` to `role`, one statement per resource kind."""
    if access.state_table:
        _allow(role, access.state_table, [resources.state_table.table_arn])
    if access.state_index:
        _allow(role, [QUERY], [f"{resources.state_table.table_arn}/index/{STATE_TABLE_INDEX}"])
    if access.rate_budget_table:
        _allow(role, access.rate_budget_table, [resources.rate_budget_table.table_arn])
    secret_arns: list[str] = []
    writes_tokens = bool({WRITE_SECRET, CREATE_SECRET} & set(access.token_secrets))
    if access.token_secrets:
        tokens = resources.token_secrets_arn(scope)
        _allow(role, access.token_secrets, [tokens])
        secret_arns.append(tokens)
    app_secrets = (
        (access.xero_app_secret, resources.xero_app_secret),
        (access.webhook_key_secret, resources.webhook_key_secret),
    )
    for wanted, secret in app_secrets:
        if wanted:
            _allow(role, [READ_SECRET], [secret.secret_arn])
            secret_arns.append(secret.secret_arn)
    if secret_arns:
        _allow_tokens_key(role, resources, secret_arns, writes=writes_tokens, scope=scope)
    if access.send_work:
        _allow(role, ["sqs:GetQueueUrl", "sqs:SendMessage"], [resources.work_queue.queue_arn])
    if access.send_ticks:
        _allow(role, ["sqs:GetQueueUrl", "sqs:SendMessage"], [resources.tick_queue.queue_arn])
    if access.publish_events:
        _allow(role, ["events:PutEvents"], [resources.event_bus.event_bus_arn])


def _allow_tokens_key(
    role: iam.IRole, resources: GrantableResources, secret_arns: list[str], *, writes: bool, scope: Construct
) -> None:
    """Decrypt (and, for writers, new data keys) with the tokens key, only on behalf of Secrets Manager
    and only for the secrets named: a stolen role cannot use the key directly or for another secret."""
    actions = ["kms:Decrypt", "kms:GenerateDataKey"] if writes else ["kms:Decrypt"]
    stack = Stack.of(scope)
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=actions,
            resources=[resources.tokens_key.key_arn],
            conditions={
                "StringEquals": {"kms:ViaService": f"secretsmanager.{stack.region}.{stack.url_suffix}"},
                "StringLike": {"kms:EncryptionContext:SecretARN": secret_arns},
            },
        )
    )


def _allow(role: iam.IRole, actions: tuple[str, ...] | list[str], resources: list[str]) -> None:
    role.add_to_principal_policy(iam.PolicyStatement(actions=list(actions), resources=resources))
