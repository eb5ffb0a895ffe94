"""Routes: items (being written)."""
