"""Routes: tax_rates (being written)."""
