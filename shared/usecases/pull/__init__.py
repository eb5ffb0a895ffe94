"""The sync from Xero (issue 5): the records Xero's webhooks announce, read and taken onto the platform.

- run.py: one tenant's run (SyncPull): notices in; records, change feed and events out; echoes let
  go unread; what cannot be read now kept for later.
- reading.py: one run's reads, the records others wait for first, the unknown payments after.
- fetching.py: reads by id through the rate budget.
- taking.py: one record read, decided and applied, its change on the feed and the bus.
- report.py: what a run did.
- reconcile.py: reconciliation (SyncReconcile): each kind read again from its watermark, page by
  page, its elements taken as a webhook's fetches are.
- reference_told.py, bank_told.py: what is not a platform record (accounts, tax rates, tracking
  categories; bank transactions) told as changes against what the platform was last told of it.

The reading and deciding are the pure core's (shared/domain/inbound); `Taker.take` takes any
element of a Xero answer, so reconciliation's pages can go the same way as a webhook's fetches.
"""
