"""From xero-sync's canonical records to Xero's Accounting API payloads (issue 4, §2 and §3): pure code, no I/O.

- context.py: what a mapping needs (the tenant's settings, its Xero reference data, the Xero ids of
  synced records) and `NotMapped`, the verdict of a record that cannot be sent (SKIPPED or PARKED).
- reference.py: the tenant's reference data from Xero's JSON; settings_check.py: settings against it.
- matching.py: which existing Xero contact a platform contact is.
- contacts.py, items.py, documents.py, credit_notes.py, payments.py, discounts.py, fees.py,
  statuses.py: one payload element per kind; lines.py and lock_dates.py are the rules they share.
- changes.py: which step Xero's status rules allow for a changed or deleted record.
"""
