"""Make moto's DynamoDB Query cost what the partition holds, and its SQS SendMessage what one message costs.

moto 5 answers every Query by listing every item of the table, sorted (a Python sort comparing
its own key objects), and then keeping those of the asked partition; a table of 30,000 items takes
about 0.2 s a Query, whatever the partition's size. DynamoDB reads only the partition. The local
stack's push of thousands of records queries small partitions all the time, and on moto it slowed
to a few calls a minute (docs/decisions.md).

Applied in moto's own process only (local_stack/moto_server.py), these change no answer:
- a Query sorts what it keeps by the index's or the table's keys itself, so the list it starts from
  need not be sorted (a Scan still gets the sorted list: its pages follow that order);
- a Query on the table (not an index) starts from the asked partition alone, which is exactly the
  items it would have kept.
- SendMessage reads one attribute of the queue (content-based deduplication), and moto works out
  all of them for it, counting every message in the queue three times over; a queue holding
  thousands of Xero change notices or captured events made each send cost milliseconds more.
  Inside SendMessage, the queue's attributes are that one.
tests/integration/test_moto_speedups.py runs the same Queries, Scans and sends with and without them.
"""

from __future__ import annotations

import functools
import inspect
import threading
from typing import Any

from moto.dynamodb.models.table import Table
from moto.sqs.models import Queue, SQSBackend

_querying = threading.local()
_sending = threading.local()


def apply() -> None:
    """Patch moto's Table in this process (idempotent)."""
    if getattr(Table, "_xero_sync_speedups", False):
        return
    sorted_items = Table.all_items
    query = Table.query
    signature = inspect.signature(query)

    @functools.wraps(sorted_items)
    def all_items(self: Table) -> list[Any]:
        partition = getattr(_querying, "partition", None)
        if partition is None:
            return sorted_items(self)
        if partition is _ANY:
            return _unsorted(self, self.items.values())
        return _unsorted(self, [self.items[partition]] if partition in self.items else [])

    @functools.wraps(query)
    def partition_query(self: Table, *args: Any, **kwargs: Any) -> Any:
        asked = signature.bind(self, *args, **kwargs).arguments
        hash_key = asked.get("hash_key")
        _querying.partition = _ANY if asked.get("index_name") or hash_key is None else hash_key
        try:
            return query(self, *args, **kwargs)
        finally:
            _querying.partition = None

    Table.all_items = all_items  # type: ignore[method-assign]
    Table.query = partition_query  # type: ignore[method-assign]
    Table._xero_sync_speedups = True  # type: ignore[attr-defined]
    _speed_up_sends()


def _speed_up_sends() -> None:
    every_attribute = Queue.attributes
    send_message = SQSBackend.send_message

    def attributes(self: Queue) -> dict[str, Any]:
        if not getattr(_sending, "on", False):
            return every_attribute.fget(self)  # type: ignore[no-any-return, attr-defined]
        if not self.fifo_queue:
            return {}
        # As moto's own property gives it: a bool as "true" or "false".
        value = self.content_based_deduplication  # type: ignore[attr-defined]  # set from the attributes
        return {"ContentBasedDeduplication": str(value).lower() if isinstance(value, bool) else value}

    @functools.wraps(send_message)
    def sending(self: SQSBackend, *args: Any, **kwargs: Any) -> Any:
        _sending.on = True
        try:
            return send_message(self, *args, **kwargs)
        finally:
            _sending.on = False

    Queue.attributes = property(attributes)  # type: ignore[assignment, method-assign]
    SQSBackend.send_message = sending  # type: ignore[method-assign]


_ANY = object()


def _unsorted(table: Table, partitions: Any) -> list[Any]:
    if not table.range_key_attr:
        return list(partitions)
    return [item for partition in partitions for item in partition.values()]
