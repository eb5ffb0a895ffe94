"""The reconciliation states in the state table (shared/ports/reconciliation.py).

One item per tenant and kind, `TENANT#<t>`/`RECONCILE#<kind>`, the state as JSON; a state with a
`due_at` is also indexed under `RECONCILEDUE`/`<due_at>#<t>#<kind>`, one index partition for every
tenant, so the scheduled function finds what is due with one Query (as the push's deferrals,
`SYNCDUE`) and never scans. A state with no `due_at` carries no index keys and is in no partition.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.adapters.aws_client import AwsClient
from shared.adapters.dynamodb_state import stored_time
from shared.domain.inbound.reconcile_state import ReconcileState
from shared.domain.inbound.settings import SyncedKind
from shared.ports.reconciliation import ReconcileStates
from shared.resources import STATE_TABLE_INDEX

DUE_PARTITION = "RECONCILEDUE"
_PREFIX = "RECONCILE#"


def _key(tenant_id: str, kind: SyncedKind) -> dict[str, Any]:
    return {"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": f"{_PREFIX}{kind.value}"}}


class DynamoDbReconcileStates(ReconcileStates):
    def __init__(self, table_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._table_name = table_name
        self._client = AwsClient("dynamodb", region_name, client)

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
        item = _key(state.tenant_id, state.kind) | {"state": {"S": state.model_dump_json()}}
        if state.due_at is not None:
            item |= {
                "gsi1pk": {"S": DUE_PARTITION},
                "gsi1sk": {"S": f"{stored_time(state.due_at)}#{state.tenant_id}#{state.kind.value}"},
            }
        self._client().put_item(TableName=self._table_name, Item=item)

    def due(self, now: datetime, limit: int) -> list[ReconcileState]:
        # `<due_at>#...` sorts below `<now>$` exactly when due_at <= now ('$' follows '#'). The index is
        # eventually consistent: a state just moved may still show here; each is read again, strongly.
        found: list[ReconcileState] = []
        params: dict[str, Any] = {
            "TableName": self._table_name,
            "IndexName": STATE_TABLE_INDEX,
            "KeyConditionExpression": "gsi1pk = :partition AND gsi1sk < :bound",
            "ExpressionAttributeValues": {":partition": {"S": DUE_PARTITION}, ":bound": {"S": f"{stored_time(now)}$"}},
        }
        while len(found) < limit:
            answer = self._client().query(Limit=limit - len(found), **params)
            for item in answer["Items"]:
                state = ReconcileState.model_validate_json(item["state"]["S"])
                current = self.get(state.tenant_id, state.kind)
                if current is not None and current.due_at is not None and current.due_at <= now:
                    found.append(current)
            if "LastEvaluatedKey" not in answer:
                break
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return found
