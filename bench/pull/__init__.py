"""The sync from Xero's benchmark (bench/sync_pull.py): its world, drivers and figures."""
