"""Routes: organisation (being written)."""
