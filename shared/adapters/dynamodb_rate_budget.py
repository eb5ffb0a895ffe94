"""The rate budget in its own table (ResourceNames.rate_budget_table), so every Lambda of every function
takes from the same budget, and its hot items share neither throughput nor size with the records.

Items: a tenant's budget `BUDGET#<xero tenant id>`/`BUDGET` and the app's `APPBUDGET#<client id>`/
`BUDGET`, each holding its usage (shared/domain/rate_limits.py) as JSON, a `version` and the TTL
attribute `expires_at_epoch`. Taking a permit reads both, applies the rules and writes both in one
transaction conditioned on the versions read: of two Lambdas racing for the last call one wins and
the other reads again, so no interleaving exceeds a limit. A tenant writes its item at most 60
times a minute; the app item takes every call of every tenant (up to ~170 a second at Xero's app
limit), which one item serves while calls are spread out; sharding it is the next step if it
becomes hot.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from shared.adapters.aws_client import AwsClient
from shared.domain.rate_limits import (
    HOUR_SECONDS,
    AppUsage,
    Delay,
    LimitName,
    Limits,
    Priority,
    TenantUsage,
    admit,
    tenant_parked,
    tenant_without_lease,
)
from shared.ports.rate_budget import Permit, RateBudget

# Each attempt re-reads the budget; after this many lost races the caller is told to try again, so
# a Lambda never spins. Attempts reuse the caller's `now`, which Limits.arrival_margin absorbs.
ATTEMPTS = 5
# A budget item outlives its last call by the day window's buckets (up to 25 hours and the margin)
# with an hour to spare, then TTL removes it.
KEEP_SECONDS = 26 * HOUR_SECONDS

_CONFLICTS = {"ConditionalCheckFailedException", "TransactionCanceledException", "TransactionConflictException"}


class BudgetContendedError(Exception):
    """A budget item changed under every attempt to update it."""


def _tenant_json(usage: TenantUsage) -> str:
    return json.dumps(
        {
            "minute_log": list(usage.minute_log),
            "hour_buckets": {str(index): count for index, count in usage.hour_buckets.items()},
            "leases": usage.leases,
            "parked_until": usage.parked_until,
        }
    )


def _tenant_usage(text: str) -> TenantUsage:
    data = json.loads(text)
    return TenantUsage(
        minute_log=tuple(data["minute_log"]),
        hour_buckets={int(index): count for index, count in data["hour_buckets"].items()},
        leases=dict(data["leases"]),
        parked_until=data["parked_until"],
    )


def _tenant_expiry(usage: TenantUsage) -> float:
    last_call = max(usage.minute_log, default=0.0)
    return max(last_call + KEEP_SECONDS, usage.parked_until, *usage.leases.values())


def _app_json(usage: AppUsage) -> str:
    return json.dumps({str(second): count for second, count in usage.second_buckets.items()})


def _app_usage(text: str) -> AppUsage:
    return AppUsage(second_buckets={int(second): count for second, count in json.loads(text).items()})


def _app_expiry(usage: AppUsage) -> float:
    return max(usage.second_buckets, default=0) + HOUR_SECONDS


class DynamoDbRateBudget(RateBudget):
    """One app's budgets (`client_id`) in `table_name`."""

    def __init__(self, table_name: str, client_id: str, *, limits: Limits | None = None, client: Any = None) -> None:
        self.limits = limits or Limits()
        self._table = table_name
        self._app_pk = f"APPBUDGET#{client_id}"
        self._client = AwsClient("dynamodb", None, client)

    def take(self, xero_tenant_id: str, priority: Priority, now: datetime) -> Permit | Delay:
        tenant_pk = f"BUDGET#{xero_tenant_id}"
        lease_id = uuid.uuid4().hex
        for _ in range(ATTEMPTS):
            tenant_text, tenant_version = self._read(tenant_pk)
            app_text, app_version = self._read(self._app_pk)
            tenant = _tenant_usage(tenant_text) if tenant_text else TenantUsage()
            app = _app_usage(app_text) if app_text else AppUsage()
            outcome = admit(tenant, app, priority, lease_id=lease_id, now=now, limits=self.limits)
            if isinstance(outcome, Delay):
                return outcome
            new_tenant, new_app = outcome
            writes = [
                self._put(tenant_pk, _tenant_json(new_tenant), tenant_version, _tenant_expiry(new_tenant)),
                self._put(self._app_pk, _app_json(new_app), app_version, _app_expiry(new_app)),
            ]
            if self._transact(writes):
                return Permit(xero_tenant_id, lease_id, datetime.fromtimestamp(new_tenant.leases[lease_id], UTC))
        return Delay(0.0, LimitName.CONTENDED)

    def release(self, permit: Permit) -> None:
        # If every attempt loses, the lease still ends at permit.expires_at: the slot is only late.
        try:
            self._update_tenant(permit.xero_tenant_id, lambda usage: tenant_without_lease(usage, permit.lease_id))
        except BudgetContendedError:
            return

    def park(self, xero_tenant_id: str, until: datetime) -> None:
        self._update_tenant(xero_tenant_id, lambda usage: tenant_parked(usage, until))

    def usage(self, xero_tenant_id: str) -> TenantUsage:
        text, _ = self._read(f"BUDGET#{xero_tenant_id}")
        return _tenant_usage(text) if text else TenantUsage()

    def _update_tenant(self, xero_tenant_id: str, change: Callable[[TenantUsage], TenantUsage]) -> None:
        pk = f"BUDGET#{xero_tenant_id}"
        for _ in range(ATTEMPTS * 4):
            text, version = self._read(pk)
            usage = change(_tenant_usage(text) if text else TenantUsage())
            if self._transact([self._put(pk, _tenant_json(usage), version, _tenant_expiry(usage))]):
                return
        raise BudgetContendedError(xero_tenant_id)

    def _read(self, pk: str) -> tuple[str | None, int]:
        # Strongly consistent: a stale read would only lose the race, but would lose it every time.
        answer = self._client().get_item(
            TableName=self._table, Key={"pk": {"S": pk}, "sk": {"S": "BUDGET"}}, ConsistentRead=True
        )
        item = answer.get("Item")
        if item is None:
            return None, 0
        return str(item["usage"]["S"]), int(item["version"]["N"])

    def _put(self, pk: str, usage: str, version: int, expires_at: float) -> dict[str, Any]:
        condition = "attribute_not_exists(pk)" if version == 0 else "#version = :read"
        put: dict[str, Any] = {
            "TableName": self._table,
            "Item": {
                "pk": {"S": pk},
                "sk": {"S": "BUDGET"},
                "usage": {"S": usage},
                "version": {"N": str(version + 1)},
                # Rounded up: TTL must never remove a budget while it still counts.
                "expires_at_epoch": {"N": str(math.ceil(expires_at))},
            },
            "ConditionExpression": condition,
        }
        if version:
            # Named, not written out: DynamoDB reserves many plain words for expressions.
            put["ExpressionAttributeNames"] = {"#version": "version"}
            put["ExpressionAttributeValues"] = {":read": {"N": str(version)}}
        return {"Put": put}

    def _transact(self, writes: list[dict[str, Any]]) -> bool:
        """Write all or none; False when another writer changed an item since it was read."""
        try:
            self._client().transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] in _CONFLICTS:
                return False
            raise
        return True
