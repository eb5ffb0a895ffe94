"""Routes: reports (being written)."""
