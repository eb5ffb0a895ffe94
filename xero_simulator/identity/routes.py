"""Identity routes (being written)."""
