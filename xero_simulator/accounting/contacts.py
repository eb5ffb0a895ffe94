"""Routes: contacts (being written)."""
