"""The names of every AWS resource of one stage, shared by the CDK app, the local stack and the functions.

The CDK app creates resources with these names and passes them to functions as environment
variables; the local stack creates the same names on moto, so local and deployed runs differ only
in endpoints.
"""

from __future__ import annotations

from dataclasses import dataclass

# The state table's one secondary index, on `gsi1pk`/`gsi1sk`. Two kinds of item use it:
# connections under `XERO#<xero tenant id>` (which of our tenants an organisation's webhook is
# for) and tenants under `TENANTS`, sorted by creation (listing tenants with a cursor).
STATE_TABLE_INDEX = "gsi1"

# The scheduled function's two rules end with these; the function runs the job its rule names.
KEEP_ALIVE_SUFFIX = "-keep-alive"
SYNC_DUE_SUFFIX = "-sync-due"


# The sync worker's concurrency on the accounts watch's tick queue, in AWS and locally.
TICK_CONCURRENCY = 2


@dataclass(frozen=True)
class ResourceNames:
    stage: str

    @property
    def prefix(self) -> str:
        return f"xero-sync-{self.stage}"

    @property
    def state_table(self) -> str:
        """The single DynamoDB table of tenants, connections, sessions, API keys and webhook receipts."""
        return f"{self.prefix}-state"

    @property
    def rate_budget_table(self) -> str:
        """The rate budget's few hot items (one per Xero tenant, one per app), apart from the state table:
        every call to Xero writes one, and they must not share throughput or size with the records."""
        return f"{self.prefix}-rate-budget"

    @property
    def work_queue(self) -> str:
        """The SQS FIFO queue of work for the sync worker; per tenant a group of sync requests and one of
        Xero change notices (shared/ports/work_queue.py)."""
        return f"{self.prefix}-work.fifo"

    @property
    def work_dead_letter_queue(self) -> str:
        return f"{self.prefix}-work-dlq.fifo"

    @property
    def tick_queue(self) -> str:
        """The SQS standard queue of the accounts watch's delayed ticks (shared/domain/inbound/watch.py):
        only a standard queue delays one message."""
        return f"{self.prefix}-ticks"

    @property
    def tick_dead_letter_queue(self) -> str:
        return f"{self.prefix}-ticks-dlq"

    @property
    def keep_alive_schedule(self) -> str:
        """The daily EventBridge rule that has the scheduled function refresh idle connections' tokens."""
        return f"{self.prefix}{KEEP_ALIVE_SUFFIX}"

    @property
    def sync_due_schedule(self) -> str:
        """The EventBridge rule, every minute, that has the scheduled function nudge the tenants whose
        deferred push is due."""
        return f"{self.prefix}{SYNC_DUE_SUFFIX}"

    @property
    def event_bus(self) -> str:
        """The EventBridge bus the platform subscribes to."""
        return f"{self.prefix}-events"

    @property
    def xero_app_secret(self) -> str:
        """JSON {"client_id", "client_secret"} of the Xero app; created empty, filled by the operator."""
        return f"{self.prefix}/xero-app"

    @property
    def webhook_key_secret(self) -> str:
        """The Xero webhook signing key, as plain text; created empty, filled by the operator."""
        return f"{self.prefix}/xero-webhook-key"

    def token_secret(self, tenant_id: str) -> str:
        """One secret per connection holding its token set, encrypted with the tokens key."""
        return f"{self.prefix}/tokens/{tenant_id}"

    @property
    def tokens_key_alias(self) -> str:
        """The customer managed KMS key that encrypts token secrets."""
        return f"alias/{self.prefix}-tokens"
