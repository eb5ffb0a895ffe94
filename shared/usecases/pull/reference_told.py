"""Telling the platform what changed in the tenant's reference data (issue 5, §3): the accounts, tax
rates and tracking categories read again from Xero are compared with what the platform was told
(shared/domain/inbound/reference_changes.py); each change goes to the change feed, then the copy is
kept with what is now told, then the events are published.

The order repeats rather than loses: a crash after the feed and before the copy tells the same
changes again next time, under the same identities, so the feed keeps them once (the bus may hear
one twice, as with records: at least once).
"""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit

from shared.domain.inbound.changes import RecordChange
from shared.domain.inbound.reference_changes import reference_changes
from shared.domain.inbound.settings import InboundSettings
from shared.domain.reference_data import ReferenceData
from shared.observability import metrics
from shared.usecases.pull.run import SyncPull
from shared.usecases.pull.taking import event_of


def tell_reference(
    pull: SyncPull,
    tenant_id: str,
    reference: ReferenceData,
    inbound: InboundSettings,
    *,
    complete: bool,
    before: ReferenceData | None = None,
) -> int:
    """Tell the changes of `reference` (complete: Xero listed every element) and keep it; how many.

    `before` is the copy kept until this read: an element in it the platform was never told of (the
    copy was read on connecting, before the tenant's settings allowed telling, or by a version that
    did not tell) is told first as it was, so that what changed since is told as a change of it."""
    now = pull.clock.now()
    told = dict(reference.told)
    changes: list[RecordChange] = []
    if before is not None:
        changes, told = reference_changes(
            tenant_id, before.model_copy(update={"told": told}), inbound, now, complete=False
        )
    more, told = reference_changes(
        tenant_id, reference.model_copy(update={"told": told}), inbound, now, complete=complete
    )
    appended = [pull.feed.append(change) for change in [*changes, *more]]
    pull.settings.put_reference(tenant_id, reference.model_copy(update={"told": told}))
    if appended:
        pull.events.publish_many([event_of(change) for change in appended])
        metrics.add_metric(name="ReferenceChangesFromXero", unit=MetricUnit.Count, value=len(appended))
    return len(appended)
