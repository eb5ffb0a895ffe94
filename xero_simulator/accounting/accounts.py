"""Routes: accounts (being written)."""
