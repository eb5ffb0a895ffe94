"""Make moto's DynamoDB item operations atomic, as DynamoDB's are.

DynamoDB checks a ConditionExpression and writes the item as one step: of two conditional writes
racing for the same item, one wins and the other is refused. moto 5 checks the condition, then
writes, with no lock between; its server answers each request in a thread of its own, so two
requests can both pass the check and both write. Our leases (the token refresh lease, the sync
lease, the one-time OAuth states) are conditional writes, and a test that races fifty workers for one
of them saw two winners on moto that DynamoDB would never let through. moto's TransactWriteItems
also restores a deep copy of the whole table when a condition fails, undoing writes made meanwhile.

Here every call of moto's DynamoDB backend that reads or writes items runs under one lock of the
process: moto is pure Python under one interpreter lock, so serialising them costs little, and a
reader never sees an item half written. Applied in moto's own process (local_stack/moto_server.py)
and in the integration suite's in-process moto server (tests/integration/conftest.py); it changes
no answer, only which of two racing writes a condition refuses.
tests/integration/test_moto_atomic.py races conditional writes on moto with it applied.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

# The DynamoDB backend's item operations: BatchWriteItem, BatchGetItem and TransactGetItems are
# answered through put_item, delete_item and get_item.
ITEM_OPERATIONS = ("put_item", "update_item", "delete_item", "transact_write_items", "get_item", "query", "scan")
# Reentrant: nothing here calls another item operation today, but a moto that did would not deadlock.
LOCK = threading.RLock()


def apply() -> None:
    """Patch moto's DynamoDB backend in this process (idempotent)."""
    if getattr(DynamoDBBackend, "_xero_sync_atomic", False):
        return
    for name in ITEM_OPERATIONS:
        setattr(DynamoDBBackend, name, _serialised(getattr(DynamoDBBackend, name)))
    DynamoDBBackend._xero_sync_atomic = True  # type: ignore[attr-defined]


def _serialised(operation: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(operation)
    def one_at_a_time(*args: Any, **kwargs: Any) -> Any:
        with LOCK:
            return operation(*args, **kwargs)

    return one_at_a_time
