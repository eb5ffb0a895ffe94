"""A call to Xero on behalf of some records, made so that a crash never sends anything twice.

Before the call, the request (method, path, body, members) is written down as an InFlightBatch
under its Idempotency-Key; after it, each member's outcome is settled and the batch forgotten.
A worker that dies in between leaves the batch open, and the next push for the tenant sends it
again byte for byte with the same key before anything else: Xero replays its first answer
(FACTS.md §4.5), so a record Xero created is learnt, not created twice (docs/decisions.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.domain.ledger import BatchMember, InFlightBatch, Outcome, StoredRecord, SyncState
from shared.domain.xero_answers import ElementResult, UnreadableAnswerError, elements
from shared.ports.records import RecordStore
from shared.ports.xero_accounting import XeroAnswer, XeroApiError, XeroRequest
from shared.ports.xero_identity import XeroAnswerLostError, XeroUnavailableError
from shared.usecases.push.tenant_xero import TenantXero
from shared.usecases.rate_budgeted_xero import MustWaitError

# Xero keeps an Idempotency-Key's answer for 6 minutes (FACTS.md §4.5); a batch older than this
# margin may no longer be replayed, so it is not blindly sent again (see `stale`).
REPLAY_WINDOW = timedelta(minutes=5)
# A lost answer or a 5xx is tried again at once with the same key, this many times in all.
SENDS_PER_CALL = 3

Judge = Callable[[StoredRecord, ElementResult], Outcome]


@dataclass(frozen=True)
class CallKind:
    """One kind of call: where it goes, which collection its answer lists, and how an element's
    answer becomes its record's outcome."""

    name: str
    collection: str
    judge: Judge


@dataclass(frozen=True)
class Call:
    """A request for some records: one element per member, in order (an empty body for a DELETE)."""

    kind: CallKind
    method: str
    path: str
    members: Sequence[StoredRecord]
    payload: dict[str, Any] | None
    params: dict[str, str] = field(default_factory=dict)


def idempotency_key(tenant_id: str, step: str, path: str, members: Sequence[BatchMember]) -> str:
    """The same tenant, step, target and member versions give the same key; 128 characters at most."""
    parts = [tenant_id, step, path, *(f"{m.platform_id}@{m.version}" for m in members)]
    return "xs-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


class CallStillOpenError(Exception):
    """The call's outcome is unknown (Xero unreachable, its answer lost): the batch stays open."""


class Calls:
    """Makes calls for one tenant's push and settles their members."""

    def __init__(
        self,
        store: RecordStore,
        xero: TenantXero,
        now: Callable[[], datetime],
        kinds: dict[str, CallKind],
        settled: Callable[[StoredRecord, Outcome], None],
    ) -> None:
        self._store = store
        self._xero = xero
        self._now = now
        self._kinds = kinds
        self._settled = settled

    def make(self, call: Call) -> None:
        """Write the call down, make it, settle every member; raises CallStillOpenError when the
        outcome stays unknown, and lets MustWaitError and ConnectionRejectedError through (the batch
        stays open and is sent again first next time)."""
        members = [BatchMember(platform_id=r.platform_id, version=r.version) for r in call.members]
        batch = InFlightBatch(
            tenant_id=self._xero.tenant_id,
            key=idempotency_key(self._xero.tenant_id, call.kind.name, call.path, members),
            entity=call.members[0].entity,
            step=call.kind.name,
            method=call.method,
            path=call.path,
            params=call.params,
            payload=call.payload or {},
            members=members,
            created_at=self._now(),
        )
        self._store.begin_batch(batch)
        self.resume(batch)

    def resume(self, batch: InFlightBatch) -> None:
        """Send an open batch (again) and settle it; see `make`."""
        kind = self._kinds[batch.step]
        answer = self._send(batch)
        records = self._store.get_many(batch.tenant_id, batch.entity, [m.platform_id for m in batch.members])
        results = _results(answer, kind, len(batch.members))
        outcomes = [
            (member.platform_id, member.version, kind.judge(records[member.platform_id], result))
            for member, result in zip(batch.members, results, strict=True)
            if member.platform_id in records
        ]
        settled = self._store.settle_many(batch.tenant_id, batch.entity, outcomes, now=self._now())
        for platform_id, _, outcome in outcomes:
            if platform_id in settled:
                self._settled(settled[platform_id], outcome)
        self._store.end_batch(batch.tenant_id, batch.key)

    def kind(self, name: str) -> CallKind:
        return self._kinds[name]

    def stale(self, batch: InFlightBatch) -> bool:
        """Too old for Xero to replay its answer: sending it again could create its records twice."""
        return self._now() - batch.created_at > REPLAY_WINDOW

    def _send(self, batch: InFlightBatch) -> XeroAnswer | XeroApiError:
        request = XeroRequest(
            method=batch.method,
            path=batch.path,
            params=batch.params,
            body=batch.payload or None,
            idempotency_key=batch.key if batch.method in {"PUT", "POST"} else None,
        )
        last: Exception | None = None
        for _ in range(SENDS_PER_CALL):
            try:
                return self._xero.call(request)
            except XeroApiError as refused:
                if refused.status == 404 and batch.method == "DELETE":
                    return XeroAnswer(status=refused.status, body={})
                return refused
            except MustWaitError:
                raise
            except (XeroUnavailableError, XeroAnswerLostError) as unknown:
                # A 5xx, an outage or a lost answer: Xero may or may not have acted; the same key is safe.
                last = unknown
        raise CallStillOpenError(str(last)) from last


def _results(answer: XeroAnswer | XeroApiError, kind: CallKind, count: int) -> list[ElementResult]:
    """One result per member: Xero's per-element answers, or the whole request's refusal for each."""
    if isinstance(answer, XeroApiError):
        listed = _listed(answer.body or {}, kind)
        if len(listed) == count:
            return listed
        return [_result(ok=False, messages=[answer.detail])] * count
    listed = _listed(answer.body, kind)
    if not listed:
        # A call whose answer lists no elements (DELETE /Items/{id}): success is the answer itself.
        return [_result(ok=True)] * count
    if count == 1 and len(listed) > 1:
        # One member, several elements (a credit note's allocations): it succeeded if all of them did.
        messages = [message for result in listed for message in result.messages]
        return [_result(ok=all(r.ok for r in listed), xero_id=listed[0].xero_id, messages=messages)]
    return listed


def _listed(body: dict[str, Any], kind: CallKind) -> list[ElementResult]:
    """The answer's elements; none for a call that lists none (a 204, a DELETE) or a refusal without them."""
    if not kind.collection or not body:
        return []
    try:
        return elements(body, kind.collection)
    except UnreadableAnswerError:
        return []


def _result(*, ok: bool, xero_id: str | None = None, messages: list[str] | None = None) -> ElementResult:
    return ElementResult(ok=ok, xero_id=xero_id, status=None, messages=tuple(messages or ()), warnings=(), element={})


def failed(result: ElementResult) -> Outcome:
    """Xero refused the element: its own words are the record's message."""
    return Outcome(state=SyncState.FAILED, message="; ".join(result.messages) or "Xero refused the record")
