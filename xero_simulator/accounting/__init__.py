"""The Accounting API under /api.xro/2.0: one module per kind of record, each registering its routes."""
