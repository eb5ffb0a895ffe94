"""The reconciliation states in the state table (shared/ports/reconciliation.py).

One item per tenant and kind, `TENANT#<t>`/`RECONCILE#<kind>`, the state as JSON; a state with a
`due_at` is also indexed under `RECONCILEDUE`/`<due_at>#<t>#<kind>`, one index partition for every
tenant, so the scheduled function finds what is due with one Query (as the push's deferrals,
`SYNCDUE`) and never scans. A state with no `due_at` carries no index keys and is in no partition.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from shared.adapters.aws_client import AwsClient
from shared.adapters.dynamodb_records import _Table
from shared.adapters.dynamodb_state import stored_time
from shared.domain.inbound.reconcile_state import ReconcileState
from shared.domain.inbound.settings import SyncedKind
from shared.ports.reconciliation import ReconcileStates
from shared.resources import STATE_TABLE_INDEX

DUE_PARTITION = "RECONCILEDUE"
DUE_PAGE = 100  # due instants a Query reads: what the scheduled function takes at a time
_PREFIX = "RECONCILE#"


def _key(tenant_id: str, kind: SyncedKind) -> dict[str, Any]:
    return {"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": f"{_PREFIX}{kind.value}"}}


def _kind(item: dict[str, Any]) -> SyncedKind:
    return SyncedKind(item["sk"]["S"].removeprefix(_PREFIX))


def _item(state: ReconcileState) -> dict[str, Any]:
    item = _key(state.tenant_id, state.kind) | {"state": {"S": state.model_dump_json()}}
    if state.due_at is not None:
        item |= {
            "gsi1pk": {"S": DUE_PARTITION},
            "gsi1sk": {"S": f"{stored_time(state.due_at)}#{state.tenant_id}#{state.kind.value}"},
        }
    return item


class DynamoDbReconcileStates(ReconcileStates):
    def __init__(self, table_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._table_name = table_name
        self._client = AwsClient("dynamodb", region_name, client)
        self._table = _Table(table_name, self._client)  # the batches the record stores use

    def get(self, tenant_id: str, kind: SyncedKind) -> ReconcileState | None:
        answer = self._client().get_item(TableName=self._table_name, Key=_key(tenant_id, kind), ConsistentRead=True)
        item = answer.get("Item")
        return ReconcileState.model_validate_json(item["state"]["S"]) if item else None

    def listing(self, tenant_id: str) -> list[ReconcileState]:
        pages = (
            self._client()
            .get_paginator("query")
            .paginate(
                TableName=self._table_name,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={":pk": {"S": f"TENANT#{tenant_id}"}, ":prefix": {"S": _PREFIX}},
                ConsistentRead=True,
            )
        )
        return [ReconcileState.model_validate_json(item["state"]["S"]) for page in pages for item in page["Items"]]

    def put(self, state: ReconcileState) -> None:
        self._client().put_item(TableName=self._table_name, Item=_item(state))

    def put_many(self, states: Sequence[ReconcileState]) -> None:
        """BatchWriteItem, 25 states a call."""
        self._table.put_many([_item(state) for state in states])

    def due(self, now: datetime) -> Iterator[ReconcileState]:
        # `<due_at>#...` sorts below `<now>$` exactly when due_at <= now ('$' follows '#'). The pages follow
        # DynamoDB's cursor, so a state the caller claims (moved past `now`) never comes round again. The
        # index is eventually consistent: a state just moved may still show here; each page is read again,
        # strongly, in one BatchGetItem.
        pages = (
            self._client()
            .get_paginator("query")
            .paginate(
                TableName=self._table_name,
                IndexName=STATE_TABLE_INDEX,
                KeyConditionExpression="gsi1pk = :partition AND gsi1sk < :bound",
                ExpressionAttributeValues={
                    ":partition": {"S": DUE_PARTITION},
                    ":bound": {"S": f"{stored_time(now)}$"},
                },
                PaginationConfig={"PageSize": DUE_PAGE},
            )
        )
        for page in pages:
            listed = [_key(item["pk"]["S"].removeprefix("TENANT#"), _kind(item)) for item in page["Items"]]
            current = {
                (item["pk"]["S"], item["sk"]["S"]): ReconcileState.model_validate_json(item["state"]["S"])
                for item in self._table.get_many(listed)
            }
            for key in listed:
                state = current.get((key["pk"]["S"], key["sk"]["S"]))
                if state is not None and state.due_at is not None and state.due_at <= now:
                    yield state
