"""What the platform was told of each bank transaction, in the state table (shared/ports/told.py).

One item per element, `TENANT#<t>`/`TOLD#<kind>#<Xero id>`, the ToldElement as JSON; read with
BatchGetItem (100 keys a call, strongly consistent) and written with BatchWriteItem (25 a call), the
parts DynamoDB leaves unprocessed asked for again with a backoff, as the record stores batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared.adapters.aws_client import AwsClient
from shared.adapters.dynamodb_records import _Table
from shared.domain.inbound.settings import SyncedKind
from shared.domain.reference_data import ToldElement
from shared.ports.told import ToldElements


def _prefix(kind: SyncedKind) -> str:
    return f"TOLD#{kind.value}#"


def _key(tenant_id: str, kind: SyncedKind, xero_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": f"{_prefix(kind)}{xero_id}"}}


class DynamoDbToldElements(ToldElements):
    def __init__(self, table_name: str, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._table = _Table(table_name, AwsClient("dynamodb", region_name, client))  # the record stores' batches

    def get_many(self, tenant_id: str, kind: SyncedKind, xero_ids: Iterable[str]) -> dict[str, ToldElement]:
        keys = [_key(tenant_id, kind, xero_id) for xero_id in dict.fromkeys(xero_ids)]  # BatchGetItem refuses repeats
        return {
            item["sk"]["S"].removeprefix(_prefix(kind)): ToldElement.model_validate_json(item["told"]["S"])
            for item in self._table.get_many(keys)
        }

    def put_many(self, tenant_id: str, kind: SyncedKind, told: Mapping[str, ToldElement]) -> None:
        self._table.put_many(
            [
                _key(tenant_id, kind, xero_id) | {"told": {"S": element.model_dump_json()}}
                for xero_id, element in told.items()
            ]
        )
