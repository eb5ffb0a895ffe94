"""Routes: bank_transactions (being written)."""
