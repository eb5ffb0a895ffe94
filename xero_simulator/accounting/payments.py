"""Routes: payments (being written)."""
