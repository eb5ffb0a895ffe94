"""Routes: credit_notes (being written)."""
