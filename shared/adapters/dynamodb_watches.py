"""The watch on a tenant's accounts in the state table: one item, `TENANT#<t>`/`WATCH`, as JSON."""

from __future__ import annotations

from typing import Any

from shared.adapters.aws_client import AwsClient
from shared.domain.inbound.watch import Watch
from shared.ports.reference_watch import Watches


def _key(tenant_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": "WATCH"}}


class DynamoDbWatches(Watches):
    def __init__(self, table_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._table_name = table_name
        self._client = AwsClient("dynamodb", region_name, client)

    def get(self, tenant_id: str) -> Watch | None:
        item = self._client().get_item(TableName=self._table_name, Key=_key(tenant_id), ConsistentRead=True).get("Item")
        return Watch.model_validate_json(item["watch"]["S"]) if item else None

    def put(self, watch: Watch) -> None:
        item = _key(watch.tenant_id) | {"watch": {"S": watch.model_dump_json()}}
        self._client().put_item(TableName=self._table_name, Item=item)
