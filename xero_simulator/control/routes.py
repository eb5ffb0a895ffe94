"""Control API routes (being written)."""
