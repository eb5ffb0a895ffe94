"""From Xero to the platform (issue 5): pure code, no I/O, the inverse of shared/domain/mapping.

- settings.py: per entity, the direction, the side that wins a conflict, the filters and the
  reconciliation interval (InboundSettings; the tenant's sync settings carry it).
- queries.py: the parameters every read of a Xero collection carries (by id, or listing).
- coalesce.py: webhook change notices folded into fetches of at most 50 ids per call.
- instants.py: Xero's timestamps (MS-JSON, ISO with or without a zone) as UTC datetimes.
- from_xero.py: Xero's JSON as the platform's canonical bodies (FetchedRecord), or NotImportableError.
- tombstones.py: which Xero statuses mean gone; a record missing from an answer is not a deletion.
- echo.py: whether a fetched record is the echo of xero-sync's own write (or a stale read).
- conflicts.py: what to do with a fetched record (InboundDecision), and the ConflictRecord.
- changes.py: the change-feed entry and the platform event of a change from Xero.
- reconcile.py: when an entity is due for reconciliation, and what to ask Xero for.
"""
