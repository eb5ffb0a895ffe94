"""Routes: invoices (being written)."""
